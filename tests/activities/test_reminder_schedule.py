"""When reminders go out: the hourly beat sweeps each region from 08:00 of its own time, once a
day, catching up an hour it missed; observers get theirs the day before a session and when an
act is late; the escalation stays within the coordinator's municipality; a refused address is
retried a bounded number of times."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings

from activities.models import Reminder, ReminderKind, ReminderSweep
from activities.reminders.services import reminders_due_sweep, reminders_sweep
from observers.choices import AssignmentStatus
from observers.services import act_submit
from tests.activities import reminder_world
from tests.activities.reminder_world import TODAY, days, mails_to
from tests.observers.factories import AssignmentFactory, ObserverFactory, SessionFactory

pytestmark = pytest.mark.django_db
due = reminder_world.due  # the fixtures
two_zones = reminder_world.two_zones
utc = reminder_world.utc


def test_each_region_is_swept_from_eight_oclock_of_its_own_time_once(two_zones):
    w = two_zones
    reminders_due_sweep(now=utc(0))  # 03:00 in Moscow, 07:00 in Krasnoyarsk: too early for both
    assert mail.outbox == []
    reminders_due_sweep(now=utc(1))  # 08:00 in Krasnoyarsk
    assert [m.to for m in mail.outbox] == [[w.other_school.email]]
    reminders_due_sweep(now=utc(2))  # Krasnoyarsk is done for the day; Moscow still asleep
    assert len(mail.outbox) == 1
    reminders_due_sweep(now=utc(5))  # 08:00 in Moscow
    assert len(mail.outbox) == 5
    assert set(ReminderSweep.objects.filter(finished_at__isnull=False).values_list("region", "day")) == {
        (w.region.pk, TODAY),
        (w.region_b.pk, TODAY),
    }
    reminders_due_sweep(now=utc(6))
    assert len(mail.outbox) == 5


def test_a_missed_morning_is_caught_up_later_in_the_day_but_not_at_night(two_zones, settings):
    # The beat (or Redis) was down from 08:00 to 11:00 Moscow time: the 11:00 run sweeps.
    reminders_due_sweep(now=utc(8))
    assert {two_zones.school.email, two_zones.other_school.email} <= {m.to[0] for m in mail.outbox}
    mail.outbox.clear()
    # Next day, 21:00 in Moscow and 01:00 in Krasnoyarsk: past REMINDER_LAST_HOUR, too early.
    reminders_due_sweep(now=utc(18))
    assert mail.outbox == [] and settings.REMINDER_LAST_HOUR == 20


def test_observer_is_reminded_the_day_before_his_session_and_when_his_act_is_late(world, due):
    mine = ObserverFactory(municipality=world.m1, full_name="Ковалёва И.С.", user=world.observer)
    tomorrow = AssignmentFactory(
        observer=mine, session=SessionFactory(school=world.s1, subject="Математика", date=days(1))
    )
    # Friday's session: its act was due Monday (today) — not late yet; Thursday's was due Friday.
    friday = AssignmentFactory(observer=mine, session=SessionFactory(school=world.s2, date=days(-3)))
    thursday = AssignmentFactory(
        observer=mine, session=SessionFactory(school=world.s2, subject="История", date=days(-4))
    )
    absent = AssignmentFactory(observer=mine, session=SessionFactory(school=world.s1, date=days(-6)))
    absent.status = AssignmentStatus.ABSENT
    absent.save()
    reminders_sweep(today=TODAY, now=utc(5))
    [message] = mails_to(mail.outbox, world.observer)
    assert "Общественное наблюдение завтра (1)" in message.body and "Математика" in message.body
    assert "Не сдан акт общественного наблюдения (1)" in message.body and "История" in message.body
    assert f"/assignments/{thursday.pk}/act/" in message.body
    assert f"акт нужно было сдать до {thursday.act_due_on:%d.%m.%Y}" in message.body
    assert set(Reminder.objects.filter(recipient=world.observer).values_list("kind", "subject_id")) == {
        (ReminderKind.SESSION, tomorrow.pk),
        (ReminderKind.ACT_LATE, thursday.pk),
    }
    # Tomorrow: the session is today (already reminded); Friday's act is now late; Thursday's
    # was reminded once. Filing it stops it anyway.
    mail.outbox.clear()
    act_submit(assignment=friday, actor=world.observer, now=utc(9, days(1)))
    reminders_sweep(today=days(1), now=utc(5, days(1)))
    assert mails_to(mail.outbox, world.observer) == []


def test_escalation_goes_to_the_schools_own_coordinator_only(world, due):
    reminders_sweep(today=TODAY, now=utc(5))
    escalated = Reminder.objects.filter(kind=ReminderKind.ESCALATION)
    assert set(escalated.values_list("recipient", "subject_id")) == {(world.coordinator.pk, world.s1.pk)}
    assert not mails_to(mail.outbox, world.neighbour_coordinator)
    assert not mails_to(mail.outbox, world.head)


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        if any(m.to == ["school2@example.org"] for m in messages):
            raise SMTPRecipientsRefused({"school2@example.org": (550, b"no such user")})
        return super().send_messages(messages)


@override_settings(EMAIL_BACKEND="tests.activities.test_reminder_schedule.RefusingBackend")
def test_a_refused_address_does_not_stop_the_others_and_is_retried_a_few_times(world, due, settings):
    summary = reminders_sweep(today=TODAY, now=utc(5))
    assert summary.refused == 1 and summary.mails == 3
    for attempt in range(1, settings.REMINDER_MAX_ATTEMPTS + 2):
        reminders_sweep(today=TODAY, now=utc(5) + timedelta(hours=attempt))
    row = Reminder.objects.get(recipient=world.school2)
    assert row.sent_at is None and row.attempts == settings.REMINDER_MAX_ATTEMPTS
    assert len(mail.outbox) == 3
