"""The current academic year's Inta road map (called by portal.demo_today): the transcribed
2023-2024 plan copied to the academic year of the day the demo is loaded (`plan_copy_to_period`),
with three activities the coordinator added to the copy, dated from that day so that the school's
«Мои задачи» always has work overdue, due this week and due later; then submitted, approved by an
order (reports.demo), and worked on: some reports accepted with evidence, one returned, some waiting
for review, some in progress.

Idempotent: the plan is found again by its source and period; its work is written only to
executions nobody has touched, with timestamps counted from the day of the first run.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile

from activities.choices import ExecutionLevel, ExecutionStatus, ReviewStatus, TargetKind
from activities.demo import COMMENTS, EVIDENCE_NAMES, MSK, RETURN_COMMENT, _pristine, demo_pdf
from activities.models import Activity, Evidence, Execution, Plan, ResponsibleRole
from activities.services import activity_add, activity_update, plan_copy_to_period, plan_submit
from activities.services.workflow import deadline_fields

SCHOOLS_ROLE = "Муниципальные общеобразовательные организации"

# (section position, title, days from the day of loading, expected result, evidence form)
ADDED = [
    (
        2,
        "Представление в Отдел образования приказов ОО о назначении школьных координаторов ВПР "
        "и о составе школьных комиссий по проверке ВПР",
        -4,
        "Сформирован муниципальный перечень школьных координаторов и комиссий по проверке ВПР",
        "Приказ ОО",
    ),
    (
        2,
        "Размещение на официальном сайте ОО информации о сроках и порядке проведения ВПР",
        16,
        "Участники образовательных отношений проинформированы о порядке проведения ВПР",
        "Ссылка на страницу сайта",
    ),
    (
        3,
        "Проведение тренировочных работ в формате ВПР и анализ их результатов на заседаниях ШМО",
        None,  # this week: two days on, or Sunday, whichever comes first
        "Выявлены затруднения обучающихся, скорректированы планы работы ШМО",
        "Протокол заседания ШМО",
    ),
]

# (school code or «inta», activity number) → state; work of the other schools is below.
SOSH5 = {
    "1.3": "in_progress",
    "2.1": "accepted",
    "2.2": "in_progress",
    "2.7": "returned",
    "3.1": "accepted",
    "3.2": "review",
    "3.3": "in_progress",
    "3.5": "in_progress",
}
OTHERS = {
    "2.1": "accepted",
    "2.7": "accepted",
    "3.1": "review",
}
# «…с руководителями ОО, по которым выявлены признаки…», «…в ОО, показавших высокий риск…»
FOR_FLAGGED = ("1.4", "2.6")
LATE = {"inta-sosh-abez", "inta-sosh-petrun"}  # nothing reported yet
AUTHORITY = {"1.2": "in_progress", "3.3": "in_progress"}  # 1.1 is overdue: the coordinator's reminder
NAMES = {**EVIDENCE_NAMES, "2.7": "Приказ о составе школьной комиссии по проверке ВПР.pdf"}
RETURNED = {
    "2.7": "В приказе нет состава школьной комиссии по проверке ВПР: приложите приказ полностью, "
    "с подписью руководителя ОО."
}


def academic_year(today: date) -> tuple[date, date]:
    """The academic year `today` belongs to: 1 September to 31 August."""
    first = today.year if today.month >= 9 else today.year - 1
    return date(first, 9, 1), date(first + 1, 8, 31)


def added_due(offset: int | None, today: date, start: date, end: date) -> date:
    day = today + timedelta(days=min(2, 6 - today.weekday())) if offset is None else today + timedelta(offset)
    return min(max(day, start), end)


def current_plan(source: Plan, today: date) -> Plan | None:
    start, _end = academic_year(today)
    return Plan.objects.filter(owner=source.owner, previous=source, period_start=start).first()


def seed_current_plan(*, source: Plan, actor, today: date) -> Plan:
    """This academic year's copy of `source`, submitted for approval (or found again)."""
    plan = current_plan(source, today)
    if plan is not None:
        return plan
    start, end = academic_year(today)
    plan = plan_copy_to_period(source=source, period_start=start, period_end=end, actor=actor)
    schools_role = ResponsibleRole.objects.filter(owner=None, name=SCHOOLS_ROLE).first()
    sections = {s.position: s for s in plan.sections.all()}
    for position, title, offset, result, evidence in ADDED:
        activity = activity_add(section=sections[position], actor=actor, title=title)
        text = f"До {added_due(offset, today, start, end):%d.%m.%Y}"
        data = {
            "deadline_text": text,
            **deadline_fields(text, period_start=start, period_end=end),
            "deadline_confirmed": True,
            "responsible_text": SCHOOLS_ROLE,
            "expected_result": result,
            "evidence_form": evidence,
            "evidence_required": True,
            "execution_level": ExecutionLevel.SCHOOL,
        }
        m2m = {"responsible_roles": [schools_role]} if schools_role else None
        activity_update(activity=activity, data=data, expected_version=activity.version, actor=actor, m2m=m2m)
    # Rows meant for the flagged schools only, addressed to those flagged from last spring's results.
    for activity in Activity.objects.filter(plan=plan, number__in=FOR_FLAGGED):
        data = {"target_kind": TargetKind.FLAGGED, "target_flag_year": start.year}
        activity_update(activity=activity, data=data, expected_version=activity.version, actor=actor)
    return plan_submit(plan=plan, actor=actor)


