"""The two pieces every app's views share for permissions and writes.

- `CapabilityRequiredMixin`: a view declares the capability it needs (`capability =
  access.READ_ORDERS`). Anonymous → the login page; a user without it → 404, the same answer as
  for a missing object (the URL matrix, tests/security/rules.py). Which rows he sees is still
  the selectors' scoping: an object outside it is 404 too.
- `ActionView` and `ServiceFormMixin`: a view that writes calls one service; a refusal of the
  domain (`DomainError`, its Russian message) becomes a message and a redirect, or, on a form, an
  error shown above what the user typed (pretix's `OrderApprove`).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views import View

from vprplan import access
from vprplan.errors import DomainError
from vprplan.security import return_path


def refusal(error: Exception) -> str:
    """A DomainError's or a ValidationError's text for a message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Login, then `capability` held somewhere (None: any logged-in user), else 404."""

    capability: access.Capability | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.capability is not None and not access.can(request.user, self.capability):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self):
        """Anonymous → the login page, which leads back here; after a POST, back to the page its
        button was on (vprplan.security.return_path): the action's own URL answers no GET."""
        if self.request.user.is_authenticated:
            return super().handle_no_permission()
        return redirect_to_login(
            return_path(self.request), self.get_login_url(), self.get_redirect_field_name()
        )

    def http_method_not_allowed(self, request, *args, **kwargs):
        """An action's URL opened by a link, a bookmark or a reload: a page in Russian that says
        so and leads home, instead of an empty 405 (still 405, with its Allow header)."""
        response = super().http_method_not_allowed(request, *args, **kwargs)
        response.content = render_to_string("405.html", request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response


class ActionView(CapabilityRequiredMixin, View):
    """A POST that calls a service. `act()` does the work and returns the response (its redirect
    and success message); a DomainError it lets through is shown as an error message and the user
    is sent to `failure_url()`; `refused()` may answer otherwise (an HTMX fragment)."""

    error_prefix = ""
    # What counts as a refusal: a view whose services also validate models with full_clean()
    # adds ValidationError.
    refusals: tuple[type[Exception], ...] = (DomainError,)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        try:
            return self.act()
        except self.refusals as error:
            return self.refused(error)

    def act(self) -> HttpResponse:
        raise NotImplementedError

    def refused(self, error: Exception) -> HttpResponse:
        """The answer to a refusal: a message and a redirect (an HTMX fragment view answers with
        the fragment and the message in it instead)."""
        messages.error(self.request, f"{self.error_prefix}{refusal(error)}")
        return redirect(self.failure_url())

    def failure_url(self) -> str:
        raise NotImplementedError


class ServiceFormMixin:
    """For a FormView whose valid form goes to a service: `perform(form)` calls it and returns the
    response; a DomainError is added to the form (`refused_field`, or above the fields) and the
    form is shown again with what the user typed."""

    refusals: tuple[type[Exception], ...] = (DomainError,)

    def form_valid(self, form):
        try:
            return self.perform(form)
        except self.refusals as error:
            form.add_error(self.refused_field(form, error), refusal(error))
            return self.form_invalid(form)

    def perform(self, form) -> HttpResponse:
        raise NotImplementedError

    def refused_field(self, form, error: Exception) -> str | None:
        return None
