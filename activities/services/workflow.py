"""A plan's life: created (empty, from a model plan, or as next year's copy), submitted, approved,
archived; an approved plan changes only through a new version («Изменения в план»)."""

import re
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from activities.choices import ExecutionLevel, PlanStatus, TargetKind
from activities.deadlines import activity_rule, parse_deadline
from activities.models import Activity, Plan, Section
from activities.models.plans import period_problem
from activities.reminders.approvals import notify_plan_submitted
from activities.services.content import plan_renumber
from activities.services.editor import ACTIVITY_EDIT_FIELDS, ACTIVITY_M2M, ensure_draft, lock_status
from activities.services.executions import executions_schedule
from schools.models import Organization
from vprplan import access
from vprplan.audit import audit
from vprplan.errors import DomainError

PLAN_SETTINGS_FIELDS = [
    "title",
    "kind",
    "period_text",
    "period_start",
    "period_end",
    "goals",
    "tasks",
    "introduction",
    "section_numbering",
]


def deadline_fields(text: str, *, period_start: date, period_end: date) -> dict:
    """The rule the parser reads from a deadline's text, as Activity fields (unconfirmed)."""
    rule = parse_deadline(text, period_start=period_start, period_end=period_end)
    return {
        "deadline_kind": rule.kind,
        "deadline_rule": rule.params,
        "deadline_warning": rule.warning[:300],
        "deadline_confirmed": False,
    }


@transaction.atomic
def plan_create(*, owner: Organization, actor: User, source: Plan | None = None, **settings) -> Plan:
    """A new draft plan of `owner`, empty or filled from `source` (e.g. the regional model plan)."""
    plan = Plan(owner=owner, status=PlanStatus.DRAFT, **settings)
    if source is not None:
        plan.columns = source.columns
        plan.section_numbering = source.section_numbering
        plan.parent = source if source.owner_id != owner.pk else None
    plan.full_clean()
    plan.save()
    if source is not None:
        _copy_content(source, plan, year_shift=0)
    audit(actor, "plan.created", plan, organization=owner, source=source.pk if source else None)
    return plan


@transaction.atomic
def plan_update_settings(*, plan: Plan, actor: User, **values) -> Plan:
    ensure_draft(plan)
    changes = {}
    for name, value in values.items():
        if name not in PLAN_SETTINGS_FIELDS:
            raise ValueError(name)
        if getattr(plan, name) != value:
            changes[name] = [str(getattr(plan, name)), str(value)]
            setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    if "period_start" in changes or "period_end" in changes:
        _reparse_deadlines(plan)
    if changes:
        audit(actor, "plan.changed", plan, organization=plan.owner, changes=changes)
    return plan


def _reparse_deadlines(plan: Plan) -> None:
    rows = list(Activity.objects.filter(plan=plan, deadline_confirmed=False))
    for a in rows:
        for k, v in deadline_fields(
            a.deadline_text, period_start=plan.period_start, period_end=plan.period_end
        ).items():
            setattr(a, k, v)
    Activity.objects.bulk_update(rows, ["deadline_kind", "deadline_rule", "deadline_warning"])


YEAR = re.compile(r"(?<!\d)(19|20)(\d{2})(?!\d)")
SHORT_DATE_YEAR = re.compile(r"(?<!\d)(\d{1,2}\.\d{1,2}\.)(\d{2})(?!\d)")


def shift_years(text: str, years: int) -> str:
    """«До 25.01.2023» → «До 25.01.2024», «2023-2024 учебного года» → «2024-2025 …» for years=1."""
    if not years:
        return text
    text = YEAR.sub(lambda m: str(int(m.group(0)) + years), text)
    return SHORT_DATE_YEAR.sub(lambda m: f"{m.group(1)}{(int(m.group(2)) + years) % 100:02d}", text)


