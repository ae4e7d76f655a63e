"""Plan pages: the document, creating and copying plans, the approval workflow, versions."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView

from activities import services
from activities.choices import PUBLISHED_STATUSES, PlanStatus
from activities.document import plan_document_html
from activities.forms import PlanCopyForm, PlanCreateForm, PlanSettingsForm
from activities.history import field_labels
from activities.models import Activity, Plan
from activities.selectors import plan_diff, plans_for_user
from activities.services.executions import executions_job
from schools.choices import OrgKind
from vprplan import access
from vprplan.actions import ActionView, CapabilityRequiredMixin, ServiceFormMixin


class PlanDocumentMixin:
    """Renders a plan as its document: title block, approval stamps, the sectioned table."""

    template_name = "activities/plan_detail.html"
    context_object_name = "plan"

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=plan_document_html(self.object), **kwargs)


# A municipal plan has one approval path: the head's order (reports.orders), signed.
BY_ORDER = (
    "Муниципальный план утверждается приказом органа управления образованием: подготовьте приказ "
    "об утверждении и подпишите его, план будет утверждён при подписании."
)


def school_seats(user, plan: Plan) -> list:
    """The schools of the plan owner's municipality whose plans the user keeps."""
    return [o for o in access.seats(user, access.EDIT_PLANS) if o.municipality_id == plan.owner_id]


def plan_actions(user, plan: Plan) -> dict:
    """What this user may do with this plan now: the buttons the page shows. Who may is
    access.EDIT_PLANS and APPROVE_PLANS (a seat in the owner), READ_DASHBOARD (the owner or its
    region) and, for a school plan from the municipal one, a school's EDIT_PLANS below the owner."""
    edit = access.can(user, access.EDIT_PLANS, plan.owner)
    keeps = edit or access.can(user, access.APPROVE_PLANS, plan.owner)
    municipal = plan.owner.kind == OrgKind.MUNICIPALITY
    draft, submitted, approved = (
        plan.status == s for s in (PlanStatus.DRAFT, PlanStatus.ON_APPROVAL, PlanStatus.APPROVED)
    )
    return {
        "progress": municipal and plan.is_published and access.can(user, access.READ_DASHBOARD, plan.owner),
        "edit": edit and draft,
        "submit": edit and draft,
        # A municipal plan is approved by the head's signed order (reports): prepare it from here.
        "approve": submitted and not municipal and access.can(user, access.APPROVE_PLANS, plan.owner),
        "return": keeps and submitted,
        "new_version": edit and approved,
        "archive": keeps and approved,
        "copy": edit,
        "compare": plan.amends_id is not None,
        "school_plan": approved and municipal and bool(school_seats(user, plan)),
        "order": keeps and (submitted or approved) and municipal,
    }


class PlanDetailView(LoginRequiredMixin, PlanDocumentMixin, DetailView):
    def get_queryset(self):
        return plans_for_user(user=self.request.user).select_related("amends")

    def get_context_data(self, **kwargs):
        plan = self.object
        amendment = plan.amendments.filter(status__in=[PlanStatus.DRAFT, PlanStatus.ON_APPROVAL]).first()
        return super().get_context_data(
            actions=plan_actions(self.request.user, plan),
            amendment=amendment,
            work_job=executions_job(plan=plan) if plan.status == PlanStatus.APPROVED else None,
            **kwargs,
        )


class PlanObjectMixin(CapabilityRequiredMixin):
    """The plan of the URL, if the user may read it (else 404), and `allowed()` for the action."""

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(plans_for_user(user=self.request.user), pk=self.kwargs["pk"])
        return self._plan

    def require_editor(self, plan: Plan) -> None:
        if not access.can(self.request.user, access.EDIT_PLANS, plan.owner):
            raise Http404


class PlanCreateView(CapabilityRequiredMixin, ServiceFormMixin, FormView):
    template_name = "activities/plan_form.html"
    form_class = PlanCreateForm
    capability = access.EDIT_PLANS

    def get_form_kwargs(self):
        owners = access.seats(self.request.user, access.EDIT_PLANS)
        region_ids = {o.region_id or o.pk for o in owners}
        models = Plan.objects.filter(
            owner__kind=OrgKind.REGION, owner_id__in=region_ids, status__in=PUBLISHED_STATUSES
        ).select_related("owner")
        return {**super().get_form_kwargs(), "owners": owners, "model_plans": models}

    def perform(self, form):
        data = dict(form.cleaned_data)
        owner, source = data.pop("owner"), data.pop("model_plan")
        plan = services.plan_create(owner=owner, actor=self.request.user, source=source, **data)
        messages.success(self.request, "План создан. Добавьте разделы и мероприятия.")
        return redirect("activities:plan_edit", plan.pk)


