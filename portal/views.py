"""The pieces every app's views share, and each role's home page."""

from itertools import groupby

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from activities import home as activities_home
from activities.selectors import plans_overview
from observers import home as observers_home
from results import home as results_home
from vprplan import access


class HomeView(LoginRequiredMixin, TemplateView):
    """Each role's start page: its organisations, what each app has for it, and its plans."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plans = list(plans_overview(user=user))
        groups = [(owner, list(items)) for owner, items in groupby(plans, key=lambda p: p.owner)]
        return super().get_context_data(
            memberships=access.memberships(user),
            plan_groups=groups,
            can_create_plan=access.can(user, access.EDIT_PLANS),
            can_see_orders=access.can(user, access.READ_ORDERS),
            activities_home=activities_home.home_context(user, plans=plans),
            observers_home=observers_home.home_context(user),
            results_home=results_home.home_context(user),
            **kwargs,
        )
