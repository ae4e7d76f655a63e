"""{% load review %}{{ e|review_note }}: the review's word on an execution, agreed with the reviewer."""

from django import template

from activities.review_text import review_note as _review_note

register = template.Library()


@register.filter
def review_note(execution, with_comment: bool = True):
    return _review_note(
        status=execution.review_status,
        reviewer=execution.reviewed_by,
        reviewed_at=execution.reviewed_at,
        comment=execution.review_comment if with_comment else "",
    )
