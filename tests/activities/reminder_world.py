"""The World of the reminder tests: M1's approved plan with due dates set around TODAY so that
every kind of reminder is owed to someone (imported by the reminder tests, here and in
tests/vprplan)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from activities import services
from activities.models import Execution
from tests.activities.conftest import execution_of, make_plan
from tests.factories import ActivityFactory, ExecutionFactory, PlanFactory, SectionFactory

TODAY = date(2025, 10, 13)  # a Monday
FAR = date(2026, 8, 31)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def set_due(plan, number: str, org, due: date, occurrence: int = 1) -> Execution:
    e = execution_of(plan, number, org, occurrence)
    Execution.objects.filter(pk=e.pk).update(due_date=due)
    e.refresh_from_db()
    return e


def arrange(world, plan) -> dict:
    """Who is owed what on TODAY:
    - school (S1): 1.1 due in 7 days, 1.2 two days overdue;
    - school2 (S2): 1.1 due in 3 days;
    - coordinator (M1): 1.3 (his role) due tomorrow, and the escalation of S1 (overdue);
    - specialist (M1): 1.4 (names him) due today.
    Everything else is due far away."""
    Execution.objects.filter(activity__plan=plan).update(due_date=FAR)
    return {
        "s1_week": set_due(plan, "1.1", world.s1, days(7)),
        "s1_late": set_due(plan, "1.2", world.s1, days(-2)),
        "s2_three": set_due(plan, "1.1", world.s2, days(3)),
        "m1_tomorrow": set_due(plan, "1.3", world.m1, days(1)),
        "m1_today": set_due(plan, "1.4", world.m1, TODAY),
    }


@pytest.fixture
def due(world):
    """M1's approved plan with the work of `arrange`."""
    plan = make_plan(world)
    services.plan_approve(plan=plan, actor=world.head)
    plan.refresh_from_db()
    return {"plan": plan, **arrange(world, plan)}


def mails_to(outbox, user) -> list:
    return [m for m in outbox if m.to == [user.email]]


def utc(hour: int, day: date = TODAY) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def two_zones(world, due):
    """Region A keeps Moscow time; region B is Krasnoyarsk (MSK+4), with S4's work due in 3 days."""
    world.region_b.timezone = "Asia/Krasnoyarsk"
    world.region_b.save()
    plan = PlanFactory(owner=world.m3)
    activity = ActivityFactory(section=SectionFactory(plan=plan))
    ExecutionFactory(activity=activity, organization=world.s4, due_date=days(3))
    return world
