"""Login through OpenID Connect against a real provider (the npm package oidc-provider, run by node
on loopback: tests/directory/oidc/provider.mjs): «Войти через …» on our login page, the provider's
own login and consent forms, the authorization code flow back to our callback, the account made
at the first login without roles, the claim mapped to a role."""

import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from schools.choices import Role
from schools.models import Membership
from tests.directory.conftest import OIDC_ACCOUNTS, apply
from tests.factories import UserFactory
from vprplan.directory.config import oidc_settings
from vprplan.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.services]
User = get_user_model()
TESTSERVER = "http://testserver"


FORMS: list[str] = []  # the provider's forms filled in, in order («login», «consent»)


def provider_login(start: str, login: str, password: str) -> str:
    """Go through the provider from our redirect to it, as a browser would: its login form, its
    consent form; return where it sends the browser back (our callback with ?code=…&state=…)."""
    browser = requests.Session()
    url = start
    for _ in range(20):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(TESTSERVER):
                return url
            continue
        assert response.status_code == 200, (url, response.status_code, response.text[:500])
        action = urljoin(url, re.search(r'action="([^"]+)"', response.text).group(1))
        if 'name="password"' in response.text:
            form = {"login": login, "password": password}
            FORMS.append("login")
        else:
            form = {"consent": "yes"}
            FORMS.append("consent")
        response = browser.post(action, data=form, allow_redirects=False, timeout=10)
        if not response.is_redirect:
            return f"refused:{response.status_code}"
        url = urljoin(action, response.headers["Location"])
        if url.startswith(TESTSERVER):
            return url
    raise AssertionError("the provider did not send the browser back")


def oidc_login(client, account: str, password: str | None = None, next_url: str = ""):
    FORMS.clear()
    start = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    back = provider_login(start.url, account, password or OIDC_ACCOUNTS[account]["password"])
    if back.startswith("refused:"):
        return back
    assert urlsplit(back).path == reverse("oidc_authentication_callback")
    assert {"code", "state"} <= set(parse_qs(urlsplit(back).query))
    return client.get(back.removeprefix(TESTSERVER), REMOTE_ADDR="10.0.0.7")


def test_the_login_page_offers_the_provider(client, oidc_on):
    html = client.get(reverse("login")).content.decode()
    assert "Войти через Госуслуги" in html
    assert f'href="{reverse("oidc_authentication_init")}"' in html
    start = client.get(reverse("oidc_authentication_init"))
    query = parse_qs(urlsplit(start.url).query)
    assert start.url.startswith(oidc_on.OIDC_OP_AUTHORIZATION_ENDPOINT)
    assert query["client_id"] == ["vprplan"] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]


def test_a_first_login_through_the_provider_makes_an_account_without_roles(client, oidc_on, record_property):
    response = oidc_login(client, "esia-sidorov", next_url=reverse("audit_log"))
    assert FORMS == ["login", "consent"]  # the provider's own forms, both filled in
    assert response.status_code == 302 and response.url == reverse("audit_log")
    user = User.objects.get(username="sidorov.oidc")
    assert (user.first_name, user.last_name, user.email) == ("Семён", "Сидоров", "sidorov@inta.example")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    # Without a role the audit log is not his (404 as for anything not his), the home page explains.
    assert client.get(reverse("audit_log")).status_code == 404
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "пока нет ролей" in home.content.decode()
    assert AuditEvent.objects.get(action="user.directory_created").data["source"] == "oidc"
    login = AuditEvent.objects.get(action="auth.login", actor=user)
    assert login.data["method"] == "oidc" and login.data["ip"] == "10.0.0.7"
    assert client.post(reverse("logout")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).exists()
    # The second login (through the provider's forms again) finds the same account.
    assert oidc_login(client, "esia-sidorov").status_code == 302
    assert User.objects.filter(username="sidorov.oidc").count() == 1
    record_property(
        "oidc_logins", AuditEvent.objects.filter(action="auth.login", data__method="oidc").count()
    )


def test_a_claim_value_in_the_map_gives_the_role(client, settings, oidc_provider, world, record_property):
    environ = oidc_provider.environ(
        OIDC_RP_SCOPES="openid email profile groups",
        OIDC_ROLE_MAP=json.dumps({"vprplan-m1-specialists": "m1:specialist", "vprplan-m1-heads": "m1:head"}),
    )
    apply(settings, oidc_settings(environ), ldap=False, oidc=True)
    assert oidc_login(client, "esia-ivanova").status_code == 302
    user = User.objects.get(username="ivanova.oidc")
    held = set(Membership.objects.filter(user=user).values_list("organization__code", "role"))
    assert held == {("m1", Role.SPECIALIST)}
    granted = AuditEvent.objects.get(action="membership.directory_granted")
    assert granted.data["group"] == "vprplan-m1-specialists" and granted.data["source"] == "oidc"
    assert "Ответственный специалист" in client.get(reverse("home")).content.decode()
    record_property("oidc_roles_from_claims", 1)


def test_the_provider_refuses_a_wrong_password_and_a_local_account_is_not_taken(client, oidc_on):
    assert oidc_login(client, "esia-ivanova", password="wrong") == "refused:401"
    assert not User.objects.filter(username="ivanova.oidc").exists()
    # A local account of the same name keeps its password and is not opened by the provider.
    UserFactory(username="ivanova.oidc")
    response = oidc_login(client, "esia-ivanova")
    assert response.status_code == 302 and response.url == reverse("login")
    page = client.get(response.url).content.decode()
    assert "Не удалось войти через Госуслуги" in page
    assert client.get(reverse("home")).status_code == 302  # not logged in
    assert AuditEvent.objects.get(action="user.directory_refused").data["source"] == "oidc"
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_callback_not_started_here_is_refused(client, oidc_on):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "forged", "state": "forged"})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_the_oidc_pages_are_rate_limited_per_address(client, oidc_on):
    """Each start writes a session and each callback may ask the provider: 30 a minute per address."""
    from django.core.cache import cache

    oidc_on.RATELIMIT_ENABLE = True
    cache.clear()
    try:
        url = reverse("oidc_authentication_init")
        codes = [client.get(url, REMOTE_ADDR="10.0.0.9").status_code for _ in range(32)]
        assert codes.count(302) == 30 and codes[-1] == 429
        callback = client.get(
            reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}, REMOTE_ADDR="10.0.0.9"
        )
        assert callback.status_code == 429  # one count for both pages
        assert client.get(url, REMOTE_ADDR="10.0.0.10").status_code == 302  # another address
    finally:
        cache.clear()


def test_a_provider_that_goes_down_mid_login_is_a_failed_login_not_an_error(client, settings):
    """The browser is back with a code, but the provider no longer answers the token request."""
    from tests.directory.conftest import OIDC_CALLBACK, start_or_fail
    from tests.directory.servers import OIDCProvider

    provider = OIDCProvider(redirect_uri=OIDC_CALLBACK, accounts=OIDC_ACCOUNTS)
    start_or_fail(provider)
    try:
        apply(
            settings, oidc_settings(provider.environ(OIDC_PROVIDER_NAME="Госуслуги")), ldap=False, oidc=True
        )
        start = client.get(reverse("oidc_authentication_init"))
        back = provider_login(start.url, "esia-sidorov", OIDC_ACCOUNTS["esia-sidorov"]["password"])
    finally:
        provider.stop()
    response = client.get(back.removeprefix(TESTSERVER))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "Не удалось войти через Госуслуги" in client.get(response.url).content.decode()
    assert not User.objects.filter(username="sidorov.oidc").exists()
