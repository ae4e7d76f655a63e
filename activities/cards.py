"""Task cards (_task_card.html): what a card prints, worked out once, and a list of cards rendered
once per content (`with_rendered_cards`: a school's «Мои задачи» of 100+ tasks spent most of its
time rendering the same cards again)."""

import unicodedata
from types import SimpleNamespace

from django.urls import reverse
from django.utils.text import Truncator

from activities.models import OPEN_STATUSES, Evidence, execution_state
from activities.review_text import review_note
from vprplan.fragments import rendered_once

CARD_TEMPLATE = "activities/_task_card.html"
TITLE_SHOWN = 220


def card_prefixes() -> tuple[str, str]:
    """The execution and evidence URL prefixes («/executions/», «/evidence/»), reversed once."""
    return (
        reverse("activities:execution_detail", args=[0]).removesuffix("0/"),
        reverse("activities:evidence_download", args=[0]).removesuffix("0/"),
    )


def prepare_card(e, prefixes: tuple[str, str] | None = None):
    """What a task card prints, worked out once: its URLs as strings and its title cut as
    `truncatechars` cuts it. A school's task list spent a third of its template time in two
    {% url %} tags and a filter a card."""
    execution_prefix, evidence_prefix = prefixes or card_prefixes()
    e.url = f"{execution_prefix}{e.pk}/"
    e.report_url = f"{e.url}report/"
    title = e.activity.title
    e.short_title = (
        unicodedata.normalize("NFC", title)
        if len(title) <= TITLE_SHOWN
        else Truncator(title).chars(TITLE_SHOWN)
    )
    e.evidence_prefix = evidence_prefix
    return e


def annotate_states(executions, today):
    prefixes = card_prefixes()
    for e in executions:
        e.state_key = e.state(today)
        e.overdue = e.is_overdue(today)
        prepare_card(e, prefixes)
    return executions


# What a task list reads of each execution: what its card prints, sorts by and decides its state by.
CARD_VALUES = (
    "pk",
    "status",
    "review_status",
    "due_date",
    "completed_at",
    "updated_at",
    "comment",
    "review_comment",
    "reviewed_at",
    "organization_id",
    "activity__number",
    "activity__title",
    "activity__deadline_text",
    "activity__evidence_form",
    "activity__evidence_required",
    "activity__plan__owner_id",
    "organization__name",
    "organization__short_name",
    "reviewed_by_id",
    "reviewed_by__first_name",
    "reviewed_by__last_name",
    "reviewed_by__username",
)


class Files(list):
    """A card's files, read by the card template as it reads an execution's `evidence.all`."""

    def all(self):
        return self


def task_cards(rows, today) -> list[SimpleNamespace]:
    """The cards of `rows` (an execution queryset's `.values(*CARD_VALUES)`), with their files (one
    query) and what the card prints worked out: a school's 100+ tasks built as model instances with
    four related rows each cost four times as much as their values."""
    prefixes = card_prefixes()
    cards = []
    for r in rows:
        activity = SimpleNamespace(
            number=r["activity__number"],
            title=r["activity__title"],
            deadline_text=r["activity__deadline_text"],
            evidence_form=r["activity__evidence_form"],
            evidence_required=r["activity__evidence_required"],
        )
        reviewer = None
        if r["reviewed_by_id"] is not None:
            reviewer = SimpleNamespace(
                first_name=r["reviewed_by__first_name"],
                last_name=r["reviewed_by__last_name"],
                username=r["reviewed_by__username"],
            )
        e = SimpleNamespace(
            pk=r["pk"],
            status=r["status"],
            review_status=r["review_status"],
            due_date=r["due_date"],
            completed_at=r["completed_at"],
            updated_at=r["updated_at"],
            comment=r["comment"],
            review_comment=r["review_comment"],
            reviewed_at=r["reviewed_at"],
            reviewed_by=reviewer,
            activity=activity,
            organization=r["organization__short_name"] or r["organization__name"],
            evidence=Files(),
        )
        e.state_key = execution_state(
            status=e.status,
            review_status=e.review_status,
            due_date=e.due_date,
            today=today,
            reviewable=r["organization_id"] != r["activity__plan__owner_id"],
        )
        e.overdue = e.status in OPEN_STATUSES and e.due_date is not None and e.due_date < today
        cards.append(prepare_card(e, prefixes))
    by_pk = {e.pk: e for e in cards}
    files = Evidence.objects.filter(execution_id__in=list(by_pk)).values_list(
        "execution_id", "pk", "original_name", "size"
    )
    for execution_id, pk, name, size in files:
        by_pk[execution_id].evidence.append(SimpleNamespace(pk=pk, original_name=name, size=size))
    return cards


def card_printed(e) -> list:
    """Everything a card of task_cards prints: its key in the fragment cache."""
    a = e.activity
    note = ""
    if e.review_status == "returned":
        note = review_note(
            status=e.review_status, reviewer=e.reviewed_by, reviewed_at=e.reviewed_at, comment=e.review_comment
        )
    return [
        e.url,
        e.evidence_prefix,
        e.state_key,
        e.overdue,
        e.status,
        e.review_status,
        e.due_date,
        a.number,
        e.short_title,
        e.organization,
        a.deadline_text,
        a.evidence_form,
        a.evidence_required,
        note,
        e.comment,
        [(f.pk, f.original_name, f.size) for f in e.evidence],
    ]


def with_rendered_cards(executions) -> None:
    """Each card's HTML (`e.html`), for a list of task_cards (no notice)."""
    rendered_once(
        "task-cards",
        executions,
        template_name=CARD_TEMPLATE,
        printed=card_printed,
        context=lambda e: {"e": e},
    )
