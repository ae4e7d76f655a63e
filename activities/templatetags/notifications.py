"""The bell in the top bar: the user's unread notifications, one COUNT per request at most (kept in
the shared cache for BELL_CACHE_SECONDS: activities.reminders.bell)."""

from django import template

from activities.reminders.bell import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    count = getattr(user, "_unread_notifications", None)
    if count is None:  # kept on the request's user: a page that shows it twice counts once
        count = unread_count(user_id=user.pk)
        user._unread_notifications = count
    return count
