"""«Мои задачи»: the executions a user ticks off, an execution's page, reporting work with
evidence (in place with HTMX, or as a plain form), the coordinator's review, evidence downloads."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from activities import services
from activities.cards import CARD_VALUES, prepare_card, task_cards, with_rendered_cards
from activities.choices import ExecutionStatus, ReviewStatus
from activities.evidence import accept_attribute, allowed_description
from activities.forms import ExecutionReportForm, ExecutionReviewForm
from activities.models import OPEN_STATUSES, Execution
from activities.progress import week_end
from activities.review_text import review_done_message
from activities.selectors import (
    FORM_RELATIONS,
    can_complete,
    can_review,
    evidence_for_user,
    execution_for_user,
    followed_school_work,
    tasks_for_user,
    today_for,
)
from vprplan import access
from vprplan.actions import ActionView, CapabilityRequiredMixin
from vprplan.audit import audit
from vprplan.downloads import stored_file_response
from vprplan.errors import DomainError
from vprplan.fragments import rendered_once
from vprplan.models import AuditEvent

DONE_SHOWN = 30
HISTORY_SHOWN = 30  # an execution's page shows its latest entries; the audit log keeps them all


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def report_form(data=None, files=None) -> ExecutionReportForm:
    return ExecutionReportForm(
        data,
        files,
        accept=accept_attribute(),
        help_text=f"{allowed_description()}; до {filesizeformat(settings.EVIDENCE_MAX_BYTES)} каждый, "
        "можно выбрать несколько.",
    )


def group_tasks(executions, today) -> dict:
    """Open tasks by urgency (returned ones first in each group), and the latest done ones: of
    activities.cards.task_cards, or executions after annotate_states."""
    end = week_end(today)
    groups = {"overdue": [], "week": [], "later": [], "done": []}
    for e in executions:
        if e.status not in OPEN_STATUSES:
            groups["done"].append(e)
        elif e.overdue:
            groups["overdue"].append(e)
        elif e.due_date is not None and e.due_date <= end:
            groups["week"].append(e)
        else:
            groups["later"].append(e)
    for key in ("overdue", "week", "later"):
        groups[key].sort(key=lambda e: e.review_status != ReviewStatus.RETURNED)
    groups["done"].sort(key=lambda e: e.completed_at or e.updated_at, reverse=True)
    groups["done"] = groups["done"][:DONE_SHOWN]
    return groups


class TaskListView(CapabilityRequiredMixin, TemplateView):
    """Who has a «Мои задачи» page: access.READ_TASKS (activities.selectors.tasks_for_user says
    what each one ticks)."""

    template_name = "activities/task_list.html"
    capability = access.READ_TASKS

    def get_context_data(self, **kwargs):
        today = today_for(self.request.user)
        rows = (
            tasks_for_user(user=self.request.user)
            .values(*CARD_VALUES)
            .order_by(
                F("due_date").asc(nulls_last=True),
                "activity__plan_id",
                "activity__section__position",
                "activity__position",
                "organization__name",
                "occurrence",
            )
        )
        cards = task_cards(rows, today)
        groups = group_tasks(cards, today)
        with_rendered_cards(e for group in groups.values() for e in group)
        followed = []
        if access.can(self.request.user, access.READ_NAMED_WORK):
            followed = list(followed_school_work(user=self.request.user))
        return super().get_context_data(
            followed=followed,
            groups=groups,
            today=today,
            week_end=week_end(today),
            open_count=sum(len(groups[key]) for key in ("overdue", "week", "later")),
            **kwargs,
        )


class TaskCountsView(CapabilityRequiredMixin, View):
    """The home page's «Мои задачи» figures, loaded after the page (keeps the home page lean)."""

    capability = access.READ_TASKS

    def get(self, request):
        today = today_for(request.user)
        open_ = Q(status__in=OPEN_STATUSES)
        counts = tasks_for_user(user=request.user).aggregate(
            overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
            week=Count("pk", filter=open_ & Q(due_date__gte=today, due_date__lte=week_end(today))),
            returned=Count("pk", filter=open_ & Q(review_status=ReviewStatus.RETURNED)),
            open=Count("pk", filter=open_),
        )
        html = render_to_string("activities/_task_counts.html", {"counts": counts}, request=request)
        return HttpResponse(html)


