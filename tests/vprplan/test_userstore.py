"""The session's user and his memberships are kept in the shared cache (vprplan.userstore): two
queries fewer a request, and every change of what they are made of shows on the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.choices import Role
from schools.models import Membership
from vprplan.directory.config import LOCAL_BACKEND

pytestmark = pytest.mark.django_db

FLAGS = reverse("schools:flag_list", args=["m1"])  # the municipal coordinator's page


@pytest.fixture
def kept():
    cache.clear()
    with override_settings(USER_CACHE_SECONDS=120):
        yield
    cache.clear()


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def status(client, path: str = FLAGS) -> int:
    return client.get(path).status_code


def test_a_kept_user_costs_a_query_less(client, world):
    client.force_login(world.coordinator, backend=LOCAL_BACKEND)
    client.get(FLAGS)
    uncached = queries(client, FLAGS)
    with override_settings(USER_CACHE_SECONDS=120):
        cache.clear()
        first = queries(client, FLAGS)
        kept = queries(client, FLAGS)
    assert first == uncached
    assert kept == uncached - 1  # the user with his memberships


def reads_of_the_user(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured if '"auth_user"' in q["sql"] or '"schools_membership"' in q["sql"]]


def test_the_sessions_user_and_his_memberships_are_read_in_one_query(client, world):
    client.force_login(world.coordinator, backend=LOCAL_BACKEND)
    [read] = reads_of_the_user(client, FLAGS)
    assert '"auth_user"' in read and '"schools_membership"' in read and '"schools_organization"' in read
    # A user with no membership (or only in closed organisations) is read alone, then found to have none.
    Membership.objects.filter(user=world.coordinator).delete()
    reads = reads_of_the_user(client, reverse("home"))
    assert len(reads) == 2 and '"schools_membership"' in reads[0]
    assert '"auth_user"' in reads[1] and '"schools_membership"' not in reads[1]


def test_a_role_taken_away_or_given_shows_on_the_next_request(client, world, kept):
    client.force_login(world.coordinator, backend=LOCAL_BACKEND)
    assert status(client) == 200 and status(client) == 200
    membership = Membership.objects.get(user=world.coordinator, role=Role.MUNICIPAL_COORDINATOR)
    membership.delete()
    assert status(client) == 404
    Membership.objects.create(user=world.coordinator, organization=world.m1, role=Role.MUNICIPAL_COORDINATOR)
    assert status(client) == 200


def test_a_closed_organisation_takes_its_roles_away(client, world, kept):
    client.force_login(world.coordinator, backend=LOCAL_BACKEND)
    assert status(client) == 200 and status(client) == 200
    world.m1.is_active = False
    world.m1.save()
    assert status(client) == 404


def test_a_blocked_account_or_a_new_password_ends_the_session(client, world, kept):
    home = reverse("home")
    client.force_login(world.coordinator, backend=LOCAL_BACKEND)
    assert status(client) == 200 and status(client) == 200
    world.coordinator.is_active = False
    world.coordinator.save()
    assert client.get(home).url.startswith(reverse("login"))

    client.force_login(world.school, backend=LOCAL_BACKEND)
    assert status(client, home) == 200 and status(client, home) == 200
    world.school.set_password("другой-пароль-2026")
    world.school.save()
    assert client.get(home).url.startswith(reverse("login"))
