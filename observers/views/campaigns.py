"""The VPR campaigns of the user's regions, each with its schedule and the observers' boards of the
municipalities he reports on."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from observers import selectors
from schools.selectors import campaigns_for_user


class CampaignListView(LoginRequiredMixin, TemplateView):
    template_name = "observers/campaign_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            campaigns=list(campaigns_for_user(user=user)),
            municipalities=list(selectors.report_municipalities(user=user)),
            **kwargs,
        )
