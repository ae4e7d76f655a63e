"""The directory variables: off by default, a mistake stops the start in Russian, and the role map
is applied as documented (without a directory server: the service itself)."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from schools.choices import Role
from schools.directory.roles import sync_directory_roles
from schools.models import Membership
from tests.factories import MembershipFactory, UserFactory
from vprplan.audit import audit
from vprplan.directory.config import backends, ldap_settings, oidc_settings, parse_role_map
from vprplan.models import AuditEvent


def test_both_directories_are_off_without_their_variables(settings):
    assert ldap_settings({}) == {"LDAP_ENABLED": False, "LDAP_ROLE_MAP": {}}
    assert oidc_settings({}) == {"OIDC_ENABLED": False, "OIDC_ROLE_MAP": {}}
    # The settings of this run (no variables) keep axes first and local passwords only.
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "vprplan.userstore.CachedModelBackend",
    ]
    assert backends(ldap_enabled=True, oidc_enabled=True)[0] == "axes.backends.AxesStandaloneBackend"
    assert len(backends(ldap_enabled=True, oidc_enabled=True)) == 4


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LDAP_SERVER_URI": "ldap://dc.inta.local"}, "LDAP_USER_SEARCH_BASE"),
        (
            {"LDAP_SERVER_URI": "ldap://dc", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_ROLE_MAP": '{"a": "m1:head"}'},
            "LDAP_GROUP_SEARCH_BASE",
        ),
        (
            {"LDAP_SERVER_URI": "ldap://dc", "LDAP_USER_SEARCH_BASE": "dc=x", "LDAP_GROUP_SEARCH_BASE": "dc=x",
             "LDAP_GROUP_TYPE": "novell"},
            "LDAP_GROUP_TYPE",
        ),
    ],
)  # fmt: skip
def test_an_incomplete_ldap_configuration_stops_the_start(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        ldap_settings(environ)


def test_an_incomplete_oidc_configuration_names_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_TOKEN_ENDPOINT"):
        oidc_settings({"OIDC_RP_CLIENT_ID": "vprplan", "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://id/auth"})


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '["m1:head"]',
        '{"g": "m1"}',
        '{"g": "m1:director"}',
        '{"g": ":head"}',
        '{"g": []}',
        '{"g": 5}',
    ],
)
def test_a_wrong_role_map_is_refused(text):
    with pytest.raises(ImproperlyConfigured, match="LDAP_ROLE_MAP"):
        parse_role_map(text, "LDAP_ROLE_MAP")


def test_the_role_map_reads_one_pair_or_a_list_and_compares_groups_case_blind():
    parsed = parse_role_map(
        json.dumps(
            {
                "CN=Coordinators,DC=inta": "inta:municipal_coordinator",
                "heads": ["inta:head", "s1:school_coordinator"],
            }
        ),
        "OIDC_ROLE_MAP",
    )
    assert parsed == {
        "cn=coordinators,dc=inta": (("inta", "municipal_coordinator"),),
        "heads": (("inta", "head"), ("s1", "school_coordinator")),
    }


@pytest.mark.django_db
def test_the_map_manages_only_its_own_pairs_and_skips_what_cannot_be(world):
    user = UserFactory(username="dirk")
    MembershipFactory(user=user, organization=world.m1, role=Role.HEAD)  # given by hand, not in the map
    role_map = parse_role_map(
        json.dumps(
            {
                "specialists": "m1:specialist",
                "wrong-kind": "s1:head",  # a head sits in a municipality, not in a school
                "gone": "no-such-org:specialist",
            }
        ),
        "OIDC_ROLE_MAP",
    )
    result = sync_directory_roles(
        user=user, source="oidc", groups=["Specialists", "wrong-kind", "gone"], role_map=role_map
    )
    assert result.granted == [("m1", "specialist")]
    assert sorted(result.unusable) == [("no-such-org", "specialist"), ("s1", "head")]
    held = set(Membership.objects.filter(user=user).values_list("organization__code", "role"))
    assert held == {("m1", Role.HEAD), ("m1", Role.SPECIALIST)}
    # Applied again with the same groups nothing changes; without them only the mapped role goes.
    assert (
        sync_directory_roles(user=user, source="oidc", groups=["specialists"], role_map=role_map).granted
        == []
    )
    result = sync_directory_roles(user=user, source="oidc", groups=[], role_map=role_map)
    assert result.revoked == [("m1", "specialist")]
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {Role.HEAD}
    assert AuditEvent.objects.filter(action__startswith="membership.directory_").count() == 2
    # The signals do not write a second line for the same change.
    assert not AuditEvent.objects.filter(action__in=["membership.created", "membership.deleted"]).exists()


@pytest.mark.django_db
def test_the_audit_log_shows_a_role_event_that_names_its_user_by_login(client, world):
    """membership.* events keep the user's login under «user» (a Membership field): the page shows
    it as written instead of looking it up as an id."""
    membership = Membership.objects.get(user=world.coordinator)
    audit(world.admin, "membership.created", membership, organization=world.m1, user="coordinator",
          user_id=world.coordinator.pk, role=Role.MUNICIPAL_COORDINATOR)  # fmt: skip
    client.force_login(world.admin)
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    assert "учётная запись: coordinator" in response.content.decode().replace("</span>", "")


@pytest.mark.django_db
def test_the_oidc_pages_are_not_found_when_it_is_off(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert "Войти через" not in client.get(reverse("login")).content.decode()


class _Missing:
    def start(self):
        from tests.directory.servers import ServerUnavailable

        raise ServerUnavailable("slapd is not installed")


def test_a_server_that_cannot_start_fails_under_ci_and_skips_otherwise(settings):
    from tests.directory.conftest import start_or_fail

    settings.TEST_REQUIRE_SERVICES = True
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        start_or_fail(_Missing())
    settings.TEST_REQUIRE_SERVICES = False
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        start_or_fail(_Missing())


def test_ldap_role_map_keys_are_dns_compared_without_case_and_spaces():
    from vprplan.directory.config import normalize_dn

    assert normalize_dn("CN=VPR Coordinators, OU=Groups ,DC=inta,DC=local") == (
        "cn=vpr coordinators,ou=groups,dc=inta,dc=local"
    )
    environ = {
        "LDAP_SERVER_URI": "ldap://dc",
        "LDAP_USER_SEARCH_BASE": "dc=inta",
        "LDAP_GROUP_SEARCH_BASE": "dc=inta",
        "LDAP_ROLE_MAP": json.dumps({"CN=VPR, DC=inta": "inta:head"}),
    }
    assert ldap_settings(environ)["LDAP_ROLE_MAP"] == {"cn=vpr,dc=inta": (("inta", "head"),)}
