"""Reads of plans and activities, always scoped by the user (vprplan.access)."""

from datetime import date

from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from activities.choices import PUBLISHED_STATUSES, ExecutionLevel, ExecutionStatus, PlanStatus, TargetKind
from activities.models import Activity, Evidence, Execution, Plan, Section
from schools.choices import OrgKind, Role
from schools.models import Organization
from vprplan import access
from vprplan.models import AuditEvent
from vprplan.statements import Read, Table


def plans_for_user(*, user) -> QuerySet[Plan]:
    """Plans the user may read: those of the organisations he manages, any status, and the
    published plans of the organisations he works under (a school reads its municipality's plan).
    """
    q = access.managed_q(user, "owner") | (access.context_q(user, "owner") & Q(status__in=PUBLISHED_STATUSES))
    return Plan.objects.filter(q).select_related("owner")


# What the home page prints of a plan and its owner (not the plan's goals, tasks and introduction).
OVERVIEW_FIELDS = (
    "title",
    "status",
    "period_start",
    "period_end",
    "version_number",  # two plans of one title and period: «редакция 2» tells the new one
    "amends",  # and, until approved, «изменения в утверждённый план»
    "owner__name",
    "owner__short_name",
    "owner__kind",
)


def plans_overview(*, user) -> QuerySet[Plan]:
    """The home page's list: visible plans with their number of activities, newest period first.

    The count is a subquery per plan: joining sections and activities together multiplies the rows
    (6 × 150 a plan) and groups them by every column of plan and owner (bench: 6× → 1.6×).
    """
    activities = (
        Activity.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        plans_for_user(user=user)
        .only(*OVERVIEW_FIELDS)
        .annotate(activity_count=Coalesce(Subquery(activities, output_field=IntegerField()), 0))
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
    """The editor's rows: the same document; the activity form loads its own choices."""
    return plan_document(plan)


def activity_for_user(*, user, pk: int) -> Activity:
    """An activity of a plan the user reads, or 404."""
    return get_object_or_404(
        Activity.objects.select_related("plan", "plan__owner", "section"),
        pk=pk,
        plan__in=plans_for_user(user=user),
    )


_ACTIVITY_WITH_PLAN = Read(
    Table(Activity, "a"),
    Table(Section, "s"),
    Table(Plan, "p"),
    Table(Organization, "o"),
    rest="FROM {a} JOIN {s} ON s.id = a.section_id JOIN {p} ON p.id = a.plan_id "
    "JOIN {o} ON o.id = p.owner_id WHERE a.id = %s",
)


def activity_with_plan(pk: int) -> Activity | None:
    """The activity with its section and its plan with the owner, or None: what
    `select_related("section", "plan", "plan__owner")` reads, as a statement written once
    (vprplan.statements): every edit in the editor reads it, and the ORM took three times longer
    building that query than running it."""
    row = _ACTIVITY_WITH_PLAN.first([pk])
    if row is None:
        return None
    activity, section, plan, owner = row
    plan.owner = owner
    activity.section = section
    activity.plan = plan
    return activity


def activity_history(*, activity: Activity):
    """Who changed what in this activity, and when: its audit events, newest first."""
    return AuditEvent.objects.filter(
        object_type="activities.activity", object_id=str(activity.pk)
    ).select_related("actor")


def target_schools(*, activity: Activity):
    """The schools an activity is addressed to, as the plan's owner resolves them."""
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


# Executions -------------------------------------------------------------------------------------
# Who reads a school's or an authority's work is vprplan.access's rule (access.work_q).
# Who sees a plan's progress (the dashboard) is access.READ_DASHBOARD.


def _named(user) -> Exists:
    """The execution's activity names a responsible person whose account is `user`."""
    through = Activity.responsible_persons.through
    return Exists(through.objects.filter(activity_id=OuterRef("activity_id"), responsibleperson__user=user))


def executions_for_user(*, user) -> QuerySet[Execution]:
    """Executions the user may read (and download the evidence of); everything else is 404."""
    return Execution.objects.filter(access.work_q(user, "organization", named=Q(_named(user))))


def tasks_for_user(*, user) -> QuerySet[Execution]:
    """What the user ticks off himself («Мои задачи»), in approved plans:
    - a school coordinator: everything his school does;
    - a named specialist: the authority's executions of activities that name him;
    - a municipal coordinator: the authority's executions of activities of his role, and of those
      that name no one with an account (someone has to report them);
    - a regional administrator: the region's own executions of a regional plan.
    """
    q = access.NOTHING
    for m in access.memberships(user):
        org = m.organization
        if m.role == Role.SCHOOL_COORDINATOR:
            q |= Q(organization_id=org.pk)
        elif m.role == Role.SPECIALIST:
            q |= Q(organization_id=org.pk) & Q(_named(user))
        elif m.role == Role.MUNICIPAL_COORDINATOR:
            roles = Activity.responsible_roles.through.objects.filter(
                activity_id=OuterRef("activity_id"), responsiblerole__acting_role=Role.MUNICIPAL_COORDINATOR
            )
            anyone = Activity.responsible_persons.through.objects.filter(
                activity_id=OuterRef("activity_id"), responsibleperson__user__isnull=False
            )
            q |= Q(organization_id=org.pk) & (Q(Exists(roles)) | ~Q(Exists(anyone)))
        elif m.role == Role.REGIONAL_ADMIN:
            q |= Q(organization_id=org.pk)
    return Execution.objects.filter(q, activity__plan__status=PlanStatus.APPROVED).exclude(
        status=ExecutionStatus.NOT_APPLICABLE
    )


def can_complete(user, execution: Execution) -> bool:
    """The execution is one of the user's tasks (tasks_for_user). The rule's plain clauses (a
    school coordinator's or a regional administrator's own organisation) are decided from the
    memberships already read when the execution came with its plan; the others ask the database."""
    activity_field, plan_field = Execution._meta.get_field("activity"), Activity._meta.get_field("plan")
    if activity_field.is_cached(execution) and plan_field.is_cached(execution.activity):
        if (
            execution.status != ExecutionStatus.NOT_APPLICABLE
            and execution.activity.plan.status == PlanStatus.APPROVED
            and any(
                m.role in access.COMPLETE_ALL_WORK
                and m.organization_id == execution.organization_id
                for m in access.memberships(user)
            )
        ):
            return True
    return tasks_for_user(user=user).filter(pk=execution.pk).exists()


def can_review(user, execution: Execution) -> bool:
    """The execution waits for this user's review now: reviewable work of an approved plan, and he
    is its reviewer (is_reviewer)."""
    plan = execution.activity.plan
    if not execution.is_reviewable or plan.status != PlanStatus.APPROVED:
        return False
    return is_reviewer(user, execution)


def is_reviewer(user, execution: Execution) -> bool:
    """access.REVIEW_WORK over this work: the municipal coordinator of the school's municipality
    (a regional plan's school work: the region's administrator); nobody reviews the plan owner's
    own work (Execution.is_reviewable)."""
    if not access.can(user, access.REVIEW_WORK):
        return False
    org, plan = execution.organization, execution.activity.plan
    for m in access.memberships(user):
        if m.role == Role.MUNICIPAL_COORDINATOR and m.organization_id == org.municipality_id:
            return True
        if m.role == Role.REGIONAL_ADMIN and plan.owner_id == m.organization_id:
            return True
    return False


# What an execution's page shows of its relations; its report form needs only the first ones.
PAGE_RELATIONS = (
    "activity",
    "activity__plan",
    "organization",
    "activity__section",
    "activity__plan__owner",
    "completed_by",
    "reviewed_by",
)
FORM_RELATIONS = PAGE_RELATIONS[:3]


def execution_for_user(*, user, pk: int, related: tuple[str, ...] = PAGE_RELATIONS) -> Execution:
    """One execution the user may read, with `related` (what its page shows), or 404."""
    return get_object_or_404(executions_for_user(user=user).select_related(*related), pk=pk)


def evidence_for_user(*, user, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("execution"), pk=pk, execution__in=executions_for_user(user=user)
    )


def dashboard_plans(*, user) -> QuerySet[Plan]:
    """Municipal plans whose progress the user follows (approved, or archived with their work)."""
    return Plan.objects.filter(
        access.managed_q(user, "owner", roles_=access.READ_DASHBOARD),
        owner__kind=OrgKind.MUNICIPALITY,
        status__in=PUBLISHED_STATUSES,
    ).select_related("owner")


def overview_regions(*, user) -> list:
    """The regions whose overview the user reads (his regional administrator seats)."""
    return access.seats(user, access.READ_REGIONS)


def followed_school_work(*, user):
    """For a named specialist: how the schools do on the activities that name him (he follows them,
    the schools tick them off), per activity of an approved plan."""
    today_open = Q(status__in=(ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS))
    return (
        executions_for_user(user=user)
        .filter(_named(user), activity__plan__status=PlanStatus.APPROVED)
        .exclude(organization_id=F("activity__plan__owner_id"))
        .exclude(status=ExecutionStatus.NOT_APPLICABLE)
        .values("activity_id", "activity__number", "activity__title", "activity__plan__title")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=ExecutionStatus.DONE)),
            open=Count("pk", filter=today_open),
            first=Min("pk"),
        )
        .order_by("activity__plan_id", "activity__section__position", "activity__position")
    )


def today_for(user) -> date:
    """Today where the user works (a region's own time zone), the server's day otherwise."""
    orgs = access.user_organizations(user)
    return timezone.localdate(timezone=orgs[0].tz) if orgs else timezone.localdate()
