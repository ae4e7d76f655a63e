from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView

from activities.selectors import plan_document, plans_for_user


class PlanDocumentMixin:
    """Renders a plan as its document: title block, approval stamps, the sectioned table."""

    template_name = "activities/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(sections=plan_document(plan), columns=plan.columns, **kwargs)


class PlanDetailView(LoginRequiredMixin, PlanDocumentMixin, DetailView):
    def get_queryset(self):
        return plans_for_user(user=self.request.user)
