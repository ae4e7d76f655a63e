"""Statuses, acts (due, late, scans checked by content), the schedule and registry writes that
re-check assignments."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from observers.choices import AssignmentStatus
from observers.models import Act
from observers.services import (
    act_submit,
    assignment_remove,
    assignment_set_status,
    observer_assign,
    observer_save,
)
from schools.services import session_delete, session_save
from tests.observers.factories import AssignmentFactory
from vprplan.errors import DomainError

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
AFTER = datetime(2024, 4, 17, 12, 0, tzinfo=MSK)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def mine(vpr):
    return AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)


def test_status_goes_planned_confirmed_attended_or_absent(vpr, mine):
    with pytest.raises(DomainError, match="Из состояния «запланировано» нельзя перейти в «присутствовал»"):
        assignment_set_status(assignment=mine, status=AssignmentStatus.ATTENDED, actor=vpr.coordinator)
    assignment_set_status(assignment=mine, status=AssignmentStatus.CONFIRMED, actor=vpr.coordinator)
    assignment_set_status(assignment=mine, status=AssignmentStatus.ABSENT, actor=vpr.coordinator)
    mine.refresh_from_db()
    assert mine.status == "absent" and mine.status_changed_at is not None
    with pytest.raises(DomainError):
        assignment_set_status(assignment=mine, status=AssignmentStatus.ATTENDED, actor=vpr.coordinator)


def test_the_observer_confirms_his_own_assignment_and_nothing_else(vpr, mine):
    other = AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)
    with pytest.raises(DomainError):
        assignment_set_status(assignment=other, status=AssignmentStatus.CONFIRMED, actor=vpr.observer)
    assignment_set_status(assignment=mine, status=AssignmentStatus.CONFIRMED, actor=vpr.observer)
    with pytest.raises(DomainError):
        assignment_set_status(assignment=mine, status=AssignmentStatus.ABSENT, actor=vpr.observer)
    for actor in vpr.people("head", "neighbour_coordinator", "school"):
        with pytest.raises(DomainError):
            assignment_set_status(assignment=mine, status=AssignmentStatus.ABSENT, actor=actor)


def test_act_marks_him_attended_and_is_due_the_next_working_day(vpr, mine):
    act = act_submit(assignment=mine, actor=vpr.observer, comment="Нарушений нет", now=AFTER)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ATTENDED and act.stage == "conduct"
    assert mine.act_due_on == date(2024, 4, 17)  # Tuesday's session → Wednesday
    assert act.submitted_at == AFTER and not act.is_late


def test_due_date_skips_weekends_and_holidays(vpr):
    from observers.models import act_due_on

    assert act_due_on(date(2024, 4, 19)) == date(2024, 4, 22)  # Friday → Monday
    assert act_due_on(date(2024, 5, 8)) == date(2024, 5, 13)  # 9–12 May off in 2024
    assert act_due_on(date(2024, 4, 26)) == date(2024, 4, 27)  # a working Saturday (transfer)


def test_a_late_act_is_kept_and_shown_late(vpr, mine):
    act = act_submit(assignment=mine, actor=vpr.observer, now=datetime(2024, 4, 17, 23, 30, tzinfo=MSK))
    assert not act.is_late
    act = act_submit(assignment=mine, actor=vpr.observer, now=datetime(2024, 4, 18, 0, 30, tzinfo=MSK))
    assert act.is_late and Act.objects.get().is_late
    from vprplan.models import AuditEvent

    assert AuditEvent.objects.filter(action="act.submitted").latest("at").data["late"] is True


def test_only_his_observer_files_the_act_after_the_session(vpr, mine):
    for actor in vpr.people("coordinator", "head", "school"):
        with pytest.raises(DomainError, match="подаёт сам наблюдатель"):
            act_submit(assignment=mine, actor=actor, now=AFTER)
    with pytest.raises(DomainError, match="после проведения работы"):
        act_submit(assignment=mine, actor=vpr.observer, now=datetime(2024, 4, 15, 23, 0, tzinfo=MSK))
    mine.status = AssignmentStatus.ABSENT
    mine.save()
    with pytest.raises(DomainError, match="не явившийся"):
        act_submit(assignment=mine, actor=vpr.observer, now=AFTER)
    assert not Act.objects.exists()


def test_violations_need_a_description(vpr, mine):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        act_submit(assignment=mine, actor=vpr.observer, violations_found=True, now=AFTER)


def test_a_second_filing_of_the_same_stage_replaces_the_first(vpr, mine):
    act_submit(assignment=mine, actor=vpr.observer, comment="черновик", now=AFTER)
    act_submit(assignment=mine, actor=vpr.observer, comment="итог", now=AFTER)
    act_submit(assignment=mine, actor=vpr.observer, stage="checking", comment="проверка", now=AFTER)
    assert sorted(Act.objects.values_list("stage", "comment")) == [
        ("checking", "проверка"),
        ("conduct", "итог"),
    ]


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("akt.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"),
        ("akt.png", None, "image/png"),
        ("scan.bin", None, "image/png"),  # the content decides, not the name
    ],
)
def test_scan_is_accepted_by_its_content(vpr, mine, name, content, kind):
    upload = SimpleUploadedFile(name, content or png_bytes(), content_type="application/octet-stream")
    act = act_submit(assignment=mine, actor=vpr.observer, scan=upload, now=AFTER)
    assert act.scan_type == kind and act.scan_name == name
    assert act.scan.name.startswith("private/observer-acts/") and name not in act.scan.name
    assert act.scan.open("rb").read(4) in (b"%PDF", b"\x89PNG")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("akt.pdf", b"<html>not a pdf</html>", "PDF, JPG или PNG"),
        ("akt.exe", b"MZ\x90\x00\x03", "PDF, JPG или PNG"),
        ("akt.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "повреждено"),
    ],
)
def test_scan_that_is_not_a_pdf_jpg_or_png_is_refused(vpr, mine, name, content, message):
    with pytest.raises(DomainError, match=message):
        act_submit(assignment=mine, actor=vpr.observer, scan=SimpleUploadedFile(name, content), now=AFTER)
    assert not Act.objects.exists()


def test_an_assignment_with_an_act_cannot_be_removed(vpr, mine):
    act_submit(assignment=mine, actor=vpr.observer, now=AFTER)
    with pytest.raises(DomainError, match="уже подан акт"):
        assignment_remove(assignment=mine, actor=vpr.coordinator)
    other = AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)
    assignment_remove(assignment=other, actor=vpr.coordinator)


def test_school_coordinator_keeps_his_schools_schedule_only(vpr):
    values = dict(subject="История", grade=6, class_letters="А", date=date(2024, 4, 19), form="paper")
    session = session_save(actor=vpr.school, campaign=vpr.campaign, school=vpr.s1, **values)
    assert session.school == vpr.s1
    for actor, school in [(vpr.school, vpr.s2), (vpr.school2, vpr.s1), (vpr.head, vpr.s1), (vpr.observer, vpr.s1),
                          (vpr.neighbour_coordinator, vpr.s1), (vpr.school, vpr.s4)]:  # fmt: skip
        with pytest.raises(DomainError, match="не ведёте график"):
            session_save(actor=actor, campaign=vpr.campaign, school=school, **{**values, "subject": "Физика"})
    with pytest.raises(DomainError):  # moving his session to another school
        session_save(actor=vpr.school2, campaign=vpr.campaign, school=vpr.s2, session=session, **values)


def test_a_session_cannot_move_onto_its_observers_other_work(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    observer_assign(session=vpr.mat_s1, observer=vpr.free, actor=vpr.coordinator)  # 18.04
    with pytest.raises(DomainError, match="уже назначен в это время"):
        session_save(actor=vpr.school, campaign=vpr.campaign, school=vpr.s1, session=vpr.mat_s1,
                     subject="Математика", grade=4, class_letters="А", date=date(2024, 4, 16),
                     starts_at=time(10, 0), ends_at=time(11, 0))  # fmt: skip
    vpr.mat_s1.refresh_from_db()
    assert vpr.mat_s1.date == date(2024, 4, 18)


def test_a_session_with_observers_cannot_be_deleted(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    with pytest.raises(DomainError, match="назначены наблюдатели"):
        session_delete(actor=vpr.school, session=vpr.rus_s1)
    session_delete(actor=vpr.school, session=vpr.mat_s1)


def test_observer_change_that_breaks_his_assignment_is_refused(vpr):
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    with pytest.raises(DomainError, match="учится ребёнок"):
        observer_save(
            actor=vpr.coordinator, municipality=vpr.m1, observer=vpr.free, children_schools=[vpr.s1]
        )
    assert not vpr.free.children_schools.exists()
    with pytest.raises(DomainError, match="муниципальный координатор"):
        observer_save(actor=vpr.head, municipality=vpr.m1, full_name="Новый Н.Н.", kind="parent")
    created = observer_save(actor=vpr.coordinator, municipality=vpr.m1, full_name="Новый Н.Н.", kind="rsm",
                            children_schools=[vpr.s2])  # fmt: skip
    assert list(created.children_schools.all()) == [vpr.s2]


def test_now_is_used_when_today_is_not_given(vpr, mine):
    act = act_submit(assignment=mine, actor=vpr.observer)
    assert act.is_late and timezone.now() - act.submitted_at < timezone.timedelta(minutes=1)
