"""Statements written once (vprplan.statements): the same objects as the ORM's, with their
relations in hand, on SQLite and on PostgreSQL (CI runs this file on both)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from activities.choices import DeadlineKind
from activities.models import Activity
from activities.selectors import activity_with_plan
from schools.choices import Role
from schools.models import Membership
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory
from vprplan import access
from vprplan.sessions.db import SessionStore

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_an_activity_is_read_as_the_orm_reads_it_with_its_section_plan_and_owner(django_assert_num_queries):
    activity = ActivityFactory(
        deadline_kind=DeadlineKind.RANGE,
        deadline_rule={"kind": "range", "start": "2025-03-01", "end": "2025-03-15", "words": ["до", "марта"]},
        deadline_confirmed=True,
    )
    activity.plan.goals = ["Объективность результатов ВПР", "Контроль"]
    activity.plan.save()
    theirs = Activity.objects.select_related("section", "plan", "plan__owner").get(pk=activity.pk)
    with django_assert_num_queries(1):
        ours = activity_with_plan(activity.pk)
        related = (ours.section, ours.plan, ours.plan.owner)  # in hand: no further query
    for mine, orm in zip(
        (ours, *related), (theirs, theirs.section, theirs.plan, theirs.plan.owner), strict=True
    ):
        assert type(mine) is type(orm)
        assert fields(mine) == fields(orm)
        assert not mine._state.adding and mine._state.db == "default"
    assert ours.deadline_rule["words"] == ["до", "марта"]  # JSON back as the ORM gives it
    assert ours.created_at.tzinfo is not None and ours.deadline_confirmed is True
    assert ours.plan.goals[0] == "Объективность результатов ВПР"
    assert ours.plan.period_start == theirs.plan.period_start  # a date, not a string
    assert activity_with_plan(activity.pk + 1000) is None


def test_the_user_is_read_with_his_memberships_in_active_organisations_only():
    member = MembershipFactory(role=Role.SCHOOL_COORDINATOR)
    user = member.user
    closed = SchoolFactory(is_active=False)
    MembershipFactory(user=user, organization=closed, role=Role.SCHOOL_COORDINATOR)
    other = MembershipFactory(user=user, role=Role.SCHOOL_COORDINATOR)
    MembershipFactory(role=Role.SCHOOL_COORDINATOR)  # someone else's
    read = access.user_with_memberships(get_user_model(), user.pk)
    assert fields(read) == fields(get_user_model().objects.get(pk=user.pk))
    orm = Membership.objects.filter(user=user, organization__is_active=True).select_related("organization")
    assert sorted((m.pk, m.organization.pk, m.organization.name) for m in access.memberships(read)) == sorted(
        (m.pk, m.organization.pk, m.organization.name) for m in orm
    )
    assert {m.pk for m in access.memberships(read)} == {member.pk, other.pk}
    assert all(m.user is read for m in access.memberships(read))
    assert access.user_with_memberships(get_user_model(), user.pk + 1000) is None


def test_a_session_is_read_until_it_expires_and_an_unknown_key_is_forgotten():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    assert SessionStore(store.session_key).load() == {"answer": 42}
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new session will not take the old key
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
