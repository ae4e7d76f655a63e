"""Long exports as jobs: the PDFs WeasyPrint renders in seconds (the progress «Справка», the
observers' schedule) are asked for in the request and rendered by a job into an `ExportFile`
whose status page the browser polls; only the requester downloads the file.

The kinds are registered by the apps that own them (vprplan.documents.kinds, from their `apps.py`): each says
how to check that the user still reads what the export shows (with the selectors its views use),
how to render it, and how to ask for it again. The job re-checks the requester's access (he may
have lost his role since he asked), renders and stores the file. A failure is recorded on the
record with a Russian message; asking again makes a new one. A second run of a finished export
does nothing.
"""

import hashlib
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from vprplan import jobs
from vprplan.audit import audit
from vprplan.documents.kinds import KINDS
from vprplan.errors import DomainError
from vprplan.models import ExportFile

log = logging.getLogger(__name__)

# The names the jobs were first enqueued under (when exports lived in reports): persisted jobs,
# the queue routes and the beat schedule carry them.
RENDER_TASK = "reports.render_export"
CLEANUP_TASK = "reports.cleanup_exports"
# A second click while the first export is still in the queue gets the same record.
REUSE_PENDING = timedelta(minutes=5)
KEEP = timedelta(days=1)
UNFINISHED = ExportFile.UNFINISHED
FAILED_INTERNAL = "Не удалось сформировать файл из-за внутренней ошибки. Попробуйте запросить его ещё раз."


def export_source_url(export: ExportFile) -> str:
    """The URL that asks for the same export again (the «Запросить ещё раз» link)."""
    kind = KINDS.get(export.kind)
    return kind.source_url(export.params) if kind is not None and kind.source_url else ""


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
    claimed = ExportFile.claim(export_id)
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
            if ExportFile.fail(export_id, message):
                audit(user, "export.failed", export, organization=export.organization, error=message)
        export.refresh_from_db()
        return export
    with transaction.atomic():
        export = ExportFile.objects.select_for_update().get(pk=export_id)
        if export.status != ExportFile.Status.RENDERING:  # another run finished it meanwhile
            return export
        export.file_name = rendered.file_name
        export.finish(rendered.content, name=f"{export.pk}.pdf")
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


def export_start_response(request: HttpRequest, *, kind: str, params: dict, organization) -> HttpResponse:
    """The view of an export URL: a POST starts it (or reuses the same one) and goes to its status
    page; a GET goes to a reusable export when there is one, else shows the button that posts."""
    found = (
        export_request(kind=kind, params=params, actor=request.user, organization=organization)
        if request.method == "POST"
        else export_reusable(kind=kind, params=params, actor=request.user, organization=organization)
    )
    if found is not None:
        return redirect("reports:export_status", found.pk)
    return render(request, "documents/export_start.html", {"title": KINDS[kind].title})
