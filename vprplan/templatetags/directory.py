"""The login page's directory part: «Войти через …» for OpenID Connect, a hint for LDAP."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("registration/_directory_login.html", takes_context=True)
def directory_login(context):
    return {
        "oidc": getattr(settings, "OIDC_ENABLED", False),
        "provider": getattr(settings, "OIDC_PROVIDER_NAME", ""),
        "ldap": getattr(settings, "LDAP_ENABLED", False),
        "next": context.get("next", ""),
    }
