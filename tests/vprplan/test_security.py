"""Content-Security-Policy and security headers, login throttling, the idle timeout, password rules
and the audit of logins and permission changes."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from schools.choices import Role
from schools.models import Membership
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from vprplan.models import AuditEvent
from vprplan.security import LAST_ACTIVITY_KEY, acting_as

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# Rendered by WeasyPrint or sent as mail: never served to a browser, so they may keep <style>.
NOT_SERVED = ("emails/", "reports/pdf/", "registration/password_reset_email.html")
NOT_SERVED_NAMES = re.compile(r"(_pdf|_print)\.html$")

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"javascript:", re.I)
STYLE_ATTR = re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S)
STYLE_TAG = re.compile(r"<style\b", re.I)

LOCKED = "Слишком много неудачных попыток входа"
WRONG = "Неверное имя пользователя или пароль"


def csp_problems(html: str) -> list[str]:
    checks = [
        (INLINE_SCRIPT, "inline <script>"),
        (EVENT_HANDLER, "on*= handler"),
        (JS_URL, "javascript: URL"),
        (STYLE_ATTR, 'style="" attribute'),
        (STYLE_TAG, "<style> element"),
    ]
    return [name for pattern, name in checks if pattern.search(html)]


def served_templates() -> list[Path]:
    return [
        p
        for p in sorted(TEMPLATES.rglob("*.html"))
        if not str(p.relative_to(TEMPLATES)).startswith(NOT_SERVED) and not NOT_SERVED_NAMES.search(p.name)
    ]


# Content-Security-Policy ------------------------------------------------------------------------


def test_the_checker_finds_what_the_policy_would_block():
    assert csp_problems("<script>alert(1)</script>") == ["inline <script>"]
    assert csp_problems('<select onchange="this.form.submit()">') == ["on*= handler"]
    assert csp_problems('<a href="javascript:void(0)">') == ["javascript: URL"]
    assert csp_problems('<span style="width: 5%">') == ['style="" attribute']
    assert csp_problems("<style>p{}</style>") == ["<style> element"]
    assert csp_problems('<script src="/static/js/app.js" defer></script><p class="x">') == []


def test_templates_served_to_browsers_have_nothing_inline(record_property):
    templates = served_templates()
    assert len(templates) > 50
    problems = {
        str(p.relative_to(TEMPLATES)): found for p in templates if (found := csp_problems(p.read_text()))
    }
    assert problems == {}
    record_property("templates_checked_for_inline_code", len(templates))


EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


@pytest.mark.django_db
def test_pages_carry_the_policy_and_the_security_headers(client, world, record_property):
    client.force_login(world.admin)
    pages = [reverse("login"), reverse("home"), reverse("audit_log"), "/no-such-page/"]
    checked = 0
    for url in pages:
        if url == reverse("login"):
            client.logout()
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = parse_csp(response["Content-Security-Policy"])
        for directive, value in EXPECTED_CSP.items():
            assert policy.get(directive) == value, (url, directive, policy.get(directive))
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        checked += 1
        client.force_login(world.admin)
    record_property(
        "security_headers_checked", f"{checked} pages × {len(EXPECTED_CSP) + 5} headers/directives"
    )


def test_htmx_does_not_inject_its_indicator_style():
    base = (TEMPLATES / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base
    assert ".htmx-indicator" in (ROOT / "static/css/app.css").read_text()


# Login throttling -------------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    """django-axes as in production (settings_test turns it off for `client.login()`)."""
    settings.AXES_ENABLED = True


def attempt(client, username, password, ip="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_five_wrong_passwords_lock_the_username_at_that_address(client, settings, record_property):
    UserFactory(username="ivanova")
    for n in range(1, settings.AXES_FAILURE_LIMIT):
        response = attempt(client, "ivanova", f"wrong-{n}")
        assert response.status_code == 200 and WRONG in response.content.decode(), n
    response = attempt(client, "ivanova", "wrong-5")
    assert response.status_code == 429
    # The sixth, with the right password, is refused too, and says why in Russian.
    response = attempt(client, "ivanova", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in html and "15 мин" in html
    assert 'value="ivanova"' in html
    assert client.get(reverse("home")).status_code == 302  # not logged in
    record_property("axes_lockout_after_failures", settings.AXES_FAILURE_LIMIT)
    events = AuditEvent.objects.filter(action__startswith="auth.")
    assert events.filter(action="auth.login_failed").count() == settings.AXES_FAILURE_LIMIT - 1
    locked = events.filter(action="auth.locked_out").first()
    assert locked.data["username"] == "ivanova" and locked.data["ip"] == "10.0.0.1"
    assert not events.filter(action="auth.login").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_another_address_or_username_is_not_locked(client, settings):
    UserFactory(username="ivanova")
    UserFactory(username="petrov")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "ivanova", f"wrong-{n}")
    assert attempt(client, "ivanova", PASSWORD).status_code == 429
    assert attempt(client, "petrov", PASSWORD).status_code == 302  # same address, another name
    client.logout()
    assert attempt(client, "ivanova", PASSWORD, ip="10.0.0.2").status_code == 302  # another address


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_after_the_cool_off_the_login_works_again(client, settings):
    UserFactory(username="ivanova")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "ivanova", f"wrong-{n}")
    assert attempt(client, "ivanova", PASSWORD).status_code == 429
    # Travel past the cool-off: the attempts are 16 minutes old.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    assert AccessAttempt.objects.update(attempt_time=past) == 1
    assert attempt(client, "ivanova", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("axes_on")
def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, settings):
    UserFactory(username="ivanova")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "ivanova", f"wrong-{n}", HTTP_X_FORWARDED_FOR="1.1.1.1")
    # Without a trusted proxy a forged X-Forwarded-For does not get the attacker a fresh address.
    assert attempt(client, "ivanova", PASSWORD, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind nginx (the connection comes from it) the address it appended is the client's.
    assert (
        attempt(
            client, "ivanova", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 2.2.2.2"
        ).status_code
        == 302
    )
    assert AuditEvent.objects.get(action="auth.login").data["ip"] == "2.2.2.2"


# The idle timeout -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_idle_session_is_logged_out_with_a_russian_message(client, settings):
    user = UserFactory(username="petrov")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next=%2F"
    assert "Сеанс завершён: вы не работали в системе больше 60 мин." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.get(action="auth.logout").data["reason"] == "idle"


@pytest.mark.django_db
def test_an_idle_htmx_request_sends_the_whole_page_to_the_login(client, settings):
    client.force_login(UserFactory())
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.django_db
def test_activity_is_written_at_most_once_a_minute(client):
    client.force_login(UserFactory())
    at_login = client.session[LAST_ACTIVITY_KEY]
    assert abs(at_login - time.time()) < 5  # set by the login, not by the first page
    client.get(reverse("home"))
    assert client.session[LAST_ACTIVITY_KEY] == at_login
    session = client.session
    session[LAST_ACTIVITY_KEY] = at_login - 90
    session.save()
    client.get(reverse("home"))
    assert client.session[LAST_ACTIVITY_KEY] >= at_login


def test_session_limits_are_configured(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_IDLE_SECONDS == 60 * 60


# Passwords --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_in_russian(client):
    user = UserFactory(username="sidorova", first_name="Анна")
    client.force_login(user)
    url = reverse("password_change")
    for weak, message in [
        ("Qw3!short", "слишком короткий"),
        ("9081726354651", "состоит только из цифр"),
        ("password1234", "слишком широко распространён"),
        ("sidorova-2026", "слишком похож на имя пользователя"),
    ]:
        response = client.post(url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
        assert response.status_code == 200, weak
        html = response.content.decode()
        assert message in html and "Смена пароля" in html, weak
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Дорожная-карта-2026",
            "new_password2": "Дорожная-карта-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Дорожная-карта-2026")


# The audit of logins and permission changes -----------------------------------------------------


@pytest.mark.django_db
def test_login_and_logout_are_audited_with_address_and_browser(client, world):
    response = client.post(
        reverse("login"), {"username": "head", "password": PASSWORD}, HTTP_USER_AGENT="Chromium/131"
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "head", "password": "wrong"})
    login = AuditEvent.objects.get(action="auth.login")
    assert (login.actor, login.organization) == (world.head, world.m1)
    assert login.data == {"ip": "127.0.0.1", "user_agent": "Chromium/131"}
    logout = AuditEvent.objects.get(action="auth.logout")
    assert (logout.actor, logout.data["reason"]) == (world.head, "user")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor is None and failed.data["username"] == "head" and failed.organization == world.m1
    assert "wrong" not in str(failed.data)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.mark.django_db
def test_role_changes_in_the_admin_are_audited(client, world, superuser, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    newcomer = UserFactory(username="newcomer")
    response = client.post(
        reverse("admin:schools_membership_add"),
        {
            "user": newcomer.pk,
            "organization": world.m1.pk,
            "role": Role.MUNICIPAL_COORDINATOR,
            "position": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    created = AuditEvent.objects.get(action="membership.created")
    assert (created.actor, created.organization, created.object_id) == (
        superuser,
        world.m1,
        str(membership.pk),
    )
    assert created.data["role"] == Role.MUNICIPAL_COORDINATOR and created.data["user"] == "newcomer"

    response = client.post(
        reverse("admin:schools_membership_change", args=[membership.pk]),
        {"user": newcomer.pk, "organization": world.m1.pk, "role": Role.HEAD, "position": ""},
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="membership.changed")
    assert changed.data["changes"] == {"role": [Role.MUNICIPAL_COORDINATOR, Role.HEAD]}

    # The deletion is written after commit (the organisation may be going away in the same cascade).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:schools_membership_delete", args=[membership.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    deleted = AuditEvent.objects.get(action="membership.deleted")
    assert (deleted.actor, deleted.organization, deleted.object_id) == (
        superuser,
        world.m1,
        str(membership.pk),
    )


@pytest.mark.django_db
def test_admin_flags_and_groups_of_a_user_are_audited(world, superuser):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Проверяющие")
    with acting_as(superuser):
        world.coordinator.is_staff = True
        world.coordinator.save()
        world.coordinator.groups.add(group)
        world.coordinator.save(update_fields=["last_login"])  # not a permission change
    flags = AuditEvent.objects.get(action="user.flags_changed")
    assert flags.data["changes"] == {"is_staff": [False, True]} and flags.organization == world.m1
    groups = AuditEvent.objects.get(action="user.groups_changed")
    assert (groups.data["change"], groups.data["items"]) == ("added", ["Проверяющие"])


@pytest.mark.django_db
def test_changes_without_a_known_actor_are_not_attributed(world):
    MembershipFactory(user=world.nobody, organization=world.m1, role=Role.OBSERVER)
    assert not AuditEvent.objects.filter(action__startswith="membership.").exists()
