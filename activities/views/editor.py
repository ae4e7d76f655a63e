"""The plan editor: sections and activities edited in place with HTMX.

Each endpoint answers with the fragment it changed: a row after an edit, the whole plan body
after anything that renumbers (add, move, delete, undo). Errors come back as a message in the
same fragment; nothing is lost from a rejected form.
"""

import copy
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from activities import services
from activities.choices import DeadlineKind, PlanStatus
from activities.deadlines import activity_rule, describe, due_dates, parse_deadline
from activities.deadlines.describe import calendar_dates
from activities.forms import ActivityForm
from activities.history import change_rows
from activities.models import Activity, Plan, Section
from activities.selectors import (
    activity_for_user,
    activity_history,
    activity_with_plan,
    plan_editor_document,
    plans_for_user,
    target_schools,
)
from activities.services.executions import MAX_OCCURRENCES, Calendars
from vprplan import access
from vprplan.actions import ActionView, CapabilityRequiredMixin
from vprplan.audit_actions import action_label
from vprplan.errors import DomainError, EditConflict
from vprplan.fragments import rendered_once
from vprplan.models import AuditEvent


def row_urls() -> dict:
    return {"activity_url": reverse("activities:activity_row", args=[0]).removesuffix("0/")}


def prepare_row(a: Activity, plan: Plan, prefix: str, events=None) -> Activity:
    """What a row prints, worked out once: its due dates, its id and its URL as strings.

    A 150-row page spent a third of its time in six {% url %} tags a row and most of the rest
    localising the same integer id again and again; a row now prints strings.
    """
    a.due = due_dates(
        activity_rule(a),
        period_start=plan.period_start,
        period_end=plan.period_end,
        events=events,
    )
    a.key = str(a.pk)
    a.url = f"{prefix}{a.pk}/"
    return a


ROW_TEMPLATE = "activities/editor/_row.html"
# Everything a row prints (its due dates follow from the deadline fields and the plan's period).
ROW_FIELDS = (
    "pk",
    "version",
    "number",
    "title",
    "deadline_text",
    "deadline_kind",
    "deadline_rule",
    "deadline_warning",
    "responsible_text",
    "execution_level",
    "target_kind",
    "target_flag_year",
)


def with_rendered_rows(plan: Plan, sections: list[Section]) -> list[Section]:
    """Each row's HTML (`a.html`), rendered once per content and kept in the cache: a row is the
    same HTML while everything it prints (ROW_FIELDS and the plan's period, for its due dates) is
    the same, so the page and the fragments re-rendered after a move or a deletion render only the
    rows that changed. The bench: «editor page, 150 activities» spent most of its time rendering
    the same rows again."""
    prefix = row_urls()["activity_url"]
    rendered_once(
        "editor-rows",
        (a for section in sections for a in section.activities.all()),
        template_name=ROW_TEMPLATE,
        printed=lambda a: [getattr(a, name) for name in ROW_FIELDS] + [plan.period_start, plan.period_end],
        context=lambda a: {"a": prepare_row(a, plan, prefix), "plan": plan},
    )
    return sections


class EditorMixin(CapabilityRequiredMixin):
    """Resolves the plan (or its section/activity) for a user who keeps that plan's owner; else 404."""

    capability = access.EDIT_PLANS

    def editable_plan(self, pk: int) -> Plan:
        plan = get_object_or_404(plans_for_user(user=self.request.user), pk=pk)
        if not access.can(self.request.user, access.EDIT_PLANS, plan.owner):
            raise Http404
        return plan

    def editable_section(self, pk: int) -> Section:
        section = get_object_or_404(Section.objects.select_related("plan", "plan__owner"), pk=pk)
        self.editable_plan(section.plan_id)
        return section

    def editable_activity(self, pk: int) -> Activity:
        """The activity (404 unless its plan is the user's to edit)."""
        # One query for the activity, its section and its plan with the owner. Whoever keeps the
        # owner's plans reads them (access.EDIT_PLANS's roles are managing roles), so the check
        # below gives the same 404 as editable_plan's, without a second read of the plan.
        activity = activity_with_plan(pk)
        if activity is None or not access.can(self.request.user, access.EDIT_PLANS, activity.plan.owner):
            raise Http404
        return activity

    def body(self, plan: Plan, *, notice: str = "", undo: AuditEvent | None = None, error: str = ""):
        sections = with_rendered_rows(plan, plan_editor_document(plan))
        html = render_to_string(
            "activities/editor/_body.html",
            {"plan": plan, "sections": sections, "notice": notice, "undo": undo, "error": error},
            request=self.request,
        )
        return HttpResponse(html)

    def row(self, activity: Activity, **extra):
        """One row, from the object in hand (no second read). The row uses nothing of the request
        (the page renders it without one, `with_rendered_rows`): no context processors."""
        plan = activity.plan
        prepare_row(activity, plan, row_urls()["activity_url"])
        return HttpResponse(get_template(ROW_TEMPLATE).render({"a": activity, "plan": plan, **extra}))


