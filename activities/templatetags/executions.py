"""Small template helpers for executions: the Russian label of a state key."""

from django import template

from activities.models import STATE_LABELS
from activities.progress.dashboard import MARKS

register = template.Library()


@register.filter
def state_label(key: str) -> str:
    return STATE_LABELS.get(key, "")


ACTIONS = {
    "execution.completed": "отмечено выполненным",
    "execution.resubmitted": "исправлено и отправлено снова",
    "execution.in_progress": "сохранено: в работе",
    "execution.accepted": "принято",
    "execution.returned": "возвращено на доработку",
    "evidence.deleted": "удалён файл",
}


@register.filter
def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


@register.filter
def mark(key: str) -> str:
    return MARKS.get(key, "")


@register.filter
def section_heading(section) -> str:
    """«1. Title» of a section (a model or a values() dict); a flat plan's untitled section has no number."""
    get = section.get if isinstance(section, dict) else lambda name: getattr(section, name, "")
    title = (get("title") or "").strip()
    if not title:
        return "Мероприятия плана"
    number = get("number") or ""
    return f"{number}. {title}" if number else title
