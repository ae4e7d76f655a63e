from django import forms
from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin

from schools.choices import OrgKind, SigningMethod
from schools.models import (
    EducationAuthority,
    Membership,
    Municipality,
    Organization,
    Region,
    School,
    UnobjectivityFlag,
    VprCampaign,
    VprSession,
)
from schools.resources import MembershipResource, SchoolResource, VprSessionResource
from schools.signals import calendar_changed


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class KindAdmin(admin.ModelAdmin):
    """Regions, municipalities and schools share a table; each admin shows its own kind."""

    kind: str = ""
    list_display = ["name", "short_name", "code", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "code", "fis_oko_login"]
    prepopulated_fields = {}
    inlines = [MembershipInline]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=self.kind).select_related("parent")

    def save_model(self, request, obj, form, change):
        obj.kind = self.kind
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "parent" in form.base_fields:
            parent_kind = Organization.PARENT_KIND.get(self.kind)
            form.base_fields["parent"].queryset = Organization.objects.filter(kind=parent_kind)
            form.base_fields["parent"].required = True
        return form


@admin.register(Region)
class RegionAdmin(KindAdmin):
    kind = OrgKind.REGION
    fields = ["name", "short_name", "code", "timezone", "address", "email", "phone", "website", "is_active"]
    list_display = ["name", "code", "timezone", "is_active"]


@admin.register(Municipality)
class MunicipalityAdmin(KindAdmin):
    kind = OrgKind.MUNICIPALITY
    fields = [
        "name",
        "short_name",
        "code",
        "parent",
        "municipality_kind",
        "address",
        "email",
        "phone",
        "website",
        "is_active",
    ]
    list_filter = ["region", "is_active"]


@admin.register(School)
class SchoolAdmin(ImportExportModelAdmin, KindAdmin):
    kind = OrgKind.SCHOOL
    resource_classes = [SchoolResource]
    fields = [
        "name",
        "short_name",
        "code",
        "parent",
        "legal_form",
        "school_kind",
        "fis_oko_login",
        "director_name",
        "address",
        "email",
        "phone",
        "website",
        "is_active",
    ]
    list_display = ["name", "short_name", "code", "parent", "fis_oko_login", "is_active"]
    list_filter = ["region", "municipality", "school_kind", "is_active"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """All organisations, for search and autocomplete; edit them in their own sections."""

    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return False


class EducationAuthorityForm(forms.ModelForm):
    website = forms.URLField(label="Сайт", required=False, assume_scheme="https")
    signing_methods = forms.MultipleChoiceField(
        label="Способы подписи приказов",
        choices=SigningMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Предлагаются руководителю на странице приказа; ни одного не отмечено — все.",
    )

    class Meta:
        model = EducationAuthority
        exclude: list[str] = []


@admin.register(EducationAuthority)
class EducationAuthorityAdmin(admin.ModelAdmin):
    form = EducationAuthorityForm
    list_display = ["full_name", "short_name", "municipality", "head_name"]
    search_fields = ["full_name", "short_name"]
    autocomplete_fields = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(ImportExportModelAdmin):
    resource_classes = [MembershipResource]
    list_display = ["user", "role", "organization", "position"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(UnobjectivityFlag)
class UnobjectivityFlagAdmin(admin.ModelAdmin):
    list_display = ["school", "year", "source", "subjects", "grades"]
    list_filter = ["year", "source"]
    search_fields = ["school__name", "subjects", "markers"]
    autocomplete_fields = ["school"]


# The VPR campaign and the schools' schedules. ---------------------------------------------------------


@admin.register(VprCampaign)
class VprCampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "starts_on", "ends_on", "results_on"]
    list_filter = ["year"]
    autocomplete_fields = ["region"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The region's plans count relative deadlines from these dates: re-sync them after commit.
        calendar_changed.send(
            sender=VprCampaign, region_id=obj.region_id, year=obj.year, actor=request.user, whole_region=True
        )


@admin.register(VprSession)
class VprSessionAdmin(ExportMixin, admin.ModelAdmin):
    """Export only: a schedule is imported per campaign on its page (/vpr/<id>/schedule/import/),
    where the rows are checked against the importing user's schools."""

    resource_classes = [VprSessionResource]
    list_display = [
        "school",
        "subject",
        "grade",
        "class_letters",
        "date",
        "starts_at",
        "form",
        "participants",
    ]
    list_filter = ["campaign", "form", "grade"]
    search_fields = ["school__name", "school__code", "subject"]
    autocomplete_fields = ["school"]
    date_hierarchy = "date"