class EditorActionView(EditorMixin, ActionView):
    """A change in the editor: `act()` sets `self.plan`, calls the service and answers with the
    fragment it changed; a refusal comes back as a message in the plan's body."""

    plan: Plan

    def refused(self, error: DomainError) -> HttpResponse:
        return self.body(self.plan, error=str(error))


class PlanEditorView(EditorMixin, TemplateView):
    template_name = "activities/plan_editor.html"

    def get(self, request, *args, **kwargs):
        plan = self.editable_plan(kwargs["pk"])
        if plan.status != PlanStatus.DRAFT:
            return redirect("activities:plan_detail", plan.pk)
        self.plan = plan
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        plan = self.plan
        return super().get_context_data(
            plan=plan, sections=with_rendered_rows(plan, plan_editor_document(plan)), **kwargs
        )


class SectionAddView(EditorActionView):
    def act(self):
        self.plan = self.editable_plan(self.kwargs["pk"])
        services.section_add(plan=self.plan, title=self.request.POST.get("title", ""), actor=self.request.user)
        return self.body(self.plan)


class SectionEditView(EditorMixin, View):
    def get(self, request, pk):
        section = self.editable_section(pk)
        template = (
            "activities/editor/_section_form.html"
            if "edit" in request.GET
            else "activities/editor/_section_head.html"
        )
        return HttpResponse(
            render_to_string(template, {"section": section, "plan": section.plan}, request=request)
        )

    def post(self, request, pk):
        section = self.editable_section(pk)
        was_implicit = section.is_implicit
        try:
            services.section_update(section=section, title=request.POST.get("title", ""), actor=request.user)
        except DomainError as error:
            return HttpResponse(
                render_to_string(
                    "activities/editor/_section_form.html",
                    {
                        "section": section,
                        "plan": section.plan,
                        "error": str(error),
                        "value": request.POST.get("title", ""),
                    },
                    request=request,
                )
            )
        if was_implicit:  # the section now has a number, and so do its activities: redraw them all
            response = self.body(section.plan)
            response["HX-Retarget"], response["HX-Reswap"] = "#plan-body", "innerHTML"
            return response
        return HttpResponse(
            render_to_string(
                "activities/editor/_section_head.html",
                {"section": section, "plan": section.plan},
                request=request,
            )
        )


class SectionMoveView(EditorActionView):
    def act(self):
        section = self.editable_section(self.kwargs["pk"])
        self.plan = section.plan
        services.section_move(section=section, delta=_delta(self.request), actor=self.request.user)
        return self.body(self.plan)


class SectionDeleteView(EditorActionView):
    def act(self):
        section = self.editable_section(self.kwargs["pk"])
        self.plan = section.plan
        event = services.section_delete(section=section, actor=self.request.user)
        return self.body(self.plan, notice=f"Раздел «{event.data['title'][:60]}» удалён.", undo=event)


class SectionActivityAddView(EditorActionView):
    def act(self):
        section = self.editable_section(self.kwargs["pk"])
        self.plan = section.plan
        activity = services.activity_add(section=section, actor=self.request.user)
        response = self.body(self.plan)
        response["HX-Trigger-After-Settle"] = json.dumps({"vpr:edit": {"id": activity.pk}})
        return response


class ActivityRowView(EditorMixin, View):
    def get(self, request, pk):
        return self.row(self.editable_activity(pk))


class ActivityEditView(EditorMixin, View):
    template = "activities/editor/_activity_form.html"

    def render_form(self, activity, form, **extra):
        schools = list(target_schools(activity=activity)) if activity.pk else []
        return HttpResponse(
            render_to_string(
                self.template,
                {"a": activity, "form": form, "plan": activity.plan, "schools": schools, **extra},
                request=self.request,
            )
        )

    def get(self, request, pk):
        activity = self.editable_activity(pk)
        return self.render_form(activity, ActivityForm(instance=activity, plan=activity.plan))

    def post(self, request, pk):
        activity = self.editable_activity(pk)
        plan = activity.plan
        # The form writes into its instance; `activity` stays as read, for the history.
        form = ActivityForm(request.POST, instance=copy.copy(activity), plan=plan)
        if not form.is_valid():
            return self.render_form(activity, form)
        data = {k: v for k, v in form.cleaned_data.items() if k in services.editor.ACTIVITY_EDIT_FIELDS}
        m2m = {k: form.cleaned_data[k] for k in services.editor.ACTIVITY_M2M if k in form.cleaned_data}
        new_person = form.cleaned_data.get("new_person", "").strip()
        person = None
        if new_person:
            person = services.editor.responsible_person_add(plan=plan, text=new_person, actor=request.user)
            m2m["responsible_persons"] = [*m2m.get("responsible_persons", []), person.pk]
        if not data.get("responsible_text"):
            persons = form.chosen("responsible_persons") + ([person] if person else [])
            names = [r.name for r in form.chosen("responsible_roles")] + [str(p) for p in persons]
            data["responsible_text"] = "; ".join(names)
        if form.cleaned_data["deadline_mode"] == "manual":
            data.update(
                deadline_kind=DeadlineKind.MANUAL,
                deadline_rule={},
                deadline_warning="",
                deadline_confirmed=True,
            )
        else:
            data.update(
                services.deadline_fields(
                    data["deadline_text"], period_start=plan.period_start, period_end=plan.period_end
                )
            )
        try:
            saved = services.activity_update(
                activity=activity,
                data=data,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                m2m=m2m,
                links=form.links,
            )
        except EditConflict as conflict:
            # Keep what the user typed; offer the saved version next to it; the next save is deliberate.
            form = ActivityForm(request.POST, instance=activity, plan=plan)
            form.is_valid()
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
            return self.render_form(activity, form, conflict=conflict, theirs=conflict.current)
        except DomainError as error:
            return self.render_form(activity, form, error=str(error))
        return self.row(saved, saved_notice=True)


