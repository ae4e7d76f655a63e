"""The directory backends: django-auth-ldap's and mozilla-django-oidc's, with vprplan's rules.

- An account is made at the first directory login, without roles (and without a local password).
- An existing account is used when its username is the directory's login, unless it has a local
  password: an account with one keeps logging in by it only, so a directory entry of the same
  name (say «admin») never takes it over. The administrator turns its password off (the Django
  admin, the password form: «Запретить аутентификацию по паролю») to hand it to the directory.
- The mapped roles follow the directory's groups (claims) at every login (roles.py).
"""

import logging

import ldap
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from schools.directory.roles import sync_directory_roles
from vprplan.audit import audit
from vprplan.audit_actions import AuditAction
from vprplan.directory.config import normalize_dn
from vprplan.security import client_ip

logger = logging.getLogger(__name__)


def _created(user, *, source: str, request) -> None:
    audit(None, AuditAction.USER_DIRECTORY_CREATED, user, user=user.get_username(), source=source,
          ip=client_ip(request))  # fmt: skip


def _refused(username: str, *, source: str, request) -> None:
    logger.warning("%s login refused: %s has a local password", source, username)
    audit(None, AuditAction.USER_DIRECTORY_REFUSED, None, username=username[:150], source=source,
          ip=client_ip(request))  # fmt: skip


class DirectoryLDAPBackend(LDAPBackend):
    """LDAP / Active Directory (settings AUTH_LDAP_*, from LDAP_* variables: vprplan.directory.config)."""

    def get_or_build_user(self, username, ldap_user):
        if len(username) > 150:  # longer than an account's name can be
            raise ldap_user.AuthenticationFailed("the login name is longer than 150 characters")
        user, built = super().get_or_build_user(username, ldap_user)
        if not built and user.has_usable_password():
            _refused(username, source="ldap", request=ldap_user._request)
            raise ldap_user.AuthenticationFailed("the account has a local password")
        ldap_user.vprplan_built = built
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if getattr(ldap_user, "vprplan_built", False):
            _created(user, source="ldap", request=ldap_user._request)
        role_map = getattr(settings, "LDAP_ROLE_MAP", {})
        if role_map:
            try:
                groups = sorted(normalize_dn(dn) for dn in ldap_user.group_dns)
            except ldap.LDAPError as error:  # the groups could not be read: the roles stay as they are
                logger.error("LDAP groups of %s could not be read: %s", user.get_username(), error)
                return user
            sync_directory_roles(user=user, source="ldap", groups=groups, role_map=role_map)
        return user


LDAP_DOWN = (
    "Каталог организации сейчас не отвечает, поэтому войти по его паролю не получилось. Попробуйте "
    "через несколько минут или сообщите администратору сети."
)


@receiver(ldap_error, sender=DirectoryLDAPBackend, dispatch_uid="schools.directory.ldap_error")
def _on_ldap_error(sender, context, user, request, exception, **kwargs):
    """The directory could not be asked (down, timed out, the service account refused): the login
    page says so besides «неверное имя или пароль»."""
    logger.error("LDAP directory error while %s: %s", context, exception)
    if (
        request is not None
        and hasattr(request, "_messages")
        and not getattr(request, "vprplan_ldap_down", False)
    ):
        request.vprplan_ldap_down = True
        messages.error(request, LDAP_DOWN)


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    """OpenID Connect's authorization code flow (settings OIDC_*, from the same variables)."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:
            # The provider is down or refused the code: a failed login (the login page says so),
            # not a server error.
            logger.warning("OpenID Connect provider failed: %s", error)
            return None

    @property
    def username_claim(self) -> str:
        return self.get_settings("OIDC_USERNAME_CLAIM", "preferred_username")

    def _username(self, claims) -> str:
        return str(claims.get(self.username_claim) or "").strip()

    def describe_user_by_claims(self, claims):
        return f"{self.username_claim} {self._username(claims)}"

    def verify_claims(self, claims):
        username = self._username(claims)
        return bool(claims.get("sub")) and 0 < len(username) <= 150

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(username__iexact=self._username(claims))

    def _fill(self, user, claims) -> None:
        user.email = str(claims.get("email") or user.email)[:254]
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]

    def create_user(self, claims):
        user = get_user_model()(username=self._username(claims))
        self._fill(user, claims)
        user.set_unusable_password()
        user.save()
        _created(user, source="oidc", request=self.request)
        return user

    def update_user(self, user, claims):
        if user.has_usable_password():
            _refused(user.get_username(), source="oidc", request=self.request)
            raise SuspiciousOperation("the account has a local password")
        self._fill(user, claims)
        user.save(update_fields=["email", "first_name", "last_name"])
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        role_map = self.get_settings("OIDC_ROLE_MAP", {})
        if user is not None and role_map:
            claim = self._claims.get(self.get_settings("OIDC_ROLES_CLAIM", "groups"))
            groups = [claim] if isinstance(claim, str) else [str(g) for g in (claim or [])]
            sync_directory_roles(user=user, source="oidc", groups=groups, role_map=role_map)
        return user

    def get_userinfo(self, access_token, id_token, payload):
        self._claims = super().get_userinfo(access_token, id_token, payload)
        return self._claims
