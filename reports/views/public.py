"""Public pages: what an education authority must publish on its website. No login, no
personal data."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from activities.selectors import published_plans
from activities.views import PlanDocumentMixin
from reports.orders.selectors import published_orders
from schools.models import Organization


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
        return super().get_context_data(orders=published_orders(owner=self.organization), **kwargs)


class PublicPlanDetailView(PublicOrganizationMixin, PlanDocumentMixin, DetailView):
    template_name = "reports/public_plan_detail.html"

    def get_queryset(self):
        return published_plans(owner=self.organization)