class ActivityMoveView(EditorActionView):
    def act(self):
        activity = self.editable_activity(self.kwargs["pk"])
        self.plan = activity.plan
        services.activity_move(activity=activity, delta=_delta(self.request), actor=self.request.user)
        return self.body(self.plan)


class ActivityDeleteView(EditorActionView):
    def act(self):
        activity = self.editable_activity(self.kwargs["pk"])
        self.plan = activity.plan
        event = services.activity_delete(activity=activity, actor=self.request.user)
        return self.body(self.plan, notice=f"Мероприятие {event.data['number']} удалено.", undo=event)


class DeletionUndoView(EditorActionView):
    def act(self):
        self.plan = plan = self.editable_plan(self.kwargs["pk"])
        event = get_object_or_404(
            AuditEvent, pk=self.kwargs["event_id"], action__in=["activity.deleted", "section.deleted"]
        )
        if event.data.get("plan_id") != plan.pk:
            raise Http404
        services.deletion_undo(event=event, actor=self.request.user)
        return self.body(plan, notice="Удаление отменено.")


class PlanReorderView(EditorActionView):
    """Drag and drop: the page sends the whole order, the server renumbers."""

    def act(self):
        self.plan = plan = self.editable_plan(self.kwargs["pk"])
        try:
            order = [
                (int(s["section"]), [int(a) for a in s["activities"]])
                for s in json.loads(self.request.POST.get("order", "[]"))
            ]
        except (ValueError, KeyError, TypeError):
            return self.body(plan, error="Не удалось прочитать новый порядок строк: обновите страницу.")
        services.plan_reorder(plan=plan, order=order, actor=self.request.user)
        return self.body(plan)


class DeadlinePreviewView(LoginRequiredMixin, View):
    """What the system understands of a deadline as the coordinator types it. A relative deadline
    («за 10 дней до проведения ВПР») resolves against the region's VPR campaigns as the plan's
    executions do (the owner's calendar: the window stands in for the schools' sessions)."""

    def get(self, request, pk):
        plan = get_object_or_404(plans_for_user(user=request.user), pk=pk)
        text = request.GET.get("deadline_text", "")[:500]
        rule = parse_deadline(text, period_start=plan.period_start, period_end=plan.period_end)
        period = {"period_start": plan.period_start, "period_end": plan.period_end}
        events = (
            Calendars(plan, plan.owner).events(plan.owner_id) if rule.kind == DeadlineKind.RELATIVE else None
        )
        dates = calendar_dates(rule, **period, events=events)
        return HttpResponse(
            render_to_string(
                "activities/editor/_deadline_preview.html",
                {
                    "rule": rule,
                    "kind_label": DeadlineKind(rule.kind).label,
                    "dates": dates,
                    "too_many": (
                        f"Дат больше {MAX_OCCURRENCES}: план с таким сроком не утвердить. Укажите срок реже "
                        "(например, «ежемесячно») или «Постоянно»."
                        if len(dates) > MAX_OCCURRENCES
                        else ""
                    ),
                    "text": text,
                    "explanation": describe(rule, **period, events=events),
                },
                request=request,
            )
        )


class ActivityHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "activities/activity_history.html"

    def get_context_data(self, **kwargs):
        activity = activity_for_user(user=self.request.user, pk=kwargs["pk"])
        events = [
            {
                "event": event,
                "label": action_label(event.action),
                "changes": change_rows(Activity, event.data.get("changes", {}), plan=activity.plan),
            }
            for event in activity_history(activity=activity)
        ]
        return super().get_context_data(activity=activity, plan=activity.plan, events=events, **kwargs)


def _delta(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1
