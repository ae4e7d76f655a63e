"""Downloading a plan as .xlsx or .docx: any plan the user may read (404 outside his scope)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views import View

from activities.selectors import plan_document, plans_for_user
from reports.exports import file_stem
from reports.exports.docx import plan_docx
from reports.exports.xlsx import plan_xlsx
from vprplan.uploads import attachment_response

FORMATS = {
    "xlsx": (plan_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (plan_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


class PlanExportView(LoginRequiredMixin, View):
    format: str = "xlsx"

    def get(self, request, pk: int):
        plan = get_object_or_404(plans_for_user(user=request.user), pk=pk)
        render, content_type = FORMATS[self.format]
        content = render(plan, plan_document(plan))
        return attachment_response(
            content, filename=f"{file_stem(plan)}.{self.format}", content_type=content_type
        )
