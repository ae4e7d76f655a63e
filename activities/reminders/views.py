"""The notifications page (what the digests said, mark as read), the digest setting, and the
one-click unsubscribe that works from a mail without a login."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView

from activities.models import Notification, NotificationPreference
from activities.reminders import digest, services


class NotificationListView(LoginRequiredMixin, ListView):
    """The user's own notifications, newest first: a day's digest each."""

    template_name = "activities/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 20

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user).order_by("-day", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for n in context["notifications"]:
            n.sections = digest.sections(n.items)
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one notification read; someone else's is 404."""

    def post(self, request, pk: int):
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        services.notifications_mark_read(user=request.user, notification=notification)
        return redirect("notifications:notification_list")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notifications_mark_read(user=request.user)
        if count:
            messages.success(request, "Все уведомления отмечены прочитанными.")
        return redirect("notifications:notification_list")


class PreferenceForm(forms.Form):
    email_digest = forms.BooleanField(
        label="Получать ежедневную сводку сроков по электронной почте",
        required=False,
        help_text="Уведомления на сайте приходят в любом случае.",
    )


class PreferenceView(LoginRequiredMixin, FormView):
    template_name = "activities/notification_settings.html"
    form_class = PreferenceForm

    def get_initial(self):
        found = NotificationPreference.objects.filter(user=self.request.user).first()
        return {"email_digest": found.email_digest if found else True}

    def form_valid(self, form):
        services.notification_preference_set(
            user=self.request.user, email_digest=form.cleaned_data["email_digest"], actor=self.request.user
        )
        messages.success(request=self.request, message="Настройки уведомлений сохранены.")
        return redirect("notifications:preference_edit")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TemplateView):
    """GET: a page with one button; POST: unsubscribed. No login: the signed token is the key.

    POST is CSRF-exempt because mail clients send the RFC 8058 one-click POST
    («List-Unsubscribe=One-Click») without a page; turning a mail off is all it can do. A GET
    never changes anything, since mail scanners open the links they find."""

    template_name = "activities/unsubscribe.html"

    def dispatch(self, request, *args, **kwargs):
        user_id = digest.user_id_for_token(kwargs["token"])
        self.subscriber = (
            get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
        )
        if self.subscriber is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if "subscribed" not in kwargs:
            found = NotificationPreference.objects.filter(user=self.subscriber).first()
            kwargs["subscribed"] = found is None or found.email_digest
        return super().get_context_data(**kwargs)

    def post(self, request, token: str):
        services.notification_preference_set(user=self.subscriber, email_digest=False)
        return self.render_to_response(self.get_context_data(subscribed=False, done=True))
