"""The observer's own page: his assignments, filing the act of each, and the act's scan."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from observers import selectors, services
from observers.choices import ActStage
from observers.forms import ActForm
from observers.views.common import describe
from vprplan import access
from vprplan.actions import ServiceFormMixin
from vprplan.audit import audit
from vprplan.downloads import stored_file_response


class MyAssignmentsView(LoginRequiredMixin, TemplateView):
    """«Мои наблюдения»: for an observer only (a user holding the role or linked to the registry)."""

    template_name = "observers/my_assignments.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        assignments = list(selectors.my_assignments(user=user))
        if not assignments and not access.can(user, access.OBSERVE):
            raise Http404
        today = timezone.localdate()
        for a in assignments:
            describe(a, today)
        return super().get_context_data(
            assignments=assignments,
            overdue=sum(1 for a in assignments if a.overdue),
            today=today,
            **kwargs,
        )


class ActFileView(LoginRequiredMixin, ServiceFormMixin, FormView):
    """The observer files (or corrects) the act of one stage of his session."""

    template_name = "observers/act_form.html"
    form_class = ActForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.assignment = get_object_or_404(selectors.my_assignments(user=request.user), pk=kwargs["pk"])
            describe(self.assignment, timezone.localdate())
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        stage = self.request.GET.get("stage", ActStage.CONDUCT)
        act = next((a for a in self.assignment.filed if a.stage == stage), None)
        if act is None:
            return {"stage": stage}
        return {"stage": stage, "violations_found": act.violations_found, "violations": act.violations,
                "comment": act.comment}  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignment=self.assignment, session=self.assignment.session, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        act = services.act_submit(
            assignment=self.assignment,
            actor=self.request.user,
            stage=data["stage"],
            violations_found=data["violations_found"],
            violations=data["violations"],
            comment=data["comment"],
            scan=data["scan"] or None,
        )
        if act.is_late:
            messages.warning(
                self.request, f"Акт принят с опозданием: срок был {self.assignment.due_on:%d.%m.%Y}."
            )
        else:
            messages.success(self.request, "Акт принят.")
        return redirect("observers:my_assignments")


class ActScanView(LoginRequiredMixin, View):
    """The scan, to its observer and the municipal staff only; never a public URL."""

    def get(self, request, pk):
        act = get_object_or_404(selectors.acts_for_user(user=request.user).exclude(scan=""), pk=pk)
        extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            act.scan_type, "bin"
        )
        response = stored_file_response(
            act.scan,
            filename=f"akt-{act.assignment.session.date:%Y-%m-%d}-{act.pk}.{extension}",
            content_type=act.scan_type or "application/octet-stream",
        )
        audit(
            request.user,
            "act.downloaded",
            act,
            organization=act.assignment.observer.municipality,
            assignment=act.assignment_id,
            stage=act.stage,
        )
        return response
