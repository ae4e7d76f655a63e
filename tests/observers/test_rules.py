"""Every assignment rule, through the service the board calls: refused with its Russian reason."""

import random
from datetime import date, time

import pytest

from observers import rules
from observers.models import Assignment
from observers.services import observer_assign
from tests.observers.factories import AssignmentFactory, ObserverFactory, SessionFactory
from vprplan.errors import DomainError
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db


def refused(vpr, observer, session=None) -> str:
    with pytest.raises(DomainError) as caught:
        observer_assign(session=session or vpr.rus_s1, observer=observer, actor=vpr.coordinator)
    assert not Assignment.objects.filter(observer=observer, session=session or vpr.rus_s1).exists()
    return str(caught.value)


def test_an_allowed_assignment_is_written_and_audited(vpr):
    a = observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator, auditorium="каб. 12")
    assert (a.status, a.auditorium, a.assigned_by) == ("planned", "каб. 12", vpr.coordinator)
    event = AuditEvent.objects.get(action="observer.assigned")
    assert event.object_id == str(a.pk) and event.actor == vpr.coordinator and event.organization == vpr.m1


def test_not_at_his_own_workplace(vpr):
    message = refused(vpr, vpr.teacher)
    assert "Белова Т.А. работает в Школа 1" in message and "нельзя" in message
    observer_assign(session=vpr.rus_s2, observer=vpr.teacher, actor=vpr.coordinator)  # another school: fine


def test_not_where_his_child_studies(vpr):
    parent = ObserverFactory(municipality=vpr.m1, full_name="Родителев А.А.", children=[vpr.s1])
    assert "В Школа 1 учится ребёнок наблюдателя Родителева А.А." in refused(vpr, parent)


def test_not_in_two_places_at_once(vpr):
    observer_assign(session=vpr.rus_s2, observer=vpr.free, actor=vpr.coordinator)  # 16.04 09:00–10:30
    message = refused(vpr, vpr.free)  # S1, the same hours
    assert "уже назначен в это время: Школа 2, русский язык, 4 А, 16.04.2024 09:00–10:30" in message
    assert "в двух местах одновременно" in message


def test_the_same_day_without_overlap_is_allowed_and_a_session_without_hours_takes_the_day(vpr):
    later = SessionFactory(school=vpr.s2, campaign=vpr.campaign, date=date(2024, 4, 16), starts_at=time(11, 0),
                           ends_at=time(12, 0))  # fmt: skip
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    observer_assign(session=later, observer=vpr.free, actor=vpr.coordinator)
    whole_day = SessionFactory(school=vpr.s2, campaign=vpr.campaign, date=date(2024, 4, 16), starts_at=None,
                               ends_at=None)  # fmt: skip
    assert "уже назначен в это время" in refused(vpr, vpr.free, whole_day)


def test_absent_assignments_do_not_make_him_busy(vpr):
    AssignmentFactory(session=vpr.rus_s2, observer=vpr.free, status="absent")
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"accreditation_date": None, "accreditation_number": ""}, "нет аккредитации"),
        ({"accreditation_date": date(2024, 4, 16)}, "аккредитация должна быть получена до дня проведения"),
        ({"accreditation_date": date(2024, 4, 20)}, "аккредитован 20.04.2024, а работа проходит 16.04.2024"),
        ({"trained_on": None}, "не прошёл обучение"),
        ({"trained_on": date(2024, 4, 16)}, "обучение должно быть пройдено до дня проведения"),
        ({"consent_given": False, "consent_date": None}, "Нет согласия наблюдателя Петрова С.И. на обработку "
                                                         "персональных данных (152-ФЗ)"),
        ({"is_active": False}, "исключён из реестра"),
    ],
)  # fmt: skip
def test_accredited_trained_consenting_and_active_before_the_session(vpr, changes, expected):
    for name, value in changes.items():
        setattr(vpr.free, name, value)
    vpr.free.save()
    assert expected in refused(vpr, vpr.free)


def test_accredited_and_trained_the_day_before_is_enough(vpr):
    vpr.free.accreditation_date = vpr.free.trained_on = date(2024, 4, 15)
    vpr.free.save()
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)


def test_every_reason_is_given_at_once(vpr):
    vpr.teacher.consent_given, vpr.teacher.consent_date, vpr.teacher.trained_on = False, None, None
    vpr.teacher.save()
    message = refused(vpr, vpr.teacher)
    assert "работает в" in message and "не прошла обучение" in message and "152-ФЗ" in message


def test_only_observers_of_the_sessions_municipality(vpr):
    with pytest.raises(DomainError, match="наблюдатель другого муниципалитета"):
        observer_assign(session=vpr.rus_s1, observer=vpr.m2_observer, actor=vpr.coordinator)


def test_only_that_municipalitys_coordinator_assigns(vpr):
    for actor in vpr.people("head", "specialist", "school", "admin", "neighbour_coordinator", "observer"):
        with pytest.raises(DomainError, match="муниципальный координатор"):
            observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=actor)
    assert not Assignment.objects.exists()


def test_twice_to_the_same_session_is_refused(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    with pytest.raises(DomainError, match="уже назначен на эту работу"):
        observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)


def test_the_planners_fast_check_says_what_the_reasons_say():
    """fits() (the planner's hot path) and reasons() (the messages) are one rule set."""
    rng = random.Random(7)
    days = [date(2024, 4, d) for d in (15, 16, 17)]
    for _ in range(3000):
        day = rng.choice(days)
        start = rng.choice([None, time(9), time(10), time(11, 30)])
        end = None if start is None or rng.random() < 0.3 else time(start.hour + 1, start.minute)
        slot = rules.Slot(1, rng.randint(1, 3), rng.randint(1, 2), day, *rules.busy_interval(day, start, end))
        who = rules.Candidate(
            id=5,
            municipality_id=rng.randint(1, 2),
            name="Н.",
            workplace_id=rng.choice([None, 1, 2]),
            children=frozenset(rng.sample([1, 2, 3], rng.randint(0, 2))),
            accredited_on=rng.choice([None, *days]),
            trained_on=rng.choice([None, *days]),
            consent=rng.random() < 0.8,
            active=rng.random() < 0.9,
        )
        other_day = rng.choice(days)
        other = rules.Slot(
            2, 3, 1, other_day, *rules.busy_interval(other_day, rng.choice([None, time(9, 30)]), None)
        )
        busy_same_day = [(other.start, other.end)] if other.date == day else []
        assert rules.fits(slot, who, busy_same_day) == (not rules.reasons(slot, who, [other])), (
            slot,
            who,
            other,
        )