class PlanSettingsView(PlanObjectMixin, ServiceFormMixin, FormView):
    template_name = "activities/plan_settings.html"
    form_class = PlanSettingsForm

    def get_form_kwargs(self):
        plan = self.get_plan()
        self.require_editor(plan)
        return {**super().get_form_kwargs(), "instance": Plan.objects.get(pk=plan.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.get_plan(), **kwargs)

    def perform(self, form):
        plan = self.get_plan()
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.plan_update_settings(plan=plan, actor=self.request.user, **values)
        messages.success(self.request, "Параметры плана сохранены.")
        return redirect("activities:plan_edit", plan.pk)


class PlanCopyView(PlanObjectMixin, FormView):
    """Next period's plan from this one, with dated deadlines moved."""

    template_name = "activities/plan_copy.html"
    form_class = PlanCopyForm

    def get_initial(self):
        plan = self.get_plan()
        self.require_editor(plan)
        years = max(1, plan.period_end.year - plan.period_start.year)
        return {
            "period_start": _add_years(plan.period_start, years),
            "period_end": _add_years(plan.period_end, years),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.get_plan(), **kwargs)

    def form_valid(self, form):
        copy = services.plan_copy_to_period(
            source=self.get_plan(), actor=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request, "Создан план на новый период: проверьте сроки, отмеченные предупреждением."
        )
        return redirect("activities:plan_edit", copy.pk)


def _add_years(d: date, years: int) -> date | None:
    """The date `years` later (28 February for 29 February), or None past the calendar's end."""
    if d.year + years > date.max.year:
        return None
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


class PlanTransitionView(PlanObjectMixin, ActionView):
    """POST actions of the workflow: submit, return, approve, archive, new version."""

    ACTIONS = {
        "submit": ("submit", services.plan_submit, "План отправлен на утверждение."),
        "return": ("return", services.plan_return, "План возвращён на доработку."),
        "approve": ("approve", services.plan_approve, "План утверждён."),
        "archive": ("archive", services.plan_archive, "План переведён в архив."),
        "new_version": (
            "new_version",
            services.plan_new_version,
            "Создана новая редакция. Утверждённый план действует, пока она не утверждена.",
        ),
    }

    def failure_url(self) -> str:
        return reverse("activities:plan_detail", args=[self.kwargs["pk"]])

    def act(self):
        request, action = self.request, self.kwargs["action"]
        if action not in self.ACTIONS:
            raise Http404
        plan = self.get_plan()
        permission, service, message = self.ACTIONS[action]
        if action == "approve" and plan.owner.kind == OrgKind.MUNICIPALITY:
            if not access.can(request.user, access.APPROVE_PLANS, plan.owner):
                raise Http404
            messages.error(request, BY_ORDER)
            return redirect("activities:plan_detail", plan.pk)
        if not plan_actions(request.user, plan)[permission]:
            raise Http404
        kwargs = {"comment": request.POST.get("comment", "")} if action == "return" else {}
        result = service(plan=plan, actor=request.user, **kwargs)
        messages.success(request, message)
        if action == "new_version":
            return redirect("activities:plan_edit", result.pk)
        return redirect("activities:plan_detail", plan.pk)


class PlanCompareView(PlanObjectMixin, DetailView):
    """A new version side by side with the plan it amends."""

    template_name = "activities/plan_compare.html"
    context_object_name = "plan"

    def get_object(self, queryset=None):
        plan = self.get_plan()
        if plan.amends_id is None:
            raise Http404
        return plan

    def get_context_data(self, **kwargs):
        rows = plan_diff(plan=self.object)
        for row in rows:
            row["field_labels"] = [label.lower() for label in field_labels(Activity, row["fields"])]
        counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("changed", "added", "removed")}
        return super().get_context_data(rows=rows, counts=counts, base=self.object.amends, **kwargs)


class SchoolPlanCreateView(PlanObjectMixin, ActionView):
    """A school coordinator starts the school's plan from the approved municipal plan."""

    def failure_url(self) -> str:
        return reverse("activities:plan_detail", args=[self.kwargs["pk"]])

    def act(self):
        request, plan = self.request, self.get_plan()
        schools = school_seats(request.user, plan)
        school = next(
            (s for s in schools if str(s.pk) == request.POST.get("school")), schools[0] if schools else None
        )
        if school is None:
            raise Http404
        new = services.school_plan_from_municipal(municipal_plan=plan, school=school, actor=request.user)
        messages.success(
            request, f"Создан план {school}: в нём мероприятия муниципального плана, адресованные школам."
        )
        return redirect(reverse("activities:plan_edit", args=[new.pk]))
