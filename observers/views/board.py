"""The municipal coordinator's board: sessions × observers, assigning with the rules, suggestions,
statuses, the coverage report and the «График распределения» in .xlsx and PDF."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from observers import selectors, services
from observers.choices import ACTION_LABELS, ACTIVE_STATUSES, TRANSITIONS
from observers.exports import SCHEDULE_PDF, schedule_xlsx
from observers.forms import AssignForm
from observers.models import Observer
from observers.views.common import MunicipalityMixin, describe
from schools.models import VprSession
from vprplan import access
from vprplan.actions import ActionView
from vprplan.audit import audit
from vprplan.documents.exports import export_start_response
from vprplan.errors import DomainError
from vprplan.uploads import attachment_response
from vprplan.wording import count, gendered


class BoardView(MunicipalityMixin, TemplateView):
    """Every session of the municipality by date, its observers and their statuses, flagged first
    in colour; the coordinator assigns from here."""

    template_name = "observers/board.html"

    def get_context_data(self, **kwargs):
        sessions = selectors.board_sessions(campaign=self.campaign, municipality=self.municipality)
        manager = selectors.can_manage_observers(self.request.user, self.municipality.pk)
        today = timezone.localdate()
        for s in sessions:
            s.active = [a for a in s.assignments.all() if a.status in ACTIVE_STATUSES]
            for a in s.assignments.all():
                a.session = s  # the act's due date needs it; already loaded
                describe(a, today)
                a.next_statuses = [(v, ACTION_LABELS[v]) for v in sorted(TRANSITIONS[a.status])]
        return super().get_context_data(
            campaign=self.campaign,
            municipality=self.municipality,
            sessions=sessions,
            manager=manager,
            covered=sum(1 for s in sessions if s.active),
            overdue=sum(1 for s in sessions for a in s.assignments.all() if a.overdue),
            **kwargs,
        )


class AssignView(LoginRequiredMixin, FormView):
    """Assign an observer to one session: every observer of the municipality is listed, those a
    rule forbids marked with the reason; the service decides and explains a refusal."""

    template_name = "observers/assign.html"
    form_class = AssignForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(
                VprSession.objects.select_related("school", "campaign"), pk=kwargs["pk"]
            )
            if not selectors.can_manage_observers(request.user, self.session.school.municipality_id):
                raise Http404
            self.observers, self.problems = selectors.assignment_candidates(session=self.session)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        queryset = Observer.objects.filter(pk__in=[o.pk for o in self.observers])
        form_kwargs = super().get_form_kwargs()
        return {**form_kwargs, "observers": queryset, "problems": self.problems}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        order = {o.pk: i for i, o in enumerate(self.observers)}
        field = form.fields["observer"]
        field.widget.choices = [("", "— выберите —")] + [
            (o.pk, field.label_from_instance(o)) for o in sorted(self.observers, key=lambda o: order[o.pk])
        ]  # the allowed first; the others disabled, with the reason (observers.forms)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session=self.session,
            municipality_code=self.session.school.municipality.code,
            eligible=count(sum(1 for o in self.observers if not self.problems[o.pk]), "наблюдатель"),
            **kwargs,
        )

    def form_valid(self, form):
        observer = form.cleaned_data["observer"]
        try:
            services.observer_assign(
                session=self.session,
                observer=observer,
                actor=self.request.user,
                auditorium=form.cleaned_data["auditorium"],
            )
        except DomainError as error:
            messages.error(self.request, f"Назначение невозможно. {error}")
            return self.form_invalid(form)
        messages.success(
            self.request, f"{observer} {gendered('назначен', observer.full_name)}: {self.session}."
        )
        return redirect(
            "observers:assignment_board", self.session.campaign_id, self.session.school.municipality.code
        )


class AssignmentStatusView(ActionView):
    """An assignment's state (came, absent…); back where he came from (`next`) either way."""

    def failure_url(self) -> str:
        target = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            target = reverse("observers:my_assignments")
        return target

    def act(self):
        request = self.request
        assignment = get_object_or_404(selectors.actionable_assignments(user=request.user), pk=self.kwargs["pk"])
        try:
            services.assignment_set_status(
                assignment=assignment, status=request.POST.get("status", ""), actor=request.user
            )
        except ValueError as error:
            raise DomainError("Нет такого состояния.") from error
        messages.success(request, f"{assignment.observer}: состояние изменено.")
        return redirect(self.failure_url())


