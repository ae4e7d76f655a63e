"""The «Справка PDF» of a plan's progress as a long export (vprplan.documents.exports): rendered by a
job for the user who asked, registered from activities/apps.py."""

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from activities.models import Execution, Plan
from activities.progress.pdf import progress_pdf
from activities.selectors import dashboard_plans, today_for
from vprplan.documents.kinds import ExportKind, Rendered
from vprplan.errors import DomainError

PROGRESS_PDF = "progress_pdf"


def _check(user, params) -> Plan:
    plan = dashboard_plans(user=user).filter(pk=params.get("plan")).first()
    if plan is None:
        raise DomainError("Справка не сформирована: у вас больше нет доступа к ходу выполнения этого плана.")
    return plan


def _render(user, params, plan: Plan) -> Rendered:
    today = today_for(user)
    content = progress_pdf(plan, today=today, user=user)
    return Rendered(content, f"spravka-{plan.owner.code}-{today:%Y-%m-%d}.pdf")


def _version(params) -> str:
    """The plan's state as the «Справка» shows it: its last change, its executions' last change and
    number, and the day (what is overdue changes with it)."""
    plan = Plan.objects.filter(pk=params.get("plan")).values_list("updated_at", "version_number").first()
    work = Execution.objects.filter(activity__plan_id=params.get("plan")).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    return f"{plan}|{work['n']}|{work['at']}|{timezone.localdate()}"


def _source_url(params) -> str:
    return reverse("activities:plan_progress_pdf", args=[params["plan"]])


PROGRESS_EXPORT = ExportKind(
    check=_check,
    render=_render,
    version=_version,
    title="Справка о ходе выполнения плана",
    source_url=_source_url,
)
