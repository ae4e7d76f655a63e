"""Login through LDAP against a real OpenLDAP slapd started by the test (tests/directory/servers.py):
a directory user's first login makes his account without roles, a mapped group gives a role and
taking him out of the group takes it away, a wrong password is refused and counted by axes, and
local passwords keep working."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from schools.choices import Role
from schools.models import Membership
from tests.directory.conftest import COORDINATORS, LDAP_PEOPLE, SCHOOL_HEADS
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from vprplan.directory.config import ldap_settings
from vprplan.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.services]
User = get_user_model()
WRONG = "Неверное имя пользователя или пароль"
NO_ROLES = "У вашей учётной записи пока нет ролей"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def directory_password(uid: str) -> str:
    return LDAP_PEOPLE[uid][0]


def test_first_login_makes_an_account_without_roles(client, ldap_on, record_property):
    assert not User.objects.filter(username="petrov").exists()
    response = login(client, "petrov", directory_password("petrov"))
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(username="petrov")
    # Name and mail from the directory; no local password; no role.
    assert (user.first_name, user.last_name, user.email) == ("Пётр", "Петров", "petrov@inta.example")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    # The home page of a user without a role says so in Russian, not an error.
    home = client.get(reverse("home"))
    assert home.status_code == 200 and NO_ROLES in home.content.decode()
    created = AuditEvent.objects.get(action="user.directory_created")
    assert created.object_id == str(user.pk) and created.data["source"] == "ldap"
    logged_in = AuditEvent.objects.get(action="auth.login", actor=user)
    assert logged_in.data["method"] == "ldap" and logged_in.data["ip"] == "10.0.0.1"
    # Logout is audited too; the second login finds the same account.
    assert client.post(reverse("logout")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).count() == 1
    assert login(client, "petrov", directory_password("petrov")).status_code == 302
    assert User.objects.filter(username__iexact="petrov").count() == 1
    assert AuditEvent.objects.filter(action="user.directory_created").count() == 1
    record_property(
        "ldap_logins", AuditEvent.objects.filter(action="auth.login", data__method="ldap").count()
    )


def test_a_mapped_group_gives_a_role_and_leaving_it_takes_the_role_away(
    client, settings, ldap_environ, slapd, world, record_property
):
    role_map = {
        slapd.groups[COORDINATORS]: "m1:municipal_coordinator",
        # DNs compare without case and spaces after the commas, as administrators copy them.
        slapd.groups[SCHOOL_HEADS].upper().replace(",", ", "): ["s1:school_coordinator"],
        "cn=nobody-is-here,ou=groups,dc=vprplan,dc=test": "m1:head",
    }
    from tests.directory.conftest import apply

    apply(
        settings,
        ldap_settings({**ldap_environ, "LDAP_ROLE_MAP": json.dumps(role_map)}),
        ldap=True,
        oidc=False,
    )
    assert login(client, "kruglova", directory_password("kruglova")).status_code == 302
    user = User.objects.get(username="kruglova")
    held = set(Membership.objects.filter(user=user).values_list("organization__code", "role"))
    assert held == {("m1", Role.MUNICIPAL_COORDINATOR), ("s1", Role.SCHOOL_COORDINATOR)}
    granted = AuditEvent.objects.filter(action="membership.directory_granted").order_by("pk")
    assert [(e.organization.code, e.data["group"]) for e in granted] == [
        ("m1", slapd.groups[COORDINATORS]),
        ("s1", slapd.groups[SCHOOL_HEADS]),
    ]
    # The home page now shows the role.
    assert "Муниципальный координатор ВПР" in client.get(reverse("home")).content.decode()
    # A role given in vprplan by hand (not named in the map) stays whatever the directory says.
    MembershipFactory(user=user, organization=world.m2, role=Role.SPECIALIST)
    client.post(reverse("logout"))
    # Out of the coordinators' group in the directory: the next login takes that role away.
    slapd.modify(slapd.groups[COORDINATORS], "add", "member", slapd.people["petrov"])
    slapd.modify(slapd.groups[COORDINATORS], "delete", "member", slapd.people["kruglova"])
    try:
        assert login(client, "kruglova", directory_password("kruglova")).status_code == 302
    finally:
        slapd.modify(slapd.groups[COORDINATORS], "add", "member", slapd.people["kruglova"])
        slapd.modify(slapd.groups[COORDINATORS], "delete", "member", slapd.people["petrov"])
    held = set(Membership.objects.filter(user=user).values_list("organization__code", "role"))
    assert held == {("s1", Role.SCHOOL_COORDINATOR), ("m2", Role.SPECIALIST)}
    revoked = AuditEvent.objects.get(action="membership.directory_revoked")
    assert revoked.organization == world.m1 and revoked.data["role"] == Role.MUNICIPAL_COORDINATOR
    # The audit log names it in Russian.
    client.force_login(world.admin)
    page = client.get(reverse("audit_log")).content.decode()
    assert "Роль выдана по группе в каталоге организации" in page
    assert "Роль снята: в каталоге организации нет группы" in page
    record_property(
        "ldap_roles_from_groups",
        f"{granted.count()} granted, {AuditEvent.objects.filter(action='membership.directory_revoked').count()} revoked",
    )


def test_a_wrong_directory_password_is_refused_and_counted_by_axes(client, ldap_on, record_property):
    response = login(client, "kruglova", "not-her-password")
    assert response.status_code == 200 and WRONG in response.content.decode()
    assert not User.objects.filter(username="kruglova").exists()
    assert AccessAttempt.objects.get(username="kruglova").failures_since_start == 1
    # The directory compares names without case, and so does the count: a name typed another way
    # does not get five tries of its own.
    for n, name in zip(
        range(2, ldap_on.AXES_FAILURE_LIMIT), ["Kruglova", "KRUGLOVA", " kruglova"], strict=False
    ):
        assert login(client, name, f"wrong-{n}").status_code == 200
    assert login(client, "KrUgLoVa", "wrong-last").status_code == 429
    # Locked: the right directory password is refused too, and the directory is not even asked.
    response = login(client, "kruglova", directory_password("kruglova"))
    assert response.status_code == 429 and "заблокирован" in response.content.decode()
    assert not User.objects.filter(username="kruglova").exists()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == ldap_on.AXES_FAILURE_LIMIT - 1
    assert AuditEvent.objects.filter(action="auth.locked_out", data__username="kruglova").exists()
    # Another address is not locked.
    assert login(client, "kruglova", directory_password("kruglova"), ip="10.0.0.2").status_code == 302
    record_property("ldap_wrong_passwords_until_lockout", ldap_on.AXES_FAILURE_LIMIT)


def test_local_passwords_keep_working_and_the_directory_cannot_take_a_local_account(client, ldap_on):
    UserFactory(username="localclerk")  # a local account; the directory has a «localclerk» too
    UserFactory(username="onlylocal")  # not in the directory at all
    assert login(client, "onlylocal", PASSWORD).status_code == 302
    assert AuditEvent.objects.get(action="auth.login").data.get("method") is None
    client.post(reverse("logout"))
    assert login(client, "localclerk", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    # The directory's password of the same name does not open the local account.
    response = login(client, "localclerk", directory_password("localclerk"))
    assert response.status_code == 200 and WRONG in response.content.decode()
    refused = AuditEvent.objects.get(action="user.directory_refused")
    assert refused.data == {"username": "localclerk", "source": "ldap", "ip": "10.0.0.1"}
    # Once the administrator turns its local password off, the directory's opens it.
    user = User.objects.get(username="localclerk")
    user.set_unusable_password()
    user.save()
    assert login(client, "localclerk", directory_password("localclerk")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor=user, data__method="ldap").count() == 1
    assert not AuditEvent.objects.filter(action="user.directory_created").exists()


def test_the_login_page_says_to_use_the_directory_password(client, ldap_on):
    html = client.get(reverse("login")).content.decode()
    assert "каталог организации" in html
    assert "Войти через" not in html  # no OpenID Connect configured


def test_a_directory_that_does_not_answer_is_said_in_russian(client, settings, ldap_environ):
    from tests.directory.conftest import apply
    from tests.directory.servers import free_port

    down = {**ldap_environ, "LDAP_SERVER_URI": f"ldap://127.0.0.1:{free_port()}", "LDAP_TIMEOUT": "2"}
    apply(settings, ldap_settings(down), ldap=True, oidc=False)
    UserFactory(username="onlylocal")
    response = login(client, "petrov", directory_password("petrov"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Каталог организации сейчас не отвечает" in html and WRONG in html
    # Local passwords work while the directory is down.
    assert login(client, "onlylocal", PASSWORD).status_code == 302