def _copy_content(source: Plan, target: Plan, *, year_shift: int, only=None) -> None:
    """Copy sections and activities (all, or those `only(activity)` keeps) with their links;
    every copy remembers its origin so versions can be compared."""
    sections = list(
        source.sections.order_by("position").prefetch_related(*(f"activities__{m}" for m in ACTIVITY_M2M))
    )
    position = 0
    for section in sections:
        rows = [
            a for a in sorted(section.activities.all(), key=lambda a: a.position) if only is None or only(a)
        ]
        if only is not None and not rows:
            continue
        position += 1
        new_section = Section.objects.create(plan=target, position=position, title=section.title)
        for index, a in enumerate(rows, start=1):
            values = {k: getattr(a, k) for k in ACTIVITY_EDIT_FIELDS}
            if year_shift:
                values["deadline_text"] = shift_years(a.deadline_text, year_shift)
                values["title"] = shift_years(a.title, year_shift)
                if values["target_flag_year"]:
                    values["target_flag_year"] += year_shift
            if year_shift:  # the dates moved: read the rule again; the coordinator re-confirms it
                values.update(
                    deadline_fields(
                        values["deadline_text"],
                        period_start=target.period_start,
                        period_end=target.period_end,
                    )
                )
            elif not values["deadline_rule"]:  # seeded or imported without parameters: store them once
                rule = activity_rule(a)
                values.update(deadline_rule=rule.params, deadline_warning=rule.warning[:300])
            copy = Activity.objects.create(
                plan=target, section=new_section, position=index, origin=a, **values
            )
            for m in ACTIVITY_M2M:
                getattr(copy, m).set(getattr(a, m).all())
    plan_renumber(plan=target)


@transaction.atomic
def plan_copy_to_period(
    *, source: Plan, period_start: date, period_end: date, actor: User, title: str | None = None
) -> Plan:
    """Next year's plan from this one: every year in titles and dated deadlines moves with the period."""
    if problem := period_problem(period_start, period_end):
        raise DomainError(problem)
    shift = period_start.year - source.period_start.year
    plan = Plan.objects.create(
        owner=source.owner,
        title=title or shift_years(source.title, shift),
        kind=source.kind,
        period_text=shift_years(source.period_text, shift),
        period_start=period_start,
        period_end=period_end,
        goals=source.goals,
        tasks=source.tasks,
        introduction=source.introduction,
        section_numbering=source.section_numbering,
        columns=source.columns,
        status=PlanStatus.DRAFT,
        previous=source,
        parent=source.parent,
    )
    _copy_content(source, plan, year_shift=shift)
    audit(actor, "plan.copied", plan, organization=plan.owner, source=source.pk, years=shift)
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, actor: User) -> Plan:
    ensure_draft(plan)
    if not Activity.objects.filter(plan=plan).exists():
        raise DomainError("В плане нет ни одного мероприятия: отправлять на утверждение нечего.")
    _transition(plan, PlanStatus.ON_APPROVAL, actor, "plan.submitted")
    notify_plan_submitted(plan=plan, actor=actor)  # the head approves it (his order)
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, actor: User, comment: str = "") -> Plan:
    lock_status(plan)
    if plan.status != PlanStatus.ON_APPROVAL:
        raise DomainError("Вернуть на доработку можно только план, отправленный на утверждение.")
    return _transition(plan, PlanStatus.DRAFT, actor, "plan.returned", comment=comment)


@transaction.atomic
def plan_approve(*, plan: Plan, actor: User, approved_on: date | None = None, approval_text: str = "") -> Plan:
    """Approve a submitted plan (its owner's approver: access.APPROVE_PLANS). A new version replaces
    the plan it amends, which goes to the archive and hands its executions over
    (activities.services.executions)."""
    access.require(actor, access.APPROVE_PLANS, plan.owner)
    return _approve(plan=plan, actor=actor, approved_on=approved_on, approval_text=approval_text)


@transaction.atomic
def plan_approve_by_order(
    *, plan: Plan, actor: User, approved_on: date | None = None, approval_text: str = ""
) -> Plan:
    """The plan approved by its signed order (reports.orders.signed): the order's signature is the
    authority, checked when the signing was asked for, and `actor` is who asked for it."""
    return _approve(plan=plan, actor=actor, approved_on=approved_on, approval_text=approval_text)


