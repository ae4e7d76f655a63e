"""Suggested assignments: flagged schools first, every rule respected, work spread evenly."""

from collections import Counter
from datetime import date, time, timedelta

import pytest

from observers import planner, rules
from observers.models import Assignment, Observer
from observers.selectors import coverage
from observers.services import assignments_apply_suggestions, assignments_suggest, observer_assign
from schools.choices import FlagSource
from schools.models import UnobjectivityFlag, VprSession
from tests.factories import SchoolFactory
from tests.observers.factories import ObserverFactory, SessionFactory
from vprplan.errors import DomainError

pytestmark = pytest.mark.django_db


def check_every_pair(pairs):
    """Each suggested pair passes the service's own rules, given the pairs before it."""
    taken: dict[int, list[rules.Slot]] = {}
    for session_id, observer_id in pairs:
        session = VprSession.objects.select_related("school").get(pk=session_id)
        observer = Observer.objects.prefetch_related("children_schools").get(pk=observer_id)
        busy = [rules.Slot.of(a.session) for a in Assignment.objects.filter(observer=observer)
                .select_related("session__school")] + taken.get(observer_id, [])  # fmt: skip
        slot = rules.Slot.of(session)
        assert rules.reasons(slot, rules.Candidate.of(observer), busy, school_name=str(session.school)) == []
        taken.setdefault(observer_id, []).append(slot)


def test_flagged_schools_are_covered_first_when_observers_are_scarce(vpr):
    UnobjectivityFlag.objects.create(school=vpr.s2, year=2024, source=FlagSource.REGIONAL)
    UnobjectivityFlag.objects.create(school=vpr.s1, year=2023, source=FlagSource.REGIONAL)  # another year
    Observer.objects.exclude(pk=vpr.free.pk).update(is_active=False)
    pairs = assignments_suggest(campaign=vpr.campaign, municipality=vpr.m1)
    # One observer, 16.04 09:00 at S1 and S2 at once: the flagged S2 gets him, then S1's 18.04.
    assert pairs == [(vpr.rus_s2.pk, vpr.free.pk), (vpr.mat_s1.pk, vpr.free.pk)]


def test_suggestions_respect_every_rule(vpr):
    extra = [
        ObserverFactory(
            municipality=vpr.m1, full_name="Без согласия", consent_given=False, consent_date=None
        ),
        ObserverFactory(
            municipality=vpr.m1, full_name="Поздняя аккредитация", accreditation_date=date(2024, 4, 17)
        ),
        ObserverFactory(municipality=vpr.m1, full_name="Не обучен", trained_on=None),
        ObserverFactory(municipality=vpr.m1, full_name="Родитель", children=[vpr.s1, vpr.s2]),
    ]
    pairs = assignments_suggest(campaign=vpr.campaign, municipality=vpr.m1)
    assert {s for s, _ in pairs} == {vpr.rus_s1.pk, vpr.rus_s2.pk, vpr.mat_s1.pk}
    used = {o for _, o in pairs}
    assert not used & {o.pk for o in extra[:3]}  # they may not observe at all on these dates
    assert (vpr.rus_s1.pk, vpr.teacher.pk) not in pairs  # not at his own school
    assert vpr.m2_observer.pk not in used  # another municipality
    check_every_pair(pairs)


def test_already_covered_sessions_and_busy_observers_are_left_alone(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    Observer.objects.exclude(pk__in=[vpr.free.pk]).update(is_active=False)
    pairs = assignments_suggest(campaign=vpr.campaign, municipality=vpr.m1)
    assert pairs == [(vpr.mat_s1.pk, vpr.free.pk)]  # S2 at the same hour is not possible for him


def test_work_is_spread_evenly_and_apply_writes_it(vpr):
    school = SchoolFactory(parent=vpr.m1)
    for day in range(10):
        SessionFactory(school=school, campaign=vpr.campaign, date=date(2024, 4, 1) + timedelta(days=day),
                       subject=f"Предмет {day}")  # fmt: skip
    pairs = assignments_suggest(campaign=vpr.campaign, municipality=vpr.m1)
    load = Counter(o for _, o in pairs)
    assert len(pairs) == 13 and max(load.values()) - min(load.values()) <= 1
    created = assignments_apply_suggestions(campaign=vpr.campaign, municipality=vpr.m1, actor=vpr.coordinator)
    assert len(created) == 13 and Assignment.objects.count() == 13
    report = coverage(campaign=vpr.campaign, municipality=vpr.m1)
    assert (report["total"], report["covered"], report["share"]) == (13, 13, 100.0)
    assert assignments_suggest(campaign=vpr.campaign, municipality=vpr.m1) == []


def test_only_the_coordinator_applies(vpr):
    with pytest.raises(DomainError):
        assignments_apply_suggestions(campaign=vpr.campaign, municipality=vpr.m1, actor=vpr.head)
    assert not Assignment.objects.exists()


def test_loading_takes_four_queries_whatever_the_size(vpr, django_assert_num_queries):
    for n in range(30):
        SessionFactory(school=vpr.s2, campaign=vpr.campaign, subject=f"П{n}", date=date(2024, 4, 2 + n % 20),
                       starts_at=time(9 + n % 3))  # fmt: skip
        ObserverFactory(municipality=vpr.m1, children=[vpr.s1])
    with django_assert_num_queries(4):
        problem = planner.load_problem(campaign=vpr.campaign, municipality_ids=[vpr.m1.pk])
    assert len(problem.sessions) == 33 and len(problem.observers) == 33
    with django_assert_num_queries(0):
        assert len(planner.suggest(problem)) == 33
