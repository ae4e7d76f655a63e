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
