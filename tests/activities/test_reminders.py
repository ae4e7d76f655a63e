"""The reminder sweep: one digest a day per person, what it holds, exactly once (rerun, crash and
rerun), in-app notifications that mirror the mails, the command."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from activities.choices import ExecutionStatus
from activities.models import Execution, Notification, NotificationPreference, Reminder, ReminderKind
from activities.reminders import sources
from activities.reminders.services import reminders_sweep
from activities.selectors import tasks_for_user
from tests.activities import reminder_world
from tests.activities.reminder_world import TODAY, days, mails_to

pytestmark = pytest.mark.django_db
due = reminder_world.due  # the fixture


def now(minutes: int = 0) -> datetime:
    return datetime(2025, 10, 13, 5, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def kinds(user) -> set[tuple[str, int]]:
    return set(Reminder.objects.filter(recipient=user).values_list("kind", "subject_id"))


def test_each_person_gets_one_digest_with_his_own_reminders(world, due):
    summary = reminders_sweep(today=TODAY, now=now())
    people = {m.to[0] for m in mail.outbox}
    assert people == {u.email for u in world.people("school", "school2", "coordinator", "specialist")}
    assert len(mail.outbox) == 4  # one mail each, never one per task
    assert (summary.mails, summary.recipients, summary.sent) == (4, 4, 6)

    assert kinds(world.school) == {
        (ReminderKind.DUE_7, due["s1_week"].pk),
        (ReminderKind.OVERDUE, due["s1_late"].pk),
    }
    assert kinds(world.school2) == {(ReminderKind.DUE_3, due["s2_three"].pk)}
    assert kinds(world.coordinator) == {
        (ReminderKind.DUE_1, due["m1_tomorrow"].pk),
        (ReminderKind.ESCALATION, world.s1.pk),
    }
    assert kinds(world.specialist) == {(ReminderKind.DUE_1, due["m1_today"].pk)}
    # Nobody else: the head, the neighbours and the other region have nothing due.
    assert not Reminder.objects.exclude(
        recipient__in=world.people("school", "school2", "coordinator", "specialist")
    ).exists()


def test_the_digest_is_russian_text_and_html_with_absolute_links_and_unsubscribe(world, due, settings):
    settings.SITE_URL = "https://vpr.example.ru"
    reminders_sweep(today=TODAY, now=now())
    [message] = mails_to(mail.outbox, world.school)
    assert message.subject == "vprplan: сводка сроков на 13.10.2025"
    text = message.body
    assert text.index("Просрочено (1)") < text.index("Срок в течение недели (1)")
    assert "просрочено на 2 дня" in text and "через 7 дней" in text
    assert f"https://vpr.example.ru/executions/{due['s1_late'].pk}/" in text
    html, mimetype = message.alternatives[0]
    assert (
        mimetype == "text/html" and f'href="https://vpr.example.ru/executions/{due["s1_week"].pk}/"' in html
    )
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://vpr.example.ru/notifications/unsubscribe/")
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [coordinator] = mails_to(mail.outbox, world.coordinator)
    assert "Школы с просроченными мероприятиями (1)" in coordinator.body
    assert "Школа 1" in coordinator.body and "просрочено 1 мероприятие" in coordinator.body


def test_the_same_day_twice_sends_nothing_and_the_next_day_only_what_is_new(world, due):
    reminders_sweep(today=TODAY, now=now())
    first = len(mail.outbox)
    again = reminders_sweep(today=TODAY, now=now(60))
    assert (again.sent, again.recipients, len(mail.outbox)) == (0, 0, first)

    mail.outbox.clear()
    reminders_sweep(today=days(1), now=now(24 * 60))
    # S1's overdue item and the escalation come every day; «due in 7/3/1 days» came once already,
    # and the specialist's work due yesterday is now overdue.
    assert kinds(world.school) >= {(ReminderKind.OVERDUE, due["s1_late"].pk)}
    assert {m.to[0] for m in mail.outbox} == {
        world.school.email,
        world.coordinator.email,
        world.specialist.email,
    }
    assert "Срок в течение недели" not in mails_to(mail.outbox, world.school)[0].body
    assert "Просрочено (1)" in mails_to(mail.outbox, world.specialist)[0].body


def test_a_late_sweep_still_sends_the_week_reminder_once(world, due):
    """Nobody swept on the 7th day before the deadline: the 6th day's sweep sends it instead."""
    reminders_sweep(today=days(1), now=now())
    assert (ReminderKind.DUE_7, due["s1_week"].pk) in kinds(world.school)
    mail.outbox.clear()
    reminders_sweep(today=days(2), now=now(24 * 60))
    assert not [m for m in mails_to(mail.outbox, world.school) if "недели" in m.body]


