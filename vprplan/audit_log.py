"""«Журнал действий»: the audit trail for the regional admin (his region) and the head of an
education authority (his municipality), filterable by action and date, a page at a time."""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.views.generic import ListView

from vprplan import access
from vprplan.actions import CapabilityRequiredMixin
from vprplan.audit_actions import AuditAction, action_label
from vprplan.audit_details import details
from vprplan.models import AuditEvent
from vprplan.widgets import DateInput


def audit_events_for(*, user) -> QuerySet[AuditEvent]:
    """The events of the organisations the user oversees with access.READ_JOURNAL; none otherwise."""
    return (
        AuditEvent.objects.filter(access.managed_q(user, "organization", roles_=access.READ_JOURNAL))
        .select_related("actor", "organization")
        .order_by("-at", "-pk")
    )


class AuditLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Действие",
        required=False,
        choices=[("", "все")] + sorted(AuditAction.choices, key=lambda item: item[1]),
    )
    date_from = forms.DateField(label="С", required=False, widget=DateInput)
    date_to = forms.DateField(label="По", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("Дата «с» позже даты «по».")
        return data

    def apply(self, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        # A bound past any record (0001-01-01, 9999-12-31) is no bound: the day after 9999-12-31, or
        # 0001-01-01 in UTC from a zone east of it, is no datetime at all.
        if data.get("date_from") and data["date_from"].year > 1900:
            queryset = queryset.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone))
        if data.get("date_to") and data["date_to"].year < 9000:
            end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=zone)
            queryset = queryset.filter(at__lt=end)
        return queryset


class AuditLogView(CapabilityRequiredMixin, ListView):
    """The audit log of the user's region or municipality; other roles get 404."""

    template_name = "vprplan/audit_log.html"
    context_object_name = "events"
    paginate_by = 50
    capability = access.READ_JOURNAL

    def get_queryset(self):
        self.filter_form = AuditLogFilterForm(self.request.GET or None)
        return self.filter_form.apply(audit_events_for(user=self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for event in context["events"]:
            event.label = action_label(event.action)
            event.details = details(event)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, query=query.urlencode())
        return context
