"""Reads of plans and activities, always scoped by the user (vprplan.access)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from activities.choices import PUBLISHED_STATUSES
from activities.models import Activity, Plan, Section
from vprplan import access


def plans_for_user(*, user) -> QuerySet[Plan]:
    """Plans the user may read: those of the organisations he manages, any status, and the
    published plans of the organisations he works under (a school reads its municipality's plan).
    """
    q = access.managed_q(user, "owner") | (access.context_q(user, "owner") & Q(status__in=PUBLISHED_STATUSES))
    return Plan.objects.filter(q).select_related("owner")


def plans_overview(*, user) -> QuerySet[Plan]:
    """The home page's list: visible plans with their size, newest period first."""
    return (
        plans_for_user(user=user)
        .annotate(
            section_count=Count("sections", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        .order_by("owner__kind", "owner__name", "-period_start", "title")
    )


def plan_document(plan: Plan) -> list[Section]:
    """The plan's sections, each with its activities in order: everything the document prints."""
    return list(
        plan.sections.order_by("position").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("position"))
        )
    )


def published_plans(*, owner) -> QuerySet[Plan]:
    """What the public sees of an organisation: its approved and archived plans."""
    return Plan.objects.filter(owner=owner, status__in=PUBLISHED_STATUSES).select_related("owner")