def test_reminders_mirror_my_tasks_for_every_role(world, due):
    """The sweep's joins give each person exactly the open tasks of «Мои задачи» in the window."""
    from activities.models import ResponsiblePerson
    from tests.factories import ActivityFactory, ExecutionFactory, PlanFactory, SectionFactory

    # M1's work naming only a person without an account (the coordinator reports it), and the
    # region's own work of a regional plan (its administrator's).
    unnamed = ActivityFactory(plan=due["plan"], section=due["plan"].sections.first(), position=9)
    unnamed.responsible_persons.add(
        ResponsiblePerson.objects.create(organization=world.m1, name="Без учётки")
    )
    ExecutionFactory(activity=unnamed, organization=world.m1, due_date=days(2))
    regional = PlanFactory(owner=world.region)
    ExecutionFactory(activity=ActivityFactory(section=SectionFactory(plan=regional)), organization=world.region,
                     due_date=days(-5))  # fmt: skip
    window = (TODAY - timedelta(days=30), TODAY + timedelta(days=7))
    for name, user in world.users.items():
        expected = set(
            tasks_for_user(user=user)
            .filter(status__in=(ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS))
            .filter(due_date__range=window)
            .values_list("pk", flat=True)
        )
        found = set()
        for region in (world.region, world.region_b):
            rows = sources.task_rows(region_id=region.pk, user_ids=[user.pk], today=TODAY)
            found |= {execution for _, execution, _ in rows}
        assert found == expected, name
    assert len(sources.task_rows(region_id=world.region.pk, user_ids=[world.admin.pk], today=TODAY)) == 1
    coordinator = sources.task_rows(region_id=world.region.pk, user_ids=[world.coordinator.pk], today=TODAY)
    assert len(coordinator) == 2


def test_done_work_and_other_plans_are_not_reminded(world, due):
    Execution.objects.filter(pk=due["s1_late"].pk).update(status=ExecutionStatus.DONE)
    due["plan"].__class__.objects.filter(pk=due["plan"].pk).update(status="archived")
    assert reminders_sweep(today=TODAY, now=now()).sent == 0 and mail.outbox == []


class CrashingBackend(EmailBackend):
    """Sends `budget` mails, then dies the way a killed worker would, mid-sweep."""

    budget = 1

    def send_messages(self, messages):
        if CrashingBackend.budget <= 0:
            raise SystemExit("worker killed")
        CrashingBackend.budget -= 1
        return super().send_messages(messages)


def test_a_sweep_killed_mid_way_and_rerun_sends_each_reminder_once(world, due):
    CrashingBackend.budget = 1
    with override_settings(EMAIL_BACKEND="tests.activities.test_reminders.CrashingBackend"):
        with pytest.raises(SystemExit):
            reminders_sweep(today=TODAY, now=now())
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(sent_at__isnull=True).exists()  # claimed, never sent

    # Rerun at once (acks_late redelivery): the claims are fresh, maybe still being sent: left.
    reminders_sweep(today=TODAY, now=now(1))
    assert len(mail.outbox) == 1
    # Later, the next sweep takes them over.
    summary = reminders_sweep(today=TODAY, now=now(20))
    assert summary.retried > 0
    per_person = [m.to[0] for m in mail.outbox]
    assert sorted(per_person) == sorted(
        u.email for u in world.people("school", "school2", "coordinator", "specialist")
    )
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    # And nothing more, ever, for that day.
    reminders_sweep(today=TODAY, now=now(120))
    assert len(mail.outbox) == 4


def test_notifications_mirror_the_mails_and_a_later_run_adds_to_the_days_one(world, due):
    reminders_sweep(today=TODAY, now=now())
    n = Notification.objects.get(user=world.school, day=TODAY)
    assert [i["kind"] for i in n.items] == [ReminderKind.OVERDUE, ReminderKind.DUE_7]
    assert n.items[0]["url"] == f"/executions/{due['s1_late'].pk}/" and n.read_at is None
    n.read_at = timezone.now()
    n.save()
    # New work due in three days appears the same day: one more line, unread again; one more mail.
    extra = Execution.objects.filter(activity__plan=due["plan"], organization=world.s1).exclude(
        pk__in=[due["s1_week"].pk, due["s1_late"].pk]
    )[0]
    Execution.objects.filter(pk=extra.pk).update(due_date=days(3))
    reminders_sweep(today=TODAY, now=now(30))
    n.refresh_from_db()
    assert len(n.items) == 3 and n.read_at is None
    assert Notification.objects.filter(user=world.school).count() == 1
    assert len(mails_to(mail.outbox, world.school)) == 2
    assert "Срок через 2–3 дня (1)" in mails_to(mail.outbox, world.school)[1].body


def test_digest_turned_off_or_no_address_means_the_app_only(world, due):
    NotificationPreference.objects.create(user=world.school, email_digest=False)
    world.school2.email = ""
    world.school2.save()
    summary = reminders_sweep(today=TODAY, now=now())
    assert not mails_to(mail.outbox, world.school) and len(mail.outbox) == 2
    assert summary.recipients == 4 and summary.mails == 2
    assert Notification.objects.filter(user__in=world.people("school", "school2")).count() == 2
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert not Reminder.objects.filter(recipient=world.school, emailed=True).exists()


def test_send_reminders_command_prints_counts_and_json(world, due):
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"sent": 6, "recipients": 4}
    out = io.StringIO()
    call_command("send_reminders", "--today", TODAY.isoformat(), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"sent": 0, "recipients": 0}
    out = io.StringIO()
    call_command("send_reminders", "--today", days(1).isoformat(), stdout=out)
    assert out.getvalue().startswith("Отправлено напоминаний: ")


def test_send_reminders_command_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_reminders", "--today", "13.10.2025", stdout=io.StringIO())
