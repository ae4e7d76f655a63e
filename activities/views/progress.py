"""The municipal dashboard of a plan, its school drill-down and exports, the regional overview."""

from dataclasses import asdict
from urllib.parse import quote  # as the template filter urlencode quotes

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView

from activities.cards import annotate_states, card_prefixes
from activities.choices import ExecutionStatus
from activities.models import STATE_LABELS
from activities.progress import (
    STATUS_FILTERS,
    Filters,
    Tally,
    plan_dashboard,
    progress_stamp,
    region_overview,
    school_work,
    school_work_stamp,
)
from activities.progress.export import PROGRESS_PDF
from activities.progress.xlsx import progress_xlsx
from activities.selectors import dashboard_plans, overview_regions, today_for
from schools.models import Organization
from vprplan.documents.exports import export_start_response
from vprplan.fragments import content_key, kept
from vprplan.uploads import attachment_response


class DashboardMixin(LoginRequiredMixin):
    """The plan of the URL if the user follows its progress (its municipality's head or
    coordinator, the region's administrator), else 404."""

    def get_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(dashboard_plans(user=self.request.user), pk=self.kwargs["pk"])
        return self._plan


class ProgressHomeView(LoginRequiredMixin, TemplateView):
    """«Ход выполнения»: straight to the one dashboard the user has, or a choice of them."""

    template_name = "activities/progress_home.html"

    def get(self, request, *args, **kwargs):
        self.plans = list(
            dashboard_plans(user=request.user).order_by("owner__name", "-period_start", "title")
        )
        self.regions = overview_regions(user=request.user)
        if not self.plans and not self.regions:
            raise Http404
        if len(self.regions) == 1 and not any(p.owner.region_id != self.regions[0].pk for p in self.plans):
            return redirect("activities:region_progress", self.regions[0].pk)
        current = [p for p in self.plans if p.status == "approved"]
        if not self.regions and len(current) == 1:
            return redirect("activities:plan_progress", current[0].pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=self.plans, regions=self.regions, **kwargs)


BODY_TEMPLATE = "activities/_plan_progress_body.html"
SCHOOL_BODY_TEMPLATE = "activities/_plan_progress_school_body.html"


class PlanProgressView(DashboardMixin, TemplateView):
    template_name = "activities/plan_progress.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        today = today_for(self.request.user)
        return super().get_context_data(plan=plan, today=today, body=self.body(plan, today), **kwargs)

    def body(self, plan, today) -> str:
        """The dashboard under the page's head, rendered once per content: the key holds the plan,
        the day, the filters and `progress_stamp` (every execution, school and flag it is made of),
        so a report or a review shows at once and an unchanged plan is not counted again."""
        filters = Filters.from_query(self.request.GET)
        next_path = self.request.get_full_path()
        printed = [plan.pk, plan.status, plan.updated_at, today, asdict(filters), next_path, progress_stamp(plan)]

        def render():
            d = plan_dashboard(plan, today=today, filters=filters)
            for e in d.overdue:
                e.state_key = "returned" if e.review_status else "overdue"
            prefix = card_prefixes()[0]
            for e in (*d.overdue, *d.review):
                e.url = f"{prefix}{e.pk}/"
            return render_to_string(
                BODY_TEMPLATE,
                {
                    "d": d,
                    "plan": plan,
                    "status_filters": STATUS_FILTERS,
                    "legend": [(key, STATE_LABELS[key]) for key in STATE_LABELS],
                    "next_query": quote(next_path),
                },
            )

        return kept("plan-progress", content_key("plan-progress", BODY_TEMPLATE, printed), render)


class SchoolProgressView(DashboardMixin, TemplateView):
    template_name = "activities/plan_progress_school.html"

    def get_context_data(self, **kwargs):
        plan = self.get_plan()
        school = get_object_or_404(
            Organization.objects.schools(), pk=self.kwargs["school"], municipality_id=plan.owner_id
        )
        today = today_for(self.request.user)
        kwargs.update(plan=plan, school=school, body=self.body(plan, school, today))
        return super().get_context_data(**kwargs)

    def body(self, plan, school, today) -> str:
        """The school's work under the page's head, rendered once per content: the key holds the
        plan, the school, the day and `school_work_stamp` (its executions and their files)."""
        printed = [plan.pk, plan.status, plan.updated_at, school.updated_at, today]
        key = content_key("school-progress", SCHOOL_BODY_TEMPLATE, printed + school_work_stamp(plan, school))

        def render():
            executions = annotate_states(list(school_work(plan, school)), today)
            tally = Tally()
            for e in executions:
                if e.status == ExecutionStatus.NOT_APPLICABLE:
                    continue
                tally.total += 1
                tally.done += e.status == ExecutionStatus.DONE
                tally.accepted += e.state_key == "accepted"
                tally.overdue += e.overdue
            context = {"plan": plan, "executions": executions, "tally": tally}
            return render_to_string(SCHOOL_BODY_TEMPLATE, context)

        return kept("plan-progress", key, render)


class PlanProgressExportView(DashboardMixin, View):
    """The progress report of the whole plan: .xlsx, or the printable PDF «Справка» (a job renders it:
    vprplan.documents.exports, redirect to its status page)."""

    format = "xlsx"

    def post(self, request, pk):
        if self.format != "pdf":
            return HttpResponseNotAllowed(["GET"])
        return self.get(request, pk)

    def get(self, request, pk):
        plan = self.get_plan()
        if self.format == "pdf":  # 1–3 s of WeasyPrint: a job renders it (started by a POST), the browser polls
            return export_start_response(
                request, kind=PROGRESS_PDF, params={"plan": plan.pk}, organization=plan.owner
            )
        today = today_for(request.user)
        d = plan_dashboard(plan, today=today, list_limit=None)
        stamp = f"{today:%Y-%m-%d}"
        return attachment_response(
            progress_xlsx(d),
            filename=f"progress-{plan.owner.code}-{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            stream=False,
        )


class RegionProgressView(LoginRequiredMixin, TemplateView):
    """The regional administrator's overview: municipalities and the progress of their plans."""

    template_name = "activities/region_progress.html"

    def get_context_data(self, **kwargs):
        region = next(
            (r for r in overview_regions(user=self.request.user) if r.pk == self.kwargs["pk"]), None
        )
        if region is None:
            raise Http404
        rows, total = region_overview(region, today=today_for(self.request.user))
        return super().get_context_data(
            region=region,
            rows=rows,
            total=total,
            **kwargs,
        )