def _state(school: str, number: str) -> str:
    if school == "inta":
        return AUTHORITY.get(number, "not_started")
    if school == "inta-sosh-5":
        return SOSH5.get(number, "not_started")
    if school in LATE:
        return "not_started"
    return OTHERS.get(number, "not_started")


def _apply(e: Execution, state: str, *, by, reviewer, today: date, since: date) -> int:
    """One scripted state, reported five days before `today` and reviewed two days later (never
    before the plan was approved, never after `today`)."""
    if state == "not_started" or not _pristine(e):
        return 0
    reported = max(today - timedelta(days=5), since)
    reviewed = max(today - timedelta(days=3), since)
    done = state in ("accepted", "review", "returned", "done")
    e.comment = (
        "Приказ приложен." if state == "returned" and e.activity.number in RETURNED else COMMENTS[state]
    )
    e.status = ExecutionStatus.DONE if done and state != "returned" else ExecutionStatus.IN_PROGRESS
    if done:
        e.completed_at = datetime.combine(reported, time(11), tzinfo=MSK)
        e.completed_by = by
    if state in ("accepted", "returned") and e.is_reviewable:
        e.review_status = ReviewStatus.ACCEPTED if state == "accepted" else ReviewStatus.RETURNED
        e.review_comment = RETURNED.get(e.activity.number, RETURN_COMMENT) if state == "returned" else ""
        e.reviewed_by = reviewer
        e.reviewed_at = datetime.combine(reviewed, time(15), tzinfo=MSK)
    e.save()
    stamp = e.reviewed_at or e.completed_at or datetime.combine(reported, time(11), tzinfo=MSK)
    if state in ("accepted", "review", "returned"):
        evidence = Evidence(
            execution=e,
            original_name=NAMES.get(e.activity.number, "Подтверждающий документ.pdf"),
            content_type="application/pdf",
            size=len(demo_pdf()),
            uploaded_by=by,
        )
        evidence.file.save(f"demo-{e.pk}.pdf", ContentFile(demo_pdf()), save=False)
        evidence.save()
        Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=e.completed_at or stamp)
    Execution.objects.filter(pk=e.pk).update(updated_at=stamp)
    return 1


def seed_current_work(*, plan: Plan, users: dict, today: date) -> int:
    """The year so far on the current plan; returns how many executions got a state."""
    since = plan.approved_on or today
    written = 0
    executions = (
        Execution.objects.filter(activity__plan=plan)
        .select_related("activity", "activity__plan", "organization")
        .order_by("pk")
    )
    for e in executions:
        code = e.organization.code
        if e.due_date is not None and e.due_date < today and code not in ("inta-sosh-5", "inta"):
            state = "not_started" if code in LATE else "accepted"  # the others reported in time
        else:
            state = _state(code, e.activity.number)
        written += _apply(
            e,
            state,
            by={"inta-sosh-5": users.get("school"), "inta": users.get("coordinator")}.get(code),
            reviewer=users.get("coordinator"),
            today=today,
            since=since,
        )
    return written


def seed_current(*, source: Plan, users: dict, today: date, sign) -> tuple[Plan, int]:
    """The plan, its approval (`sign(plan)`, reports.demo) and, the day it is made, its work.
    Returns the plan and how many executions got a state in this run."""
    existing = current_plan(source, today)
    plan = existing or seed_current_plan(source=source, actor=users["coordinator"], today=today)
    sign(plan)
    plan.refresh_from_db()
    if existing is not None:
        return plan, 0
    return plan, seed_current_work(plan=plan, users=users, today=today)