class AssignmentDeleteView(ActionView):
    """The coordinator takes an observer off a session; back to the session's board either way."""

    def failure_url(self) -> str:
        session = self.session
        return reverse("observers:assignment_board", args=[session.campaign_id, session.school.municipality.code])

    def act(self):
        request = self.request
        assignment = get_object_or_404(selectors.managed_assignments(user=request.user), pk=self.kwargs["pk"])
        self.session = assignment.session
        services.assignment_remove(assignment=assignment, actor=request.user)
        name = assignment.observer.full_name
        messages.success(request, f"{name} {gendered('снят', name)} с работы «{self.session}».")
        return redirect(self.failure_url())


class SuggestView(MunicipalityMixin, View):
    """GET: what the planner proposes (nothing written); POST: write it."""

    roles_ = access.MANAGE_OBSERVERS
    template_name = "observers/suggest.html"

    def get(self, request, **kwargs):
        pairs = services.assignments_suggest(campaign=self.campaign, municipality=self.municipality)
        sessions = VprSession.objects.filter(pk__in=[s for s, _ in pairs]).select_related("school").in_bulk()
        observers = Observer.objects.filter(pk__in=[o for _, o in pairs]).in_bulk()
        flagged = set(
            VprSession.objects.filter(pk__in=sessions)
            .filter(selectors.flagged_q(self.campaign))
            .values_list("pk", flat=True)
        )
        rows = [{"session": sessions[s], "observer": observers[o], "flagged": s in flagged} for s, o in pairs]
        coverage = selectors.coverage(campaign=self.campaign, municipality=self.municipality)
        return render(
            request,
            self.template_name,
            {
                "campaign": self.campaign,
                "municipality": self.municipality,
                "rows": rows,
                "coverage": coverage,
                "left": coverage["total"] - coverage["covered"] - len(rows),
            },
        )

    def post(self, request, **kwargs):
        try:
            created = services.assignments_apply_suggestions(
                campaign=self.campaign, municipality=self.municipality, actor=request.user
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Назначено наблюдателей по предложению: {len(created)}.")
        return redirect("observers:assignment_board", self.campaign.pk, self.municipality.code)


class CoverageView(MunicipalityMixin, TemplateView):
    template_name = "observers/coverage.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaign=self.campaign,
            municipality=self.municipality,
            coverage=selectors.coverage(campaign=self.campaign, municipality=self.municipality),
            today=timezone.localdate(),
            **kwargs,
        )


class ObserverScheduleExportView(MunicipalityMixin, View):
    """«График распределения общественных наблюдателей» as .xlsx, or PDF: a job renders the PDF
    (vprplan.documents.exports) and its download is audited there."""

    format = "xlsx"

    def post(self, request, **kwargs):
        if self.format != "pdf":
            return HttpResponseNotAllowed(["GET"])
        return self.get(request, **kwargs)

    def get(self, request, **kwargs):
        if self.format == "pdf":
            return export_start_response(
                request,
                kind=SCHEDULE_PDF,
                params={"campaign": self.campaign.pk, "code": self.municipality.code},
                organization=self.municipality,
            )
        content = schedule_xlsx(self.municipality, self.campaign)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"grafik-nabludateley-{self.municipality.code}-{self.campaign.year}.{self.format}"
        # The schedule names each observer and his organisation: personal data leaving the system.
        audit(
            request.user,
            "personal_data.exported",
            self.campaign,
            organization=self.municipality,
            export="observer_schedule",
            format=self.format,
            fields=["full_name", "kind", "organization_name"],
            file_name=name,
        )
        return attachment_response(content, filename=name, content_type=content_type)
