from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from activities.models import (
    Activity,
    Evidence,
    Execution,
    Plan,
    ResponsiblePerson,
    ResponsibleRole,
    Section,
)
from activities.resources import ResponsibleRoleResource


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "number", "title"]
    readonly_fields = ["number"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "period_start", "period_end"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "owner__name"]
    autocomplete_fields = ["owner", "parent", "previous"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    search_fields = ["title"]
    readonly_fields = ["number"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "deadline_text", "deadline_kind", "plan"]
    list_filter = ["deadline_kind", "execution_level", "target_kind"]
    search_fields = ["title", "deadline_text", "responsible_text"]
    readonly_fields = ["number", "version"]
    autocomplete_fields = ["plan", "section", "responsible_roles", "responsible_persons", "target_schools"]
    list_select_related = ["plan"]


@admin.register(ResponsibleRole)
class ResponsibleRoleAdmin(ImportExportModelAdmin):
    resource_classes = [ResponsibleRoleResource]
    list_display = ["name", "acting_role", "level", "owner"]
    list_filter = ["acting_role", "level"]
    search_fields = ["name"]


@admin.register(ResponsiblePerson)
class ResponsiblePersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "organization", "user"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["organization", "user"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(Execution)
class ExecutionAdmin(admin.ModelAdmin):
    list_display = ["activity", "organization", "due_date", "status", "review_status"]
    list_filter = ["status", "review_status"]
    search_fields = ["activity__title", "organization__name"]
    autocomplete_fields = ["activity", "organization"]
    inlines = [EvidenceInline]
    list_select_related = ["activity", "organization"]
