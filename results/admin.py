from django.contrib import admin

from results.models import GradingScale, Recheck, RecheckExpert, RecheckWork, VprResult


@admin.register(GradingScale)
class GradingScaleAdmin(admin.ModelAdmin):
    """The federal scales (шкалы перевода): the catalogue the boundary-peak marker needs."""

    list_display = ["year", "subject", "grade", "max_score", "min_3", "min_4", "min_5"]
    list_filter = ["year", "grade"]
    search_fields = ["subject"]


@admin.register(VprResult)
class VprResultAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "subject", "grade", "participants"]
    list_filter = ["year", "grade"]
    search_fields = ["organization__name", "subject"]
    autocomplete_fields = ["organization"]


class RecheckExpertInline(admin.TabularInline):
    model = RecheckExpert
    extra = 0
    autocomplete_fields = ["workplace", "teaches_school"]


class RecheckWorkInline(admin.TabularInline):
    model = RecheckWork
    extra = 0


@admin.register(Recheck)
class RecheckAdmin(admin.ModelAdmin):
    """Read here, kept on its page (/results/rechecks/<id>/), where the rules are checked."""

    list_display = ["school", "year", "subject", "grade", "status", "ends_on"]
    list_filter = ["year", "status"]
    inlines = [RecheckExpertInline, RecheckWorkInline]
    autocomplete_fields = ["municipality", "school"]

    def has_change_permission(self, request, obj=None):
        return False
