"""OpenID Connect's two pages: the start (to the provider) and the callback (back from it). Both
answer 404 unless OIDC is configured (OIDC_RP_CLIENT_ID and the endpoints: config.py)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

FAILED = (
    "Не удалось войти через {provider}. Попробуйте ещё раз; если не получится, обратитесь к "
    "администратору: возможно, под этим именем в системе уже есть учётная запись с паролем."
)


def _require_oidc() -> None:
    if not getattr(settings, "OIDC_ENABLED", False):
        raise Http404


class OIDCStartView(OIDCAuthenticationRequestView):
    """«Войти через …»: to the provider's login page, with state, nonce and PKCE in the session."""

    def __init__(self, *args, **kwargs):
        _require_oidc()
        super().__init__(*args, **kwargs)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: the code is exchanged for the tokens, the user logged in."""

    def __init__(self, *args, **kwargs):
        _require_oidc()
        super().__init__(*args, **kwargs)

    def login_failure(self):
        messages.error(self.request, FAILED.format(provider=settings.OIDC_PROVIDER_NAME))
        return HttpResponseRedirect(reverse("login"))
