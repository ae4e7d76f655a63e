import pytest

from activities.choices import PlanStatus
from activities.selectors import plans_for_user
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    return {
        "region": PlanFactory(owner=world.region, title="региональный"),
        "m1": PlanFactory(owner=world.m1, title="м1 утверждён"),
        "m1_draft": PlanFactory(owner=world.m1, title="м1 черновик", status=PlanStatus.DRAFT),
        "s1": PlanFactory(owner=world.s1, title="школа 1", status=PlanStatus.DRAFT),
        "s2": PlanFactory(owner=world.s2, title="школа 2"),
        "m2": PlanFactory(owner=world.m2, title="соседи"),
        "m3": PlanFactory(owner=world.m3, title="другой регион"),
    }


@pytest.mark.parametrize(
    "user, visible",
    [
        ("admin", {"region", "m1", "m1_draft", "s1", "s2", "m2"}),
        ("head", {"region", "m1", "m1_draft", "s1", "s2"}),
        ("coordinator", {"region", "m1", "m1_draft", "s1", "s2"}),
        ("specialist", {"region", "m1", "m1_draft", "s1", "s2"}),
        # a school reads its own plans in any state and the published plans above it
        ("school", {"region", "m1", "s1"}),
        ("school2", {"region", "m1", "s2"}),
        # an observer reads only what is published for his municipality
        ("observer", {"region", "m1"}),
        ("neighbour_coordinator", {"region", "m2"}),
        ("other_admin", {"m3"}),
        ("nobody", set()),
    ],
)
def test_plans_are_scoped_by_membership(world, plans, user, visible):
    titles = {p.title for p in plans_for_user(user=world.users[user])}
    assert titles == {plans[key].title for key in visible}


def test_anonymous_sees_no_plan(plans):
    from django.contrib.auth.models import AnonymousUser

    assert not plans_for_user(user=AnonymousUser()).exists()


@pytest.mark.parametrize(
    "user, regions",
    [
        ("admin", {"region"}),
        ("coordinator", {"region"}),
        ("school", {"region"}),  # a school's seat is in its region too
        ("neighbour_coordinator", {"region"}),
        ("other_school", {"region_b"}),
        ("nobody", set()),
    ],
)
def test_regions_of(world, user, regions):
    from vprplan import access

    assert access.regions_of(world.users[user]) == {world.orgs[name].pk for name in regions}


def test_holds_role_in_is_the_seat_itself_not_above_it(world):
    from schools.choices import Role
    from vprplan import access

    managers = {Role.MUNICIPAL_COORDINATOR}
    assert access.holds_role_in(world.coordinator, world.m1.pk, managers)
    assert not access.holds_role_in(world.coordinator, world.m2.pk, managers)  # next door
    assert not access.holds_role_in(world.head, world.m1.pk, managers)  # a seat, but another role
    assert not access.holds_role_in(world.admin, world.m1.pk, managers | {Role.REGIONAL_ADMIN})  # above it
    assert not access.holds_role_in(world.nobody, world.m1.pk, managers)


def test_work_q_reads_managed_work_and_the_specialists_named_work_only(world):
    from django.db.models import Q

    from schools.models import Organization
    from vprplan import access

    def readable(user, named):
        q = access.work_q(user, "", named=named)
        return set(Organization.objects.filter(q).values_list("code", flat=True))

    everything = Q(pk__isnull=False)
    assert readable(world.coordinator, everything) == {"m1", "s1", "s2"}
    assert readable(world.school, everything) == {"s1"}
    assert readable(world.admin, everything) == {"region-a", "m1", "s1", "s2", "m2", "s3"}
    # the specialist: nothing but what `named` lets through, and only within his municipality
    assert readable(world.specialist, access.NOTHING) == set()
    assert readable(world.specialist, Q(code="s1")) == {"s1"}
    assert readable(world.specialist, Q(code="s3")) == set()
    assert readable(world.observer, everything) == set()


def test_an_unsaved_organisation_scopes_to_nothing(world):
    from activities.models import Plan
    from schools.choices import OrgKind
    from schools.models import Organization
    from vprplan import access

    PlanFactory(owner=world.m1)
    unsaved = Organization(kind=OrgKind.MUNICIPALITY)
    assert not Plan.objects.filter(access._within_q("owner", unsaved)).exists()
    assert Plan.objects.filter(access._within_q("owner", world.m1)).exists()
