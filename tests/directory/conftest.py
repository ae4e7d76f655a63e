"""Fixtures of the directory login tests: a real slapd and a real OpenID Connect provider, each
started for the module and stopped after it; settings made from the same variables a deployment
sets (vprplan.directory.config)."""

import pytest
from django.conf import settings as django_settings

from tests.directory.servers import OIDCProvider, ServerUnavailable, Slapd
from vprplan.directory.config import backends, ldap_settings, oidc_settings

# People and groups of the test directory. Passwords are the directory's, never vprplan's.
LDAP_PEOPLE = {
    "kruglova": ("Каталог-пароль-1", "Эльвира", "Круглова", "kruglova@inta.example"),
    "petrov": ("Каталог-пароль-2", "Пётр", "Петров", "petrov@inta.example"),
    "localclerk": ("Каталог-пароль-3", "Местная", "Учётка", "localclerk@inta.example"),
}
COORDINATORS = "vpr-coordinators"
SCHOOL_HEADS = "vpr-school-1"

OIDC_CALLBACK = "http://testserver/oidc/callback/"
OIDC_ACCOUNTS = {
    "esia-ivanova": {
        "password": "Провайдер-пароль-1",
        "claims": {
            "preferred_username": "ivanova.oidc",
            "email": "ivanova@inta.example",
            "email_verified": True,
            "given_name": "Ирина",
            "family_name": "Иванова",
            "name": "Ирина Иванова",
            "groups": ["vprplan-m1-specialists", "unrelated-group"],
        },
    },
    "esia-sidorov": {
        "password": "Провайдер-пароль-2",
        "claims": {
            "preferred_username": "sidorov.oidc",
            "email": "sidorov@inta.example",
            "given_name": "Семён",
            "family_name": "Сидоров",
            "groups": [],
        },
    },
}


def start_or_fail(server) -> None:
    """Start the server; skip without it locally, fail under CI=true (tests/conftest.py's rule)."""
    try:
        server.start()
    except ServerUnavailable as error:
        message = f"{type(server).__name__} could not start: {error}"
        if django_settings.TEST_REQUIRE_SERVICES:
            pytest.fail(message + " (CI=true: a directory test may not skip)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def slapd():
    server = Slapd()
    start_or_fail(server)
    try:
        dns = {
            uid: server.add_person(uid, password, first_name=first, last_name=last, email=mail)
            for uid, (password, first, last, mail) in LDAP_PEOPLE.items()
        }
        server.groups = {
            COORDINATORS: server.add_group(COORDINATORS, [dns["kruglova"]]),
            SCHOOL_HEADS: server.add_group(SCHOOL_HEADS, [dns["kruglova"], dns["petrov"]]),
        }
        server.people = dns
        yield server
    finally:
        server.stop()


def apply(settings, values: dict, *, ldap: bool, oidc: bool) -> None:
    for name, value in values.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = backends(ldap_enabled=ldap, oidc_enabled=oidc)
    settings.AXES_ENABLED = True  # as in production: every login goes through axes


@pytest.fixture
def ldap_environ(slapd) -> dict:
    """The variables a deployment sets for this directory (README)."""
    return {
        "LDAP_SERVER_URI": slapd.uri,
        "LDAP_BIND_DN": "cn=admin,dc=vprplan,dc=test",
        "LDAP_BIND_PASSWORD": "root-secret",
        "LDAP_USER_SEARCH_BASE": "ou=people,dc=vprplan,dc=test",
        "LDAP_GROUP_SEARCH_BASE": "ou=groups,dc=vprplan,dc=test",
    }


@pytest.fixture
def ldap_on(settings, ldap_environ):
    apply(settings, ldap_settings(ldap_environ), ldap=True, oidc=False)
    return settings


@pytest.fixture(scope="module")
def oidc_provider():
    server = OIDCProvider(redirect_uri=OIDC_CALLBACK, accounts=OIDC_ACCOUNTS)
    start_or_fail(server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oidc_on(settings, oidc_provider):
    environ = oidc_provider.environ(
        OIDC_RP_SCOPES="openid email profile groups", OIDC_PROVIDER_NAME="Госуслуги"
    )
    apply(settings, oidc_settings(environ), ldap=False, oidc=True)
    return settings


# Chromium for the browser tests here as in tests/e2e: Debian's chromium, no CSP violation allowed.
from tests.e2e.conftest import browser_type_launch_args, no_csp_violations  # noqa: E402, F401
