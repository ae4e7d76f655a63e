"""The demo's work on its plans (called by portal.demo.seed_demo): every approved plan gets its
executions, and the Inta road map (order № 51 of 29.02.2024, in force 01.09.2023–31.08.2024) shows
the year as it ended: most reports accepted with evidence, some waiting for review, one returned,
a few never done (overdue today), and work in progress on the activities that have no date yet
(«в случае выявления признаков необъективности»), which therefore are not overdue.

Idempotent with fixed timestamps: a state is written only to an execution nobody has touched, so a
second run (or a run after someone worked in the demo) changes nothing.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db.models import Q

from activities.choices import ExecutionStatus, PlanStatus, ReviewStatus
from activities.models import Evidence, Execution, Plan
from activities.progress.pdf import html_to_pdf
from activities.services.executions import executions_sync

MSK = ZoneInfo("Europe/Moscow")
RETURN_COMMENT = "Приложите протокол школьной комиссии с подписями всех членов комиссии."

# (school code, activity number) → state; «*» is every Inta school not named.
INTA = {
    ("inta-sosh-5", "1.3"): "accepted",
    ("inta-sosh-5", "1.4"): "in_progress",
    ("inta-sosh-5", "2.1"): "accepted",
    ("inta-sosh-5", "2.2"): "accepted",
    ("inta-sosh-5", "2.3"): "review",
    ("inta-sosh-5", "2.4"): "review",
    ("inta-sosh-5", "2.5"): "returned",
    ("inta-sosh-5", "2.6"): "not_started",
    ("inta-sosh-5", "3.1"): "accepted",
    ("inta-sosh-5", "3.2"): "not_started",
    ("inta-sosh-5", "3.3"): "accepted",
    ("inta-sosh-5", "3.4"): "accepted",
    ("inta-sosh-petrun", "2.4"): "not_started",
    ("inta-sosh-petrun", "3.3"): "not_started",
    ("inta-sosh-petrun", "3.4"): "not_started",
    ("inta-sosh-abez", "3.1"): "in_progress",
    ("inta-sosh-abez", "3.2"): "not_started",
    ("inta-gymnasium-3", "2.5"): "returned",
    ("inta-lyceum-1", "2.6"): "review",
    ("inta-sosh-10", "3.4"): "review",
    ("inta", "1.1"): "in_progress",
    ("inta", "1.2"): "not_started",
}
# Named after what the activities ask for; every file is the same small, real PDF.
EVIDENCE_NAMES = {
    "2.1": "Приказ о назначении школьного координатора ВПР.pdf",
    "2.3": "Приказ ОО об организации и проведении ВПР.pdf",
    "2.5": "Протокол школьной комиссии по проверке ВПР.pdf",
    "1.3": "Протокол заседания ШМО.pdf",
}
COMMENTS = {
    "accepted": "Выполнено, материалы приложены.",
    "review": "Выполнено в срок.",
    "returned": "Проверка проведена, протокол приложен.",
    "in_progress": "Собираем материалы.",
    "done": "Выполнено.",
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=MSK)


@lru_cache(maxsize=1)
def demo_pdf() -> bytes:
    """A one-page PDF marked as a demo document (rendered once per process)."""
    html = (
        '<html><head><meta charset="utf-8"><style>@page { size: A4; margin: 20mm 10mm 20mm 30mm }'
        ' body { font: 14pt "PT Serif", "Liberation Serif", serif }</style></head><body>'
        "<p>МУНИЦИПАЛЬНОЕ БЮДЖЕТНОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ</p><h1>ПРОТОКОЛ</h1>"
        "<p>Демонстрационный подтверждающий документ vprplan: приказ, протокол или листы регистрации "
        "школы прикладываются так же.</p></body></html>"
    )
    return html_to_pdf(html)


def _pristine(e: Execution) -> bool:
    return (
        e.status == ExecutionStatus.NOT_STARTED
        and not e.review_status
        and not e.completed_at
        and not e.comment
        and not e.evidence.exists()
    )


def _apply(e: Execution, state: str, *, by, reviewer, with_file: bool) -> None:
    """Write one scripted state with timestamps from its due date (or the plan's end)."""
    if state == "not_started" or not _pristine(e):
        return
    plan = e.activity.plan
    day = min(e.due_date or plan.period_end, plan.period_end) - timedelta(days=5)
    done = state in ("accepted", "review", "returned", "done")
    e.comment = COMMENTS[state]
    e.status = ExecutionStatus.DONE if done and state != "returned" else ExecutionStatus.IN_PROGRESS
    if done:
        e.completed_at = _at(day)
        e.completed_by = by
    if state in ("accepted", "returned"):
        e.review_status = ReviewStatus.ACCEPTED if state == "accepted" else ReviewStatus.RETURNED
        e.review_comment = RETURN_COMMENT if state == "returned" else ""
        e.reviewed_by = reviewer
        e.reviewed_at = _at(day + timedelta(days=3), 15)
    e.save()
    if with_file:
        name = EVIDENCE_NAMES.get(e.activity.number, "Подтверждающий документ.pdf")
        evidence = Evidence(
            execution=e, original_name=name, content_type="application/pdf", size=len(demo_pdf())
        )
        evidence.file.save(f"demo-{e.pk}.pdf", ContentFile(demo_pdf()), save=False)
        evidence.uploaded_by = e.completed_by
        evidence.save()
        Evidence.objects.filter(pk=evidence.pk).update(uploaded_at=e.completed_at or _at(day))
    # Rows were saved with now() in updated_at: pin it too, so the demo reads the same every time.
    Execution.objects.filter(pk=e.pk).update(updated_at=e.reviewed_at or e.completed_at or _at(day))


def seed_work(plans: list[Plan], users: dict) -> dict:
    """Executions of every approved demo plan, and the Inta year's work on them."""
    for plan in plans:
        if plan.status == PlanStatus.APPROVED:
            executions_sync(plan=plan, actor=None)
    inta = next((p for p in plans if p.owner.code == "inta"), None)
    if inta is not None:
        executions = (
            Execution.objects.filter(activity__plan=inta)
            .select_related("activity", "activity__plan", "organization")
            .order_by("pk")
        )
        for e in executions:
            key = (e.organization.code, e.activity.number)
            state = INTA.get(key) or ("accepted" if e.organization.code != "inta" else "not_started")
            named = e.organization.code == "inta-sosh-5" or e.activity.number in EVIDENCE_NAMES
            _apply(
                e,
                state,
                by=users.get("school") if e.organization.code == "inta-sosh-5" else None,
                reviewer=users.get("coordinator"),
                with_file=state in ("accepted", "review", "returned") and named,
            )
    severo = next((p for p in plans if p.owner.code == "severo-eniseysky"), None)
    if severo is not None:
        for e in (
            Execution.objects.filter(activity__plan=severo, organization__code="severo-eniseysky")
            .filter(Q(activity__number="2.1") | Q(activity__number="4.3"))
            .select_related("activity", "activity__plan", "organization")
        ):
            state = "done" if e.activity.number == "2.1" else "in_progress"
            _apply(e, state, by=users.get("specialist"), reviewer=None, with_file=False)
    return {"executions": Execution.objects.filter(activity__plan__in=plans).count()}
