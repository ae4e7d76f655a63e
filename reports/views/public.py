"""Public pages: what an education authority must publish on its website. No login, no
personal data. The list says which plan and which order are in force (the newest approved plan
and its signed order); earlier plans and orders stay readable under «Архив»."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from activities.choices import PlanStatus
from activities.models import Plan
from activities.selectors import published_plans
from activities.views import PlanDocumentMixin
from reports.models import Order
from reports.orders.selectors import published_orders
from schools.models import Organization


def newest_first(plan: Plan) -> tuple:
    return (plan.period_start, plan.approved_on or date.min, plan.version_number, plan.pk)


def plan_in_force(plans) -> Plan | None:
    """The newest approved plan (not archived): the one the organisation works by."""
    return max((p for p in plans if p.status == PlanStatus.APPROVED), key=newest_first, default=None)


def order_in_force(orders: list[Order], plan: Plan | None) -> Order | None:
    """The newest signed order approving the plan in force that no later signed order replaced."""
    if plan is None:
        return None
    replaced = {o.replaces_id for o in orders if o.replaces_id}
    return next((o for o in orders if o.plan_id == plan.pk and o.pk not in replaced), None)


class PublicOrganizationMixin:
    def dispatch(self, request, *args, **kwargs):
        self.organization = get_object_or_404(Organization, code=kwargs["code"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, **kwargs)


class PublicPlanListView(PublicOrganizationMixin, ListView):
    template_name = "reports/public_plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return published_plans(owner=self.organization)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(context["plans"])
        orders = list(published_orders(owner=self.organization))  # newest first
        current = plan_in_force(plans)
        current_order = order_in_force(orders, current)
        context.update(
            current=current,
            current_order=current_order,
            archived_plans=sorted((p for p in plans if p != current), key=newest_first, reverse=True),
            archived_orders=[o for o in orders if o != current_order],
            orders=orders,
        )
        return context


class PublicPlanDetailView(PublicOrganizationMixin, PlanDocumentMixin, DetailView):
    template_name = "reports/public_plan_detail.html"

    def get_queryset(self):
        return published_plans(owner=self.organization)

    def get_context_data(self, **kwargs):
        current = plan_in_force(self.get_queryset())
        return super().get_context_data(current=current, in_force=current == self.object, **kwargs)
