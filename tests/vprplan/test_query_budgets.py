"""Query budgets of the key pages (STYLE.md: «Key pages carry a query budget»).

Each page is loaded for every role over a World full of plans, rows, executions and evidence, then
again after more of everything was added: the count is exact and the same both times, so neither a
new N+1 nor a query that grows with the data can creep in unnoticed. `manage.py bench` checks the
same pages at 10 and at 1,000 schools.
"""

import pytest
from django.urls import reverse

from activities.choices import ExecutionLevel, PlanStatus
from activities.models import Evidence, ResponsibleRole
from tests.factories import ActivityFactory, ExecutionFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db

# session, the user with his memberships (one query: vprplan.access.user_with_memberships), the
# visible plans with their counts, the observers panel's campaigns, the unread notifications of the
# bell in the top bar (one COUNT on every page)
HOME_QUERIES = 5
# session, the user with his memberships, the plan (with owner and amended plan), its open new
# version, sections, activities, the bell's unread notifications
PLAN_QUERIES = 7
# An approved plan's page also looks for an unfinished job making its executions (shown on the page).
APPROVED_PLAN_QUERIES = PLAN_QUERIES + 1

ROLES = ["admin", "head", "coordinator", "specialist", "school", "observer"]


def plan_with_work(owner, *, status=PlanStatus.APPROVED, sections=2, per_section=3, schools=(), title=None):
    """A plan with numbered rows; school-level rows carry executions (with evidence) of `schools`."""
    plan = PlanFactory(owner=owner, status=status, **({"title": title} if title else {}))
    role, _ = ResponsibleRole.objects.get_or_create(owner=None, name="Руководители ОО")
    for s in range(1, sections + 1):
        section = SectionFactory(plan=plan, position=s, number=str(s))
        for a in range(1, per_section + 1):
            at_schools = bool(schools) and a % 2 == 1
            activity = ActivityFactory(
                plan=plan,
                section=section,
                position=a,
                number=f"{s}.{a}",
                execution_level=ExecutionLevel.SCHOOL if at_schools else ExecutionLevel.AUTHORITY,
            )
            activity.responsible_roles.add(role)
            for school in schools if at_schools else ():
                execution = ExecutionFactory(activity=activity, organization=school, status="done")
                Evidence.objects.create(
                    execution=execution, file="evidence/x.pdf", original_name="Приказ.pdf"
                )
    return plan


def fill(world, *, rows: int) -> None:
    """Plans of every owner and status, the way a year of work leaves them."""
    w = world
    for owner, schools in (
        (w.region, ()),
        (w.m1, (w.s1, w.s2)),
        (w.m2, (w.s3,)),
        (w.s1, ()),
        (w.m3, (w.s4,)),
    ):
        for status in (PlanStatus.APPROVED, PlanStatus.DRAFT, PlanStatus.ARCHIVED):
            plan_with_work(owner, status=status, per_section=rows, schools=schools)


def plan_links(response) -> int:
    return response.content.decode().count('href="/plans/')


@pytest.mark.parametrize("username", ROLES)
def test_home_page_budget(client, world, username, django_assert_num_queries):
    fill(world, rows=2)
    client.force_login(world.users[username])
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    listed = plan_links(response)
    assert listed > 0

    fill(world, rows=6)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert plan_links(response) > listed  # more plans shown, no more queries


@pytest.mark.parametrize("username", ROLES)
def test_plan_page_budget(client, world, username, django_assert_num_queries):
    """The measured page of the bench: a municipality's approved plan of 150 rows with their work."""
    fill(world, rows=2)
    plan = plan_with_work(world.m1, sections=6, per_section=25, schools=(world.s1, world.s2))
    client.force_login(world.users[username])
    with django_assert_num_queries(APPROVED_PLAN_QUERIES):
        response = client.get(reverse("activities:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('id="activity-') == 150


@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.ON_APPROVAL, PlanStatus.APPROVED])
def test_plan_page_budget_for_its_editor_in_every_status(client, world, status, django_assert_num_queries):
    small = plan_with_work(world.m1, status=status, sections=1, per_section=1, schools=(world.s1,))
    large = plan_with_work(world.m1, status=status, sections=6, per_section=25, schools=(world.s1, world.s2))
    client.force_login(world.coordinator)
    budget = APPROVED_PLAN_QUERIES if status == PlanStatus.APPROVED else PLAN_QUERIES
    for plan in (small, large):
        with django_assert_num_queries(budget):
            response = client.get(reverse("activities:plan_detail", args=[plan.pk]))
        assert response.status_code == 200
