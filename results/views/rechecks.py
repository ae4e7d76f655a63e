"""Rechecks (перепроверки): the list of an area, a new recheck, and one recheck's page with its
commission, works, scores, discrepancies report and closing."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from results import rechecks, selectors, services
from results.forms import ExpertForm, FinishForm, RecheckForm, ScoreForm, WorkForm
from results.models import GradingScale, Recheck
from results.views.areas import AreaMixin
from schools.choices import OrgKind
from schools.models import Organization
from schools.selectors import area_schools
from vprplan import access
from vprplan.actions import ActionView, ServiceFormMixin
from vprplan.errors import DomainError


def expert_places(recheck: Recheck):
    """Where a commission member may work: a school or an authority of the region."""
    return Organization.objects.filter(
        region_id=recheck.school.region_id, kind__in=(OrgKind.SCHOOL, OrgKind.MUNICIPALITY)
    ).order_by("kind", "name")


class RecheckListView(AreaMixin, TemplateView):
    template_name = "results/recheck_list.html"

    def get_context_data(self, **kwargs):
        found = selectors.rechecks_for_user(user=self.request.user).filter(school__in=area_schools(self.area))
        return super().get_context_data(
            area=self.area,
            rechecks=found.order_by("-year", "-starts_on"),
            can_write=services.can_write(self.request.user, self.area),
            **kwargs,
        )


class RecheckCreateView(AreaMixin, ServiceFormMixin, FormView):
    roles_ = access.EDIT_FLAGS
    refusals = (DomainError, ValidationError)
    template_name = "results/recheck_form.html"
    form_class = RecheckForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "schools": area_schools(self.area)}

    def get_initial(self):
        return {"school": self.request.GET.get("school"), "year": self.request.GET.get("year")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=self.area, **kwargs)

    def perform(self, form):
        recheck = services.recheck_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Перепроверка создана: добавьте комиссию и работы.")
        return redirect("results:recheck_detail", recheck.pk)


class RecheckDetailView(LoginRequiredMixin, TemplateView):
    template_name = "results/recheck_detail.html"

    def get_context_data(self, **kwargs):
        recheck = selectors.recheck_for_user(user=self.request.user, pk=self.kwargs["pk"])
        works = list(recheck.works.select_related("expert"))
        experts = list(recheck.experts.select_related("workplace", "teaches_school"))
        scale = GradingScale.objects.filter(
            year=recheck.year, subject=recheck.subject, grade=recheck.grade
        ).first()
        editable = not recheck.is_finished and services.can_write(self.request.user, recheck.school)
        return super().get_context_data(
            recheck=recheck,
            works=works,
            experts=experts,
            scale=scale,
            report=rechecks.discrepancies(recheck, works, scale),
            editable=editable,
            expert_form=ExpertForm(places=expert_places(recheck)) if editable else None,
            work_form=WorkForm() if editable else None,
            finish_form=FinishForm() if editable else None,
            **kwargs,
        )


class RecheckActionView(ActionView):
    """A POST on a recheck by someone who keeps it (404 for the others): form → service → message,
    back to the recheck's page either way."""

    form_class = None
    success = ""
    refusals = (DomainError, ValidationError)

    def failure_url(self) -> str:
        return reverse("results:recheck_detail", args=[self.kwargs["pk"]])

    def act(self):
        request = self.request
        self.recheck = selectors.recheck_for_user(user=request.user, pk=self.kwargs["pk"])
        if not services.can_write(request.user, self.recheck.school):
            raise Http404
        form = self.make_form(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(self.failure_url())
        extra = {name: value for name, value in self.kwargs.items() if name != "pk"}
        self.perform(form.cleaned_data, **extra)
        messages.success(request, self.success)
        return redirect(self.failure_url())

    def make_form(self, data):
        return self.form_class(data)


class RecheckExpertAddView(RecheckActionView):
    success = "Член комиссии добавлен."

    def make_form(self, data):
        return ExpertForm(data, places=expert_places(self.recheck))

    def perform(self, data):
        services.recheck_expert_add(actor=self.request.user, recheck=self.recheck, **data)


class RecheckWorkAddView(RecheckActionView):
    form_class = WorkForm
    success = "Работа добавлена."

    def perform(self, data):
        services.recheck_work_add(actor=self.request.user, recheck=self.recheck, **data)


class RecheckWorkScoreView(RecheckActionView):
    success = "Баллы перепроверки сохранены."

    def make_form(self, data):
        return ScoreForm(data, experts=self.recheck.experts.all())

    def perform(self, data, work_pk):
        work = get_object_or_404(self.recheck.works, pk=work_pk)
        services.recheck_work_score(
            actor=self.request.user,
            work=work,
            rechecked_scores=data["rechecked_scores"],
            expert=data["expert"],
        )


class RecheckFinishView(RecheckActionView):
    form_class = FinishForm
    success = "Перепроверка завершена."

    def perform(self, data):
        services.recheck_finish(actor=self.request.user, recheck=self.recheck, conclusion=data["conclusion"])
