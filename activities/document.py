"""A plan's document (the sectioned table every plan page and the public page print), rendered once
per published version and kept in the cache.

A published plan (approved or archived) does not change: the editor refuses any plan that is not a
draft, and changes are made in a new version. Its rendered document is therefore kept under a key
made of the plan's id and everything of the plan row the document prints (and the template's own
text), so a plan row changed in any way (a status, a stamp) is a new key. Drafts and plans on
approval are rendered on every request. Measured in paired runs: a published 150-row plan's page
31 → 11 ms (TECH-NOTES «Where request time goes»); the output is identical (tests).
"""

import hashlib
import json
from functools import cache

from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

from activities.choices import PUBLISHED_STATUSES
from activities.models import Plan
from activities.selectors import plan_document
from vprplan.fragments import kept

TEMPLATE = "activities/_plan_document.html"
# Long enough to serve a morning's readers; short enough that a change made outside the app (the
# Django admin, a shell) shows within the hour.
TIMEOUT = 3600
# The plan fields the document prints (with the status, kind and period it names).
PRINTED = (
    "title",
    "status",
    "kind",
    "period_text",
    "period_start",
    "period_end",
    "goals",
    "tasks",
    "introduction",
    "columns",
    "section_numbering",
    "approval_text",
    "considered_text",
    "updated_at",
)


@cache
def _template_digest() -> str:
    source = get_template(TEMPLATE).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def cache_key(plan: Plan) -> str:
    printed = json.dumps([getattr(plan, name) for name in PRINTED], default=str, ensure_ascii=False)
    digest = hashlib.sha256(printed.encode()).hexdigest()[:20]
    return f"plan-document:{plan.pk}:{digest}:{_template_digest()}"


def render(plan: Plan) -> SafeString:
    return mark_safe(
        render_to_string(TEMPLATE, {"plan": plan, "sections": plan_document(plan), "columns": plan.columns})
    )


def plan_document_html(plan: Plan) -> SafeString:
    """The plan's document as HTML: from the cache for a published plan, rendered otherwise."""
    if plan.status not in PUBLISHED_STATUSES:
        return render(plan)
    return kept("plan-documents", cache_key(plan), lambda: render(plan), TIMEOUT)
