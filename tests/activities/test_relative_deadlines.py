"""Relative deadlines («за 10 дней до проведения ВПР») resolve against the VPR calendar: the region's
campaign, each school's sessions and the day a school's flag was recorded; when the calendar moves,
the approved plans re-sync their due dates in a job after commit, keeping the work reported."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.choices import DeadlineKind, ExecutionLevel, ExecutionStatus, PlanStatus
from activities.models import Execution
from activities.services.executions import calendar_changed, planned_slots
from schools.choices import FlagSource
from schools.models import UnobjectivityFlag
from schools.schedule_import import schedule_import
from schools.services import flag_record, session_delete, session_save
from tests.factories import ActivityFactory, PlanFactory, SchoolFactory, SectionFactory
from tests.observers.factories import CampaignFactory, SessionFactory
from vprplan.calendar import add_months
from vprplan.models import Job

pytestmark = pytest.mark.django_db

PERIOD = (date(2026, 9, 1), date(2027, 8, 31))
SCHOOL, AUTHORITY = ExecutionLevel.SCHOOL, ExecutionLevel.AUTHORITY
ROWS = [
    ("Инструктаж организаторов", "За 10 дней до проведения ВПР", SCHOOL),
    ("Анализ результатов", "В течение 3 дней после получения результатов", AUTHORITY),
    ("Видеонаблюдение в аудиториях", "В дни проведения работ", SCHOOL),  # per session
    ("Приказ по итогам", "До 15.10.2026", SCHOOL),  # not relative: untouched by the calendar
]


def relative_plan(world, *, owner=None, period=PERIOD, rows=ROWS, approve=True):
    plan = PlanFactory(
        owner=owner or world.m1, status=PlanStatus.ON_APPROVAL, period_start=period[0], period_end=period[1]
    )
    section = SectionFactory(plan=plan, position=1, title="ВПР")
    for position, (title, text, level) in enumerate(rows, start=1):
        kind = DeadlineKind.FIXED if text.startswith("До ") else DeadlineKind.RELATIVE
        ActivityFactory(
            plan=plan,
            section=section,
            position=position,
            title=title,
            deadline_text=text,
            deadline_kind=kind,
            execution_level=level,
        )
    services.plan_renumber(plan=plan)
    if approve:
        services.plan_approve_by_order(plan=plan, actor=world.head)  # setup: whatever the owner
        plan.refresh_from_db()
    return plan


def dates(plan) -> dict[tuple[str, str, int], date | None]:
    return {
        (e.activity.number, e.organization.code, e.occurrence): e.due_date
        for e in Execution.objects.filter(activity__plan=plan)
        .exclude(status=ExecutionStatus.NOT_APPLICABLE)
        .select_related("activity", "organization")
    }


@pytest.fixture
def campaign(world):
    """VPR-2027 in region A; S1 writes on 13 and 15 April, S2 on 13 April."""
    c = CampaignFactory(
        region=world.region,
        year=2027,
        starts_on=date(2027, 3, 15),
        ends_on=date(2027, 5, 14),
        results_on=date(2027, 5, 31),
    )
    at = dict(campaign=c, starts_at=time(9, 0), ends_at=time(10, 30))
    SessionFactory(school=world.s1, subject="Русский язык", date=date(2027, 4, 13), **at)
    SessionFactory(school=world.s1, subject="Математика", date=date(2027, 4, 15), **at)
    SessionFactory(school=world.s2, subject="Русский язык", date=date(2027, 4, 13), **at)
    return c


def test_without_a_campaign_relative_rows_stay_undated(world):
    plan = relative_plan(world)
    assert dates(plan) == {
        ("1.1", "s1", 1): None,
        ("1.1", "s2", 1): None,
        ("1.2", "m1", 1): None,
        ("1.3", "s1", 1): None,
        ("1.3", "s2", 1): None,
        ("1.4", "s1", 1): date(2026, 10, 15),
        ("1.4", "s2", 1): date(2026, 10, 15),
    }


def test_relative_rows_get_dates_from_the_campaign_and_each_schools_sessions(world, campaign):
    plan = relative_plan(world)
    assert dates(plan) == {
        ("1.1", "s1", 1): date(2027, 3, 5),  # 10 days before the window opens
        ("1.1", "s2", 1): date(2027, 3, 5),
        ("1.2", "m1", 1): date(2027, 6, 3),  # 3 days after the results
        ("1.3", "s1", 1): date(2027, 4, 13),  # one execution per session date of the school
        ("1.3", "s1", 2): date(2027, 4, 15),
        ("1.3", "s2", 1): date(2027, 4, 13),
        ("1.4", "s1", 1): date(2026, 10, 15),
        ("1.4", "s2", 1): date(2026, 10, 15),
    }


def test_a_campaign_of_another_year_or_region_gives_no_dates(world):
    CampaignFactory(region=world.region, year=2026, starts_on=date(2026, 3, 16), ends_on=date(2026, 5, 15))
    CampaignFactory(region=world.region_b, year=2027, starts_on=date(2027, 3, 15), ends_on=date(2027, 5, 14))
    plan = relative_plan(world)
    # VPR-2026 is in the plan's years but its dates fall before the period begins.
    assert dates(plan)[("1.1", "s1", 1)] is None
    assert dates(plan)[("1.2", "m1", 1)] is None


def test_moving_a_session_reschedules_through_the_job_and_keeps_reported_work(
    world, campaign, django_capture_on_commit_callbacks
):
    plan = relative_plan(world)
    done = Execution.objects.get(activity__number="1.3", organization=world.s1, occurrence=1)
    done.status, done.completed_at = ExecutionStatus.DONE, timezone.now()
    done.save()
    session = campaign.sessions.get(school=world.s1, subject="Русский язык")
    jobs_before = Job.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        session_save(
            actor=world.coordinator,
            campaign=campaign,
            school=world.s1,
            session=session,
            date=date(2027, 4, 12),
        )
        # Nothing moves before the commit: the job runs after it.
        assert dates(plan)[("1.3", "s1", 1)] == date(2027, 4, 13)
    assert Job.objects.count() == jobs_before + 1
    assert Job.objects.latest("pk").status == Job.Status.DONE
    assert dates(plan)[("1.3", "s1", 1)] == date(2027, 4, 12)
    assert dates(plan)[("1.3", "s1", 2)] == date(2027, 4, 15)
    done.refresh_from_db()
    assert done.status == ExecutionStatus.DONE and done.due_date == date(2027, 4, 12)
    assert dates(plan)[("1.3", "s2", 1)] == date(2027, 4, 13)  # S2's own sessions did not move


def test_deleting_a_session_retires_its_date_and_entering_it_again_brings_it_back(
    world, campaign, django_capture_on_commit_callbacks
):
    plan = relative_plan(world)
    session = campaign.sessions.get(school=world.s1, subject="Математика")
    with django_capture_on_commit_callbacks(execute=True):
        session_delete(actor=world.coordinator, session=session)
    assert ("1.3", "s1", 2) not in dates(plan)
    retired = Execution.objects.get(activity__number="1.3", organization=world.s1, occurrence=2)
    assert retired.status == ExecutionStatus.NOT_APPLICABLE
    with django_capture_on_commit_callbacks(execute=True):
        session_save(
            actor=world.coordinator, campaign=campaign, school=world.s1, subject="Математика", grade=5,
            date=date(2027, 4, 20),
        )  # fmt: skip
    retired.refresh_from_db()
    assert retired.status == ExecutionStatus.NOT_STARTED and retired.due_date == date(2027, 4, 20)


def test_importing_a_schedule_reschedules(world, campaign, django_capture_on_commit_callbacks):
    plan = relative_plan(world)
    rows = [
        ["Код ОО", "Предмет", "Класс", "Литеры", "Дата", "Начало", "Окончание", "Форма"],
        ["s2", "История", "6", "", "21.04.2027", "09:00", "", "бумажная"],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = schedule_import(campaign=campaign, actor=world.coordinator, rows=rows, commit=True)
    assert report.committed, [r.errors for r in report.rows]
    assert dates(plan)[("1.3", "s2", 1)] == date(2027, 4, 13)
    assert dates(plan)[("1.3", "s2", 2)] == date(2027, 4, 21)
    assert ("1.3", "s1", 3) not in dates(plan)


def test_a_preview_of_an_import_or_another_municipality_enqueues_nothing(world, campaign):
    plan = relative_plan(world)
    rows = [["Код ОО", "Предмет", "Класс", "Дата"], ["s2", "История", "6", "21.04.2027"]]
    before = Job.objects.count()
    schedule_import(campaign=campaign, actor=world.coordinator, rows=rows, commit=False)
    assert Job.objects.count() == before
    # M2's school: M1's plan does not read its calendar; the region's plans would.
    assert calendar_changed(region_id=world.region.pk, year=2027, school_ids=[world.s3.pk]) == []
    assert calendar_changed(region_id=world.region.pk, year=2027, school_ids=[world.s1.pk]) == [plan.pk]
    assert calendar_changed(region_id=world.region.pk, year=2025, school_ids=[world.s1.pk]) == []
    assert calendar_changed(region_id=world.region.pk, year=2027, whole_region=True) == [plan.pk]
    assert calendar_changed(region_id=world.region_b.pk, year=2027, whole_region=True) == []


def test_a_flag_recorded_dates_the_flagged_school_and_the_municipal_row(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    period = (today - timedelta(days=30), today + timedelta(days=300))
    rows = [
        ("Перепроверка работ", "В течение месяца после выявления признаков необъективности", SCHOOL),
        ("Анализ причин", "В течение месяца после выявления признаков необъективности", AUTHORITY),
    ]
    plan = relative_plan(world, period=period, rows=rows)
    assert set(dates(plan).values()) == {None}
    with django_capture_on_commit_callbacks(execute=True):
        flag, outcome = flag_record(
            actor=world.coordinator, school=world.s2, year=today.year, source=FlagSource.MUNICIPAL
        )
    assert outcome == "created"
    expected = add_months(timezone.localdate(flag.created_at), 1)
    assert dates(plan) == {("1.1", "s1", 1): None, ("1.1", "s2", 1): expected, ("1.2", "m1", 1): expected}


def test_planned_slots_queries_do_not_grow_with_schools(world, campaign, record_property):
    plan = relative_plan(world, approve=False)
    UnobjectivityFlag.objects.create(school=world.s1, year=2027, source=FlagSource.ROSOBRNADZOR)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            slots = planned_slots(plan)
        return len(queries), len(slots)

    two, slots_two = count()
    for n in range(4):
        school = SchoolFactory(code=f"extra{n}", parent=world.m1)
        SessionFactory(campaign=campaign, school=school, subject="Русский язык", date=date(2027, 4, 14 + n))
        UnobjectivityFlag.objects.create(school=school, year=2027, source=FlagSource.ROSOBRNADZOR)
    six, slots_six = count()
    assert slots_six > slots_two  # the four schools are planned for
    record_property("planned_slots queries, 2 → 6 schools (relative rows)", f"{two} → {six}")
    assert six == two, (two, six)


def test_a_school_plan_reads_its_own_sessions(world, campaign):
    plan = relative_plan(
        world, owner=world.s1, rows=[("Видеонаблюдение", "В дни проведения работ", AUTHORITY)]
    )
    assert dates(plan) == {("1.1", "s1", 1): date(2027, 4, 13), ("1.1", "s1", 2): date(2027, 4, 15)}


def test_the_schools_task_list_shows_the_resolved_dates(client, world, campaign):
    relative_plan(world)
    client.force_login(world.school)  # S1's coordinator
    html = client.get(reverse("activities:task_list")).content.decode()
    assert "срок 05.03.2027" in html  # 10 days before VPR-2027 opens
    assert "срок 13.04.2027" in html and "срок 15.04.2027" in html  # S1's two session dates
