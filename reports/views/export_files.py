"""Long exports (reports.exports.jobs): the status page the browser polls, and the download.
Both answer only the user who asked for the export; anyone else gets 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from reports.exports.jobs import export_downloaded, export_for_user, export_source_url, export_still_allowed
from vprplan.downloads import stored_file_response


class ExportStatusView(LoginRequiredMixin, TemplateView):
    """«Формируется…» until the job is done, then «Скачать»; HTMX polls the fragment every 2 s."""

    template_name = "reports/export_status.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["reports/_export_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        export = export_for_user(user=self.request.user, pk=self.kwargs["pk"])
        retry_url = export_source_url(export) if export.status == export.Status.FAILED else ""
        return super().get_context_data(export=export, retry_url=retry_url, **kwargs)


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
