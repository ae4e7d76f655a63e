"""access.can: a capability held anywhere, over an organisation below a seat, or only in the seat."""

import pytest

from vprplan import access

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "user, capability, org, expected",
    [
        ("head", access.READ_ORDERS, None, True),
        ("specialist", access.READ_ORDERS, None, False),
        ("admin", access.READ_ORDERS, "m1", True),  # within his region
        ("admin", access.READ_ORDERS, "m3", False),  # another region
        ("coordinator", access.READ_ORDERS, "m2", False),  # next door
        ("coordinator", access.EDIT_FLAGS, "s1", True),  # a school of his municipality
        ("coordinator", access.EDIT_PLANS, "m1", True),  # a seat: his own municipality…
        ("coordinator", access.EDIT_PLANS, "s1", False),  # …not its schools' plans
        ("admin", access.APPROVE_PLANS, "m1", False),  # a seat above does not count
        ("school", access.APPROVE_PLANS, "s1", True),
        ("observer", access.OBSERVE, None, True),
        ("nobody", access.MANAGE, None, False),
    ],
)
def test_can(world, user, capability, org, expected):
    organization = world.orgs[org] if org else None
    assert access.can(world.users[user], capability, organization) is expected


def test_an_anonymous_user_holds_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not access.can(AnonymousUser(), access.READ_TASKS)


def test_every_capability_is_listed_under_its_own_name_with_russian_words():
    defined = [v for v in vars(access).values() if isinstance(v, access.Capability)]
    assert sorted(c.name for c in defined) == sorted(access.CAPABILITIES)
    for name, capability in access.CAPABILITIES.items():
        assert capability.name == name and capability.roles
        assert capability.refusal.startswith("У вас нет права ") and capability.refusal.endswith(".")


def test_home_cards_leave_the_regional_administrator_to_his_region_cards():
    assert access.HOME_TASKS.roles == access.READ_TASKS.roles - access.READ_REGIONS.roles
    assert access.HOME_DASHBOARD.roles == access.READ_DASHBOARD.roles - access.READ_REGIONS.roles
