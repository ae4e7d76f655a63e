"""The directory logins in Chromium, as a clerk does them: «Войти через …» on our login page, the
real provider's forms, back in vprplan logged in; and the LDAP password on the same page. The
login page's screenshots at 1366 and 390 px are kept in /tmp for a look."""

import json

import pytest

from tests.directory.conftest import LDAP_PEOPLE, OIDC_ACCOUNTS, apply, start_or_fail
from tests.directory.servers import OIDCProvider
from vprplan.directory.config import ldap_settings, oidc_settings
from vprplan.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_for_live_server(live_server):
    server = OIDCProvider(redirect_uri=f"{live_server.url}/oidc/callback/", accounts=OIDC_ACCOUNTS)
    start_or_fail(server)
    yield server
    server.stop()


def test_oidc_login_in_chromium(
    page, live_server, settings, provider_for_live_server, world, record_property
):
    environ = provider_for_live_server.environ(
        OIDC_RP_SCOPES="openid email profile groups",
        OIDC_PROVIDER_NAME="Госуслуги",
        OIDC_ROLE_MAP=json.dumps({"vprplan-m1-specialists": "m1:specialist"}),
    )
    apply(settings, oidc_settings(environ), ldap=False, oidc=True)
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path="/tmp/vprplan-login-oidc-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/vprplan-login-oidc-390.png", full_page=True)
    page.get_by_role("link", name="Войти через Госуслуги").click()
    # The provider's own pages (loopback, another port).
    page.wait_for_url(f"{provider_for_live_server.issuer}/interaction/**")
    page.fill("#login", "esia-ivanova")
    page.fill("#password", OIDC_ACCOUNTS["esia-ivanova"]["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}/")
    html = page.content()
    assert "Здравствуйте" in html and "Ответственный специалист" in html
    assert AuditEvent.objects.filter(action="auth.login", data__method="oidc").count() == 1
    record_property("oidc_logins_chromium", 1)


def test_ldap_login_in_chromium(page, live_server, settings, slapd, ldap_environ):
    apply(settings, ldap_settings(ldap_environ), ldap=True, oidc=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path="/tmp/vprplan-login-ldap-390.png", full_page=True)
    page.get_by_label("Имя пользователя").fill("petrov")
    page.get_by_label("Пароль").fill(LDAP_PEOPLE["petrov"][0])
    page.get_by_role("button", name="Войти", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    page.set_viewport_size({"width": 1366, "height": 800})
    page.screenshot(path="/tmp/vprplan-home-no-roles-1366.png")
    assert "У вашей учётной записи пока нет ролей" in page.content()


def test_an_oidc_refusal_is_said_on_the_login_page_in_chromium(
    page, live_server, settings, provider_for_live_server
):
    from tests.factories import UserFactory

    UserFactory(username="ivanova.oidc")  # a local account of the provider's name: not taken over
    environ = provider_for_live_server.environ(
        OIDC_RP_SCOPES="openid email profile groups", OIDC_PROVIDER_NAME="Госуслуги"
    )
    apply(settings, oidc_settings(environ), ldap=False, oidc=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Войти через Госуслуги").click()
    page.fill("#login", "esia-ivanova")
    page.fill("#password", OIDC_ACCOUNTS["esia-ivanova"]["password"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.screenshot(path="/tmp/vprplan-login-oidc-refused-390.png", full_page=True)
    assert "Не удалось войти через Госуслуги" in page.locator(".messages").inner_text()