def execution_context(request, execution: Execution, **extra) -> dict:
    user = request.user
    today = today_for(user)
    execution.state_key = execution.state(today)
    execution.overdue = execution.is_overdue(today)
    prepare_card(execution)
    return {
        "e": execution,
        "today": today,
        "evidence": list(execution.evidence.all()),
        "may_report": can_complete(user, execution)
        and execution.review_status != ReviewStatus.ACCEPTED
        and execution.status != ExecutionStatus.NOT_APPLICABLE,
        "may_review": can_review(user, execution)
        and execution.status == ExecutionStatus.DONE
        and not execution.review_status,
        **extra,
    }


def with_rendered_history(events: list[AuditEvent]) -> None:
    """Each history entry's HTML (`h.html`), rendered once per content (an entry never changes; its
    actor's name may): 30 entries were a fifth of an execution's page, the flow's busiest."""
    zone = timezone.get_current_timezone_name()
    rendered_once(
        "history-entries",
        events,
        template_name="activities/_history_entry.html",
        printed=lambda h: [
            h.pk,
            h.at,
            zone,
            h.action,
            h.actor and [h.actor.first_name, h.actor.last_name, h.actor.username],
            [h.data.get(name) for name in ("comment", "files", "file")],
        ],
        context=lambda h: {"h": h},
    )


class ExecutionDetailView(LoginRequiredMixin, TemplateView):
    """An execution with its evidence, review and history; the drill-down's last step."""

    template_name = "activities/execution_detail.html"

    def get_context_data(self, **kwargs):
        execution = execution_for_user(user=self.request.user, pk=kwargs["pk"])
        siblings = list(
            Execution.objects.filter(
                activity_id=execution.activity_id, organization_id=execution.organization_id
            )
            .exclude(pk=execution.pk)
            .order_by("occurrence")
        )
        history = list(
            AuditEvent.objects.filter(object_type="activities.execution", object_id=str(execution.pk))
            .select_related("actor")
            .only("at", "action", "data", "actor__first_name", "actor__last_name", "actor__username")
            .order_by("-at", "-pk")[: HISTORY_SHOWN + 1]
        )
        with_rendered_history(history[:HISTORY_SHOWN])
        context = execution_context(
            self.request,
            execution,
            siblings=siblings,
            history=history[:HISTORY_SHOWN],
            history_more=len(history) > HISTORY_SHOWN,
            show_dashboard=access.can(self.request.user, access.READ_DASHBOARD),
        )
        context["form"] = report_form()
        context["review_form"] = kwargs.pop("review_form", None) or ExecutionReviewForm()
        return super().get_context_data(**context, **kwargs)


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class ExecutionReportView(LoginRequiredMixin, View):
    """GET: the report form in place of a task card. POST: report it done («done») or save it as
    in progress («progress»), with a comment and files. HTMX gets the card back; a plain form post
    is redirected with a message."""

    def execution(self) -> Execution:
        execution = execution_for_user(user=self.request.user, pk=self.kwargs["pk"], related=FORM_RELATIONS)
        if not can_complete(self.request.user, execution):
            raise Http404
        return execution

    def card(self, execution, **extra) -> HttpResponse:
        context = execution_context(self.request, execution, **extra)
        return HttpResponse(render_to_string("activities/_task_card.html", context, request=self.request))

    def form(self, execution, form, error: str = "") -> HttpResponse:
        context = execution_context(self.request, execution, form=form, error=error)
        return HttpResponse(render_to_string("activities/_task_form.html", context, request=self.request))

    def get(self, request, pk):
        execution = self.execution()
        if "cancel" in request.GET:
            return self.card(execution)
        return self.form(execution, report_form())

    def post(self, request, pk):
        execution = self.execution()
        form = report_form(request.POST, request.FILES)
        done = request.POST.get("action", "done") == "done"
        service = services.execution_complete if done else services.execution_start
        error = ""
        if form.is_valid():
            try:
                execution = service(
                    execution=execution,
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                    files=form.cleaned_data["files"],
                )
            except DomainError as exc:
                error = str(exc)
        else:
            error = "Проверьте поля формы."
        notice = "Отмечено: выполнено." if done else "Сохранено: в работе."
        if execution.is_reviewable and done and not error:
            notice = "Отмечено и отправлено на проверку муниципальному координатору."
        if is_htmx(request):
            if error:
                return self.form(execution, form, error)
            fresh = execution_for_user(user=request.user, pk=execution.pk)
            return self.card(fresh, notice=notice)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice)
        return redirect(_next(request, reverse("activities:execution_detail", args=[execution.pk])))


