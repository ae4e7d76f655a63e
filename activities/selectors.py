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


def plan_editor_document(plan: Plan) -> list[Section]:
    """Like plan_document, with what the editor shows per row (roles, persons, chosen schools)."""
    return list(
        plan.sections.order_by("position").prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("position").prefetch_related(
                    "responsible_roles", "responsible_persons", "target_schools"
                ),
            )
        )
    )


def activity_for_user(*, user, pk: int) -> Activity:
    """An activity of a plan the user reads, or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Activity.objects.select_related("plan", "plan__owner", "section"),
        pk=pk,
        plan__in=plans_for_user(user=user),
    )


def activity_history(*, activity: Activity):
    """Who changed what in this activity, and when: its audit events, newest first."""
    from vprplan.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type="activities.activity", object_id=str(activity.pk)
    ).select_related("actor")


def target_schools(*, activity: Activity):
    """The schools an activity is addressed to, as the plan's owner resolves them."""
    from activities.choices import ExecutionLevel, TargetKind
    from schools.models import Organization

    owner = activity.plan.owner
    if activity.execution_level != ExecutionLevel.SCHOOL or owner.is_school:
        return Organization.objects.none()
    schools = Organization.objects.schools().filter(is_active=True)
    schools = (
        schools.filter(municipality=owner) if owner.kind == "municipality" else schools.filter(region=owner)
    )
    if activity.target_kind == TargetKind.FLAGGED:
        schools = schools.filter(flags__year=activity.target_flag_year).distinct()
    elif activity.target_kind == TargetKind.CHOSEN:
        schools = schools.filter(pk__in=activity.target_schools.values("pk"))
    return schools.order_by("name")


DIFF_FIELDS = ["title", "deadline_text", "responsible_text", "expected_result", "note", "evidence_form"]


def plan_diff(*, plan: Plan) -> list[dict]:
    """The differences of a new version from the plan it amends, row by row, in the new order:
    {"status": same|changed|added|removed, "old": Activity|None, "new": Activity|None, "fields": […],
    "moved": bool}. A row renumbered only because others came or went is not a change; a row that
    went to another section is. Removed rows stand where they were, after their old predecessor.
    """
    base = plan.amends
    if base is None:
        return []
    old_rows = list(
        Activity.objects.filter(plan=base).select_related("section").order_by("section__position", "position")
    )
    old = {a.pk: a for a in old_rows}
    rows, row_of_old = [], {}
    for a in (
        Activity.objects.filter(plan=plan).select_related("section").order_by("section__position", "position")
    ):
        before = old.get(a.origin_id)
        if before is None:
            rows.append({"status": "added", "old": None, "new": a, "fields": []})
            continue
        fields = [f for f in DIFF_FIELDS if getattr(before, f) != getattr(a, f)]
        moved = before.section.title != a.section.title
        renumbered = before.number != a.number
        status = "changed" if fields or moved else "same"
        row = {
            "status": status,
            "old": before,
            "new": a,
            "fields": fields,
            "moved": moved,
            "renumbered": renumbered,
        }
        row_of_old[before.pk] = row
        rows.append(row)
    previous = None
    for before in old_rows:
        if before.pk in row_of_old:
            previous = row_of_old[before.pk]
            continue
        removed = {"status": "removed", "old": before, "new": None, "fields": []}
        index = rows.index(previous) + 1 if previous is not None else 0
        rows.insert(index, removed)
        previous = removed
    return rows