def _approve(*, plan: Plan, actor: User, approved_on: date | None, approval_text: str) -> Plan:
    lock_status(plan)
    if plan.status != PlanStatus.ON_APPROVAL:
        raise DomainError("Утвердить можно только план, отправленный на утверждение.")
    plan.approved_on = approved_on or timezone.localdate()
    if approval_text:
        plan.approval_text = approval_text
    plan.save(update_fields=["approved_on", "approval_text"])
    if plan.amends_id and plan.amends.status == PlanStatus.APPROVED:
        _transition(plan.amends, PlanStatus.ARCHIVED, actor, "plan.superseded", by=plan.pk)
    _transition(plan, PlanStatus.APPROVED, actor, "plan.approved")
    # Schools see their tasks as soon as the plan is in force (a very big plan: after a job).
    executions_schedule(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_archive(*, plan: Plan, actor: User) -> Plan:
    lock_status(plan)
    if plan.status != PlanStatus.APPROVED:
        raise DomainError("В архив переводится утверждённый план.")
    return _transition(plan, PlanStatus.ARCHIVED, actor, "plan.archived")


def _transition(plan: Plan, status: str, actor: User, action: str, **data) -> Plan:
    data["from"], data["to"] = plan.status, status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit(actor, action, plan, organization=plan.owner, **data)
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, actor: User) -> Plan:
    """«Изменения в план»: a draft copy of an approved plan; the approved one stays in force
    until the new version is approved. Asking twice gives the same draft."""
    if plan.status != PlanStatus.APPROVED:
        raise DomainError("Новая редакция делается из утверждённого плана.")
    existing = plan.amendments.exclude(status=PlanStatus.ARCHIVED).exclude(status=PlanStatus.APPROVED).first()
    if existing:
        return existing
    version = Plan.objects.create(
        owner=plan.owner,
        title=plan.title,
        kind=plan.kind,
        period_text=plan.period_text,
        period_start=plan.period_start,
        period_end=plan.period_end,
        goals=plan.goals,
        tasks=plan.tasks,
        introduction=plan.introduction,
        section_numbering=plan.section_numbering,
        columns=plan.columns,
        status=PlanStatus.DRAFT,
        amends=plan,
        parent=plan.parent,
        previous=plan.previous,
        version_number=plan.version_number + 1,
    )
    _copy_content(plan, version, year_shift=0)
    audit(actor, "plan.version_started", version, organization=plan.owner, amends=plan.pk)
    return version


@transaction.atomic
def school_plan_from_municipal(*, municipal_plan: Plan, school: Organization, actor: User) -> Plan:
    """The school's own plan, starting from the municipal activities addressed to its schools."""
    if school.municipality_id != municipal_plan.owner_id:
        raise DomainError("Школа не относится к муниципалитету этого плана.")
    if not municipal_plan.is_published:
        raise DomainError("План школы составляется по утверждённому муниципальному плану.")
    flagged_years = set(school.flags.values_list("year", flat=True))
    chosen = set(
        Activity.target_schools.through.objects.filter(
            organization=school, activity__plan=municipal_plan
        ).values_list("activity_id", flat=True)
    )

    def addressed_to_school(a: Activity) -> bool:
        if a.execution_level != ExecutionLevel.SCHOOL:
            return False
        if a.target_kind == TargetKind.FLAGGED:
            return a.target_flag_year in flagged_years
        if a.target_kind == TargetKind.CHOSEN:
            return a.pk in chosen
        return True

    plan = Plan.objects.create(
        owner=school,
        title=f"План мероприятий {school.short_name or school.name} по обеспечению "
        f"объективности результатов ВПР{', ' + municipal_plan.period_text if municipal_plan.period_text else ''}",
        kind=municipal_plan.kind,
        period_text=municipal_plan.period_text,
        period_start=municipal_plan.period_start,
        period_end=municipal_plan.period_end,
        section_numbering=municipal_plan.section_numbering,
        columns=municipal_plan.columns,
        status=PlanStatus.DRAFT,
        parent=municipal_plan,
    )
    _copy_content(municipal_plan, plan, year_shift=0, only=addressed_to_school)
    Activity.objects.filter(plan=plan).update(
        execution_level=ExecutionLevel.AUTHORITY, target_kind=TargetKind.ALL
    )
    audit(actor, "plan.derived", plan, organization=school, parent=municipal_plan.pk)
    return plan
