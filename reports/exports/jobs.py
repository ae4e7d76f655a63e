"""Long exports as jobs: the PDFs WeasyPrint renders in seconds (the progress «Справка», the
observers' schedule) are asked for in the request and rendered by a job into an `ExportFile`
whose status page the browser polls; only the requester downloads the file.

The job re-checks the requester's access with the selectors the views use (he may have lost his
role since he asked), renders with the existing render code and stores the file. A failure is
recorded on the record with a Russian message; asking again makes a new one. A second run of a
finished export does nothing.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from reports.models import ExportFile
from schools.selectors import campaign_for_user
from vprplan import jobs
from vprplan.audit import audit
from vprplan.errors import DomainError

log = logging.getLogger(__name__)

RENDER_TASK = "reports.render_export"
CLEANUP_TASK = "reports.cleanup_exports"
# A second click while the first export is still in the queue gets the same record.
REUSE_PENDING = timedelta(minutes=5)
KEEP = timedelta(days=1)
UNFINISHED = (ExportFile.Status.PENDING, ExportFile.Status.RENDERING)
FAILED_INTERNAL = "Не удалось сформировать файл из-за внутренней ошибки. Попробуйте запросить его ещё раз."


@dataclass(frozen=True)
class Rendered:
    content: bytes
    file_name: str
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class Kind:
    check: Callable  # (user, params) -> the objects, or DomainError when the user may not
    render: Callable  # (user, params, objects) -> Rendered
    personal_data: dict | None = None  # audited as personal_data.exported on download
    version: Callable | None = None  # (params) -> what the file shows, as a key: same key, same file
    title: str = "Файл"  # for the page that starts the export


# The progress report of a plan («Справка PDF», activities.views.progress).


def _progress_check(user, params):
    from activities.selectors import dashboard_plans

    plan = dashboard_plans(user=user).filter(pk=params.get("plan")).first()
    if plan is None:
        raise DomainError("Справка не сформирована: у вас больше нет доступа к ходу выполнения этого плана.")
    return plan


def _progress_render(user, params, plan) -> Rendered:
    from activities.progress.pdf import progress_pdf
    from activities.views.tasks import today_for

    today = today_for(user)
    content = progress_pdf(plan, today=today, user=user)
    return Rendered(content, f"spravka-{plan.owner.code}-{today:%Y-%m-%d}.pdf")


def _progress_version(params) -> str:
    """The plan's state as the «Справка» shows it: its last change, its executions' last change and
    number, and the day (what is overdue changes with it)."""
    from django.db.models import Count, Max

    from activities.models import Execution, Plan

    plan = Plan.objects.filter(pk=params.get("plan")).values_list("updated_at", "version_number").first()
    work = Execution.objects.filter(activity__plan_id=params.get("plan")).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    return f"{plan}|{work['n']}|{work['at']}|{timezone.localdate()}"


# The observers' schedule of a municipality in a VPR campaign (observers.views.board).


def _schedule_check(user, params):
    from observers import selectors

    try:
        campaign = campaign_for_user(user=user, pk=params.get("campaign"))
        municipality = selectors.municipality_for_user(user=user, code=params.get("code", ""))
    except Http404:
        municipality = campaign = None
    if municipality is None or municipality.region_id != campaign.region_id:
        raise DomainError("График не сформирован: у вас больше нет доступа к графику этого муниципалитета.")
    return campaign, municipality


def _schedule_render(user, params, objects) -> Rendered:
    from observers.exports import render_schedule_pdf

    campaign, municipality = objects
    content = render_schedule_pdf(municipality, campaign)
    return Rendered(content, f"grafik-nabludateley-{municipality.code}-{campaign.year}.pdf")


def _schedule_version(params) -> str:
    """The campaign's sessions, the assignments and the municipality's observers: last change and number."""
    from django.db.models import Count, Max

    from observers.models import Assignment, Observer
    from schools.models import VprSession

    parts = [
        model.objects.filter(**where).aggregate(n=Count("pk"), at=Max("updated_at"))
        for model, where in (
            (VprSession, {"campaign_id": params.get("campaign")}),
            (Assignment, {"session__campaign_id": params.get("campaign")}),
            (Observer, {"municipality__code": params.get("code")}),
        )
    ]
    return "|".join(f"{p['n']}:{p['at']}" for p in parts) + f"|{timezone.localdate()}"


KINDS: dict[str, Kind] = {
    ExportFile.Kind.PROGRESS_PDF: Kind(
        check=_progress_check,
        render=_progress_render,
        version=_progress_version,
        title="Справка о ходе выполнения плана",
    ),
    ExportFile.Kind.OBSERVER_SCHEDULE_PDF: Kind(
        check=_schedule_check,
        render=_schedule_render,
        version=_schedule_version,
        title="График распределения общественных наблюдателей",
        personal_data={"export": "observer_schedule", "fields": ["full_name", "kind", "organization_name"]},
    ),
}


def export_source_url(export: ExportFile) -> str:
    """The URL that asks for the same export again (the «Запросить ещё раз» link)."""
    from django.urls import reverse

    if export.kind == ExportFile.Kind.PROGRESS_PDF:
        return reverse("activities:plan_progress_pdf", args=[export.params["plan"]])
    return reverse("observers:observer_schedule_pdf", args=[export.params["campaign"], export.params["code"]])


# Selectors.


def export_for_user(*, user, pk) -> ExportFile:
    """An export the user asked for himself, or 404 (anyone else's, whatever his role)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(ExportFile.objects.filter(requested_by=user), pk=pk)


def export_still_allowed(*, export: ExportFile, user) -> bool:
    """Whether the user still reads what the export shows (checked again on download)."""
    try:
        KINDS[export.kind].check(user, export.params)
    except DomainError:
        return False
    return True


# Services.


def export_reusable(*, kind: str, params: dict, actor, organization) -> ExportFile | None:
    """The user's export of the same thing in the same version: still waiting in the queue (asked
    for less than REUSE_PENDING ago), or finished and kept (KEEP) — a second request starts no job."""
    if kind not in KINDS:
        raise ValueError(kind)
    params = _versioned(kind, params)
    now = timezone.now()
    found = ExportFile.objects.filter(requested_by=actor, kind=kind, organization=organization).filter(
        Q(status__in=UNFINISHED, created_at__gte=now - REUSE_PENDING)
        | Q(status=ExportFile.Status.READY, created_at__gte=now - KEEP)
    )
    return next((e for e in found.order_by("-created_at") if e.params == params), None)


def _versioned(kind: str, params: dict) -> dict:
    version = KINDS[kind].version
    if version is None:
        return params
    return {**params, "version": hashlib.sha256(version(params).encode()).hexdigest()[:16]}


@transaction.atomic
def export_request(*, kind: str, params: dict, actor, organization) -> ExportFile:
    """Ask for an export; the job renders it after commit (in-process when there is no broker).
    The same export in the same version, waiting or finished, asked for by the same user, is reused."""
    reused = export_reusable(kind=kind, params=params, actor=actor, organization=organization)
    if reused is not None:
        return reused
    params = _versioned(kind, params)
    export = ExportFile.objects.create(
        kind=kind, params=params, organization=organization, requested_by=actor
    )
    export.job = jobs.enqueue(RENDER_TASK, str(export.pk), actor=actor)
    export.save(update_fields=["job"])
    audit(actor, "export.requested", export, organization=organization, kind=kind, params=params)
    return export


def export_render(*, export_id) -> ExportFile:
    """The job: check the requester's access again, render, store the file, mark it ready. A
    failure marks the export failed with a Russian message; a finished export is left alone."""
    claimed = ExportFile.objects.filter(pk=export_id, status__in=UNFINISHED).update(
        status=ExportFile.Status.RENDERING, updated_at=timezone.now()
    )
    export = ExportFile.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export
    user = export.requested_by
    try:
        if not user.is_active:
            raise DomainError("Файл не сформирован: учётная запись отключена.")
        kind = KINDS[export.kind]
        rendered = kind.render(user, export.params, kind.check(user, export.params))
    except Exception as exc:
        if isinstance(exc, DomainError):
            message = str(exc)
        else:
            log.exception("Export %s failed", export_id)
            message = FAILED_INTERNAL
        with transaction.atomic():
            failed = ExportFile.objects.filter(pk=export_id, status__in=UNFINISHED).update(
                status=ExportFile.Status.FAILED, error=message, updated_at=timezone.now()
            )
            if failed:
                audit(user, "export.failed", export, organization=export.organization, error=message)
        export.refresh_from_db()
        return export
    with transaction.atomic():
        export = ExportFile.objects.select_for_update().get(pk=export_id)
        if export.status != ExportFile.Status.RENDERING:  # another run finished it meanwhile
            return export
        export.file.save(f"{export.pk}.pdf", ContentFile(rendered.content), save=False)
        export.file_name = rendered.file_name
        export.size = len(rendered.content)
        export.status, export.error = ExportFile.Status.READY, ""
        export.save()
    return export


def export_downloaded(*, export: ExportFile, actor) -> None:
    """A download of personal data leaves an audit record (the observers' schedule names people)."""
    kind = KINDS[export.kind]
    if kind.personal_data:
        audit(
            actor,
            "personal_data.exported",
            export,
            organization=export.organization,
            format="pdf",
            file_name=export.file_name,
            **kind.personal_data,
        )


def exports_cleanup(*, older_than: timedelta = KEEP) -> int:
    """Delete exports (and their files) asked for longer ago than `older_than`."""
    deleted = 0
    for export in ExportFile.objects.filter(created_at__lt=timezone.now() - older_than).iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        deleted += 1
    return deleted


def export_start_response(request, *, kind: str, params: dict, organization):
    """The view of an export URL: a POST starts it (or reuses the same one) and goes to its status
    page; a GET goes to a reusable export when there is one, else shows the button that posts."""
    from django.shortcuts import redirect, render

    found = (
        export_request(kind=kind, params=params, actor=request.user, organization=organization)
        if request.method == "POST"
        else export_reusable(kind=kind, params=params, actor=request.user, organization=organization)
    )
    if found is not None:
        return redirect("reports:export_status", found.pk)
    return render(request, "reports/export_start.html", {"title": KINDS[kind].title})