class ExecutionReviewView(ExecutionDetailView):
    """The municipal coordinator accepts a school's report or returns it with a comment. A refused
    review (a return without a comment) shows the execution page again, the comment field marked
    and what he typed kept; he goes back to where he came from (`next`) once it succeeds."""

    def get(self, request, pk):
        """A reload of the refused form's address: back to the execution page."""
        execution_for_user(user=request.user, pk=pk)  # 404 outside his scope
        return redirect("activities:execution_detail", pk)

    def post(self, request, pk):
        execution = execution_for_user(user=request.user, pk=pk)
        if not can_review(request.user, execution):
            raise Http404
        form = ExecutionReviewForm(request.POST)
        decision = request.POST.get("decision", "")
        if decision not in services.work.REVIEW_DECISIONS:
            raise Http404
        if not form.is_valid():
            return self.refused(form)
        try:
            services.execution_review(
                execution=execution,
                actor=request.user,
                decision=decision,
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            missing_comment = decision == "return" and not form.cleaned_data["comment"].strip()
            form.add_error("comment" if missing_comment else None, str(exc))
            return self.refused(form)
        messages.success(request, review_done_message(decision=decision, organization=execution.organization))
        return redirect(_next(request, reverse("activities:execution_detail", args=[execution.pk])))

    def refused(self, form):
        if form.has_error("comment"):
            form.fields["comment"].widget.attrs["autofocus"] = True  # the browser scrolls to it
        context = self.get_context_data(
            pk=self.kwargs["pk"], review_form=form, review_next=_next(self.request, "")
        )
        if not context["may_review"]:  # taken back meanwhile: no review box to show the error in
            for error in form.non_field_errors():
                messages.error(self.request, error)
        return self.render_to_response(context)


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file, to those who may read its execution: always as an attachment, with the
    type we detected on upload and no sniffing, so a file can never run as a page of this site."""

    def get(self, request, pk):
        evidence = evidence_for_user(user=request.user, pk=pk)
        response = stored_file_response(
            evidence.file,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )
        audit(
            request.user,
            "evidence.downloaded",
            evidence,
            organization=evidence.execution.organization,
            execution=evidence.execution_id,
            file_name=evidence.original_name,
        )
        return response


class EvidenceDeleteView(ActionView):
    """A file of one's own task removed; back where he came from (`next`) either way."""

    def failure_url(self) -> str:
        return _next(self.request, reverse("activities:execution_detail", args=[self.execution.pk]))

    def act(self):
        evidence = evidence_for_user(user=self.request.user, pk=self.kwargs["pk"])
        self.execution = evidence.execution
        if not can_complete(self.request.user, self.execution):
            raise Http404
        services.evidence_delete(evidence=evidence, actor=self.request.user)
        messages.success(self.request, f"Файл «{evidence.original_name}» удалён.")
        return redirect(self.failure_url())
