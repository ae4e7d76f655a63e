"""The iCal feed of a user's due dates: a secret address that calendar apps poll without a login,
and the page that shows it and replaces it."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from activities import services
from activities.ical import calendar
from activities.models import OPEN_STATUSES, CalendarFeed
from activities.selectors import tasks_for_user
from vprplan import access
from vprplan.actions import CapabilityRequiredMixin


class CalendarView(CapabilityRequiredMixin, TemplateView):
    template_name = "activities/calendar.html"
    capability = access.READ_TASKS

    def get_context_data(self, **kwargs):
        feed = services.calendar_feed_get(user=self.request.user)
        url = self.request.build_absolute_uri(reverse("activities:calendar_feed", args=[feed.token]))
        return super().get_context_data(feed_url=url, **kwargs)

    def post(self, request):
        services.calendar_feed_reset(user=request.user)
        messages.success(request, "Создан новый адрес календаря; прежний больше не работает.")
        return redirect("activities:calendar")


class CalendarFeedView(View):
    """GET /calendar/<token>.ics: no login (calendar apps cannot log in); an unknown or replaced
    token answers 404."""

    def get(self, request, token):
        feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
        if feed is None:
            raise Http404
        user = feed.user
        executions = (
            tasks_for_user(user=user)
            .filter(status__in=OPEN_STATUSES, due_date__isnull=False)
            .select_related("activity", "activity__plan", "organization")
            .order_by("due_date", "pk")
        )
        name = f"vprplan: сроки — {user.get_full_name() or user.username}"
        response = HttpResponse(calendar(executions, name=name), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="vprplan.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response
