"""The one status page of a rendered file (vprplan.models.RenderedFile): «Формируется…» until its
job is done, then what the file's kind shows (a download, the signing ways); HTMX polls the box
every 2 s. Each kind is a `StatusSource` given to the view in its URL; the export kinds' source
and their download are here."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest
from django.views import View
from django.views.generic import TemplateView

from vprplan.documents.exports import (
    export_downloaded,
    export_for_user,
    export_source_url,
    export_still_allowed,
)
from vprplan.documents.kinds import export_title
from vprplan.downloads import stored_file_response
from vprplan.models import ExportFile, RenderedFile


def _no_context(request: HttpRequest, record: RenderedFile) -> dict:
    return {}


@dataclass(frozen=True)
class StatusSource:
    """How the status page shows one kind of rendered file."""

    record: Callable  # (user, pk) -> the record the user may see, or Http404
    page: str  # the page's template (extends documents/status.html)
    body: str  # what the box says in each status (included by documents/_status.html)
    box_id: str  # the box's HTML id
    context: Callable = field(default=_no_context)  # (request, record) -> more context


class RenderedFileStatusView(LoginRequiredMixin, TemplateView):
    """The page of `source`'s record; an HTMX request gets the box alone."""

    source: StatusSource | None = None

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["documents/_status.html"]
        return [self.source.page]

    def get_context_data(self, **kwargs):
        record = self.source.record(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            record=record,
            status_body=self.source.body,
            status_box_id=self.source.box_id,
            poll_url=self.request.path,
            **self.source.context(self.request, record),
            **kwargs,
        )


def _export_context(request: HttpRequest, export: ExportFile) -> dict:
    retry_url = export_source_url(export) if export.status == export.Status.FAILED else ""
    return {"export": export, "title": export_title(export.kind), "retry_url": retry_url}


EXPORT_STATUS = StatusSource(
    record=lambda user, pk: export_for_user(user=user, pk=pk),
    page="documents/export_status.html",
    body="documents/_export_status.html",
    box_id="export-status",
    context=_export_context,
)


class ExportDownloadView(LoginRequiredMixin, View):
    """The file, as an attachment, to its requester while he still reads what it shows."""

    def get(self, request, pk):
        export = export_for_user(user=request.user, pk=pk)
        if not export.is_ready or not export_still_allowed(export=export, user=request.user):
            raise Http404
        response = stored_file_response(
            export.file, filename=export.file_name, content_type="application/pdf"
        )
        export_downloaded(export=export, actor=request.user)
        return response
