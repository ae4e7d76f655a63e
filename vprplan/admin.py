from django.contrib import admin

from vprplan.models import AuditEvent, Job

admin.site.site_header = "vprplan: администрирование"
admin.site.site_title = "vprplan"
admin.site.index_title = "Справочники и данные"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "organization"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task", "status", "attempts", "created_by"]
    list_filter = ["status", "task"]
    readonly_fields = ["task", "args", "kwargs", "status", "attempts", "error", "created_by"]
