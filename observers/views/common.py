"""What the observers app's views share: the campaign and municipality of the URL, scoped (404
outside the user's scope), and turning a refused service call into a message."""

from django.http import Http404
from django.utils import timezone

from observers import selectors
from observers.choices import ActStage, AssignmentStatus
from observers.models import act_due_on
from schools.views.schedule import CampaignMixin
from vprplan import access


class MunicipalityMixin(CampaignMixin):
    """`self.municipality`: the municipality of the URL the user reports on, in the campaign's
    region, or 404. `roles_` (a capability of vprplan.access) narrows who may open the view."""

    roles_ = access.READ_OBSERVER_REPORTS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.campaign = self.get_campaign()
            self.municipality = selectors.municipality_for_user(
                user=request.user, code=kwargs["code"], roles_=self.roles_
            )
            if self.municipality.region_id != self.campaign.region_id:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def describe(assignment, today) -> None:
    """Annotate an assignment with its act's due date and whether it is overdue or was late."""
    session = assignment.session
    assignment.due_on = act_due_on(session.date)
    assignment.filed = list(assignment.acts.all())
    waiting = assignment.status != AssignmentStatus.ABSENT and not assignment.filed
    assignment.overdue = waiting and today > assignment.due_on
    assignment.can_file = assignment.status != AssignmentStatus.ABSENT and session.date <= today
    filed = {act.stage for act in assignment.filed}
    assignment.next_stage = next((s for s in ActStage.values if s not in filed), ActStage.CONDUCT)
    for act in assignment.filed:
        act.late = timezone.localdate(act.submitted_at, session.school.tz) > assignment.due_on
