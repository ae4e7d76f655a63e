"""The municipality's registry of observers: read by the municipal staff (contacts included),
kept by the municipal coordinator."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, TemplateView

from observers import selectors, services
from observers.forms import ObserverForm
from vprplan import access
from vprplan.actions import ServiceFormMixin
from vprplan.errors import DomainError


class ObserverListView(LoginRequiredMixin, TemplateView):
    template_name = "observers/observer_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        municipalities = list(selectors.report_municipalities(user=user).filter(pk__in=self.readable_ids()))
        if not municipalities:
            raise Http404
        observers = list(
            selectors.observers_for_user(user=user)
            .prefetch_related("children_schools")
            .order_by("municipality__name", "-is_active", "full_name")
        )
        groups = [
            {
                "municipality": m,
                "observers": [o for o in observers if o.municipality_id == m.pk],
                "manager": selectors.can_manage_observers(user, m.pk),
            }
            for m in municipalities
        ]
        return super().get_context_data(groups=groups, today=timezone.localdate(), **kwargs)

    def readable_ids(self) -> list[int]:
        return [o.pk for o in access.seats(self.request.user, access.READ_OBSERVERS)]


class ObserverDetailView(LoginRequiredMixin, DetailView):
    template_name = "observers/observer_detail.html"
    context_object_name = "observer"

    def get_queryset(self):
        return selectors.observers_for_user(user=self.request.user).prefetch_related("children_schools")

    def get_context_data(self, **kwargs):
        observer = self.object
        return super().get_context_data(
            assignments=observer.assignments.select_related("session", "session__school").order_by(
                "-session__date"
            ),
            manager=selectors.can_manage_observers(self.request.user, observer.municipality_id),
            **kwargs,
        )


class ObserverFormMixin(LoginRequiredMixin, ServiceFormMixin):
    template_name = "observers/observer_form.html"
    form_class = ObserverForm
    observer = None
    refusals = (DomainError, ValidationError)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "municipality": self.municipality}
        if self.observer is not None:
            kwargs["instance"] = self.observer
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(municipality=self.municipality, observer=self.observer, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        children = data.pop("children_schools")
        observer = services.observer_save(
            actor=self.request.user,
            municipality=self.municipality,
            observer=self.observer,
            children_schools=children,
            **data,
        )
        messages.success(self.request, f"Наблюдатель сохранён: {observer}.")
        return redirect("observers:observer_detail", observer.pk)


class ObserverCreateView(ObserverFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.municipality = selectors.municipality_for_user(
                user=request.user, code=kwargs["code"], roles_=access.MANAGE_OBSERVERS
            )
        return super().dispatch(request, *args, **kwargs)


class ObserverUpdateView(ObserverFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.observer = get_object_or_404(selectors.managed_observers(user=request.user), pk=kwargs["pk"])
            self.municipality = self.observer.municipality
        return super().dispatch(request, *args, **kwargs)
