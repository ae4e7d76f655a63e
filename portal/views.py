"""The pieces every app's views share, and each role's home page."""

from itertools import groupby

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from activities import home as activities_home
from activities.selectors import plans_overview
from observers import home as observers_home
from results import home as results_home
from schools.choices import Role
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
            can_create_plan=bool(access.plan_owners(user)),
            can_see_orders=access.has_role(user, Role.HEAD, Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_ADMIN),
            activities_home=activities_home.home_context(user, plans=plans),
            observers_home=observers_home.home_context(user),
            results_home=results_home.home_context(user),
            **kwargs,
        )
