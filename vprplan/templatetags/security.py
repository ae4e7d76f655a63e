"""The top bar's links that depend on the user's roles."""

from django import template

from vprplan import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can_see_audit_log(context) -> bool:
    """The regional admin and the head see «Журнал действий» (memberships are cached per user)."""
    user = context.get("user")
    return bool(user is not None and user.is_authenticated and access.can(user, access.READ_JOURNAL))
