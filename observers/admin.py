from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from observers.models import Act, Assignment, Observer
from observers.resources import ObserverResource


@admin.register(Observer)
class ObserverAdmin(ImportExportModelAdmin):
    """The registry, with import and export in the columns of ObserverResource (codes of the
    municipality and schools, «да»/«нет», dates as ДД.ММ.ГГГГ)."""

    resource_classes = [ObserverResource]
    list_display = ["full_name", "municipality", "kind", "accreditation_number", "trained_on", "consent_given",
                    "is_active"]  # fmt: skip
    list_filter = ["kind", "consent_given", "is_active", "municipality"]
    search_fields = ["full_name", "accreditation_number", "organization_name"]
    autocomplete_fields = ["municipality", "workplace_school", "children_schools", "user"]


class ActInline(admin.TabularInline):
    model = Act
    extra = 0
    fields = ["stage", "violations_found", "submitted_at", "scan_name"]
    readonly_fields = fields
    can_delete = False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Read and correct statuses here; new assignments go through the board, which checks the rules."""

    list_display = ["observer", "session", "status", "auditorium"]
    list_filter = ["status", "session__campaign"]
    search_fields = ["observer__full_name", "session__school__name", "session__subject"]
    readonly_fields = ["session", "observer", "assigned_by"]
    inlines = [ActInline]

    def has_add_permission(self, request):
        return False
