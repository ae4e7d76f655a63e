"""Task cards (_task_card.html): what a card prints, worked out once, and a list of cards rendered
once per content (`with_rendered_cards`: a school's «Мои задачи» of 100+ tasks spent most of its
time rendering the same cards again)."""

import unicodedata

from django.urls import reverse
from django.utils.text import Truncator

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


def card_printed(e) -> list:
    """Everything a card prints (after annotate_states): its key in the fragment cache."""
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
        str(e.organization),
        a.deadline_text,
        a.evidence_form,
        a.evidence_required,
        note,
        e.comment,
        [(f.pk, f.original_name, f.size) for f in e.evidence.all()],
    ]


def with_rendered_cards(executions) -> None:
    """Each card's HTML (`e.html`), for a list of cards (no notice, the evidence prefetched)."""
    rendered_once(
        "task-cards",
        executions,
        template_name=CARD_TEMPLATE,
        printed=card_printed,
        context=lambda e: {"e": e},
    )
