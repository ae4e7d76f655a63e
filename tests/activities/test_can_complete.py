"""can_complete decides a school coordinator's and a regional administrator's own work from the
memberships already read (no query) and asks the database otherwise: for every user, execution,
status and plan status it answers as tasks_for_user does."""

import pytest

from activities.choices import ExecutionLevel, ExecutionStatus, PlanStatus
from activities.models import Execution
from activities.selectors import can_complete, tasks_for_user
from tests.factories import ActivityFactory, ExecutionFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db


def executions(world):
    made = []
    for owner, plan_status in ((world.m1, PlanStatus.APPROVED), (world.region, PlanStatus.APPROVED),
                               (world.m1, PlanStatus.ARCHIVED)):  # fmt: skip
        plan = PlanFactory(owner=owner, status=plan_status)
        section = SectionFactory(plan=plan, position=1, number="1")
        activity = ActivityFactory(plan=plan, section=section, position=1, number="1.1",
                                   execution_level=ExecutionLevel.SCHOOL)  # fmt: skip
        for org in (world.s1, world.s2, world.m1, world.region, world.s4):
            for occurrence, status in enumerate(
                (ExecutionStatus.NOT_STARTED, ExecutionStatus.NOT_APPLICABLE), 1
            ):
                made.append(
                    ExecutionFactory(
                        activity=activity, organization=org, status=status, occurrence=occurrence
                    )
                )
    return made


def test_can_complete_answers_as_tasks_for_user_for_everyone(world):
    made = executions(world)
    for user in world.users.values():
        mine = set(tasks_for_user(user=user).values_list("pk", flat=True))
        for e in Execution.objects.select_related("activity__plan").filter(pk__in=[e.pk for e in made]):
            assert can_complete(user, e) == (e.pk in mine), (user.username, e.organization_id, e.status)
        for e in Execution.objects.filter(pk__in=[e.pk for e in made]):  # without its plan: the query
            assert can_complete(user, e) == (e.pk in mine), (user.username, e.organization_id, e.status)


def test_a_school_coordinators_own_task_needs_no_query(world, django_assert_num_queries):
    executions(world)
    e = (
        Execution.objects.select_related("activity__plan")
        .filter(
            organization=world.s1,
            status=ExecutionStatus.NOT_STARTED,
            activity__plan__status=PlanStatus.APPROVED,
        )
        .first()
    )
    user = world.school
    list(tasks_for_user(user=user)[:1])  # the memberships are read once per request
    with django_assert_num_queries(0):
        assert can_complete(user, e)
