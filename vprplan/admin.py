from django.contrib import admin

from vprplan.audit_actions import AuditAction, action_label
from vprplan.models import AuditEvent, Job

admin.site.site_header = "vprplan: администрирование"
admin.site.site_title = "vprplan"
admin.site.index_title = "Справочники и данные"


class ActionFilter(admin.SimpleListFilter):
    title = "действие"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(AuditAction.choices, key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action_name", "object_type", "object_id", "organization"]
    list_filter = [ActionFilter]
    search_fields = ["action", "object_id", "actor__username"]

    @admin.display(description="действие", ordering="action")
    def action_name(self, event):
        return action_label(event.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task", "status", "attempts", "created_by"]
    list_filter = ["status", "task"]
    # The request id of the logs (vprplan.logs): find the job a logged request asked for.
    search_fields = ["=request_id"]
    readonly_fields = ["task", "args", "kwargs", "status", "attempts", "error", "created_by", "request_id"]
