"""Reads of VPR results, rechecks and suggested measures, scoped by the user.

Who sees what (on top of schools.selectors):
- a municipality's (or region's) results, markers, rechecks: its municipal staff (head,
  coordinator, specialist) and the region's administrator; others get 404;
- a school's page: those readers in full; the school's own coordinator sees his school's results
  against the region, its flags and the suggested measures, but not the markers — they are the
  authority's working analysis, not a finding to be shown before anyone has looked into it;
- no teacher data at all: results are per school, subject and grade.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from activities.choices import ExecutionLevel, PlanStatus, TargetKind
from activities.models import Activity
from results.models import Recheck
from schools.choices import Role
from schools.models import Organization
from schools.selectors import area_for_user, flags_for_user
from vprplan import access

__all__ = ["area_for_user", "measures_for_school", "recheck_for_user", "rechecks_for_user", "school_for_user"]


def school_for_user(*, user, code: str) -> tuple[Organization, bool]:
    """A school the user may open, and whether he reads it in full (with markers); 404 otherwise."""
    school = get_object_or_404(
        Organization.objects.schools().select_related("municipality", "region"), code=code
    )
    full = Organization.objects.filter(access.managed_q(user, roles_=access.READ_AREAS), pk=school.pk).exists()
    if full:
        return school, True
    if any(
        m.role == Role.SCHOOL_COORDINATOR and m.organization_id == school.pk for m in access.memberships(user)
    ):
        return school, False
    raise Http404


def school_flags(*, user, school: Organization):
    return flags_for_user(user=user).filter(school=school).order_by("-year", "source")


def measures_for_school(*, school: Organization, years: set[int]) -> QuerySet[Activity]:
    """Suggested measures: the activities of the municipality's approved plans addressed to
    «ОО с признаками необъективности» of a year the school is flagged in."""
    if not years:
        return Activity.objects.none()
    return (
        Activity.objects.filter(
            plan__owner_id=school.municipality_id,
            plan__status=PlanStatus.APPROVED,
            execution_level=ExecutionLevel.SCHOOL,
            target_kind=TargetKind.FLAGGED,
            target_flag_year__in=years,
        )
        .select_related("plan")
        .order_by("-plan__period_start", "section__position", "position")
    )


def rechecks_for_user(*, user) -> QuerySet[Recheck]:
    return Recheck.objects.filter(access.managed_q(user, "municipality", roles_=access.READ_AREAS)).select_related(
        "school", "municipality"
    )


def recheck_for_user(*, user, pk: int) -> Recheck:
    return get_object_or_404(rechecks_for_user(user=user), pk=pk)
