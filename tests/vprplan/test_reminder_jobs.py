"""The reminder sweep as a real Celery job on Redis (REDIS_URL; required under CI=true): mails
arrive once, from the worker's thread; a rerun sends nothing new; a worker that dies mid-way and a
rerun send every reminder exactly once; a sweep asked for while Redis is down waits as a pending
job (pages keep working) and runs when Redis is back."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from activities.models import Reminder
from tests.activities import reminder_world
from tests.activities.reminder_world import TODAY
from tests.vprplan import test_jobs
from vprplan import jobs
from vprplan.celery import app
from vprplan.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]
due = reminder_world.due  # the fixture
celery_broker = test_jobs.celery_broker  # the fixture
DEAD_BROKER = test_jobs.DEAD_BROKER

SWEEP = "activities.send_reminders"
PEOPLE = ("school", "school2", "coordinator", "specialist")


class ThreadRecordingBackend(EmailBackend):
    """locmem, noting which thread sent each mail: the worker's, not the test's."""

    def send_messages(self, messages):
        for m in messages:
            m.sent_by_thread = threading.current_thread().name
        return super().send_messages(messages)


class DyingBackend(ThreadRecordingBackend):
    """Sends one mail, then the worker 'dies' (the task fails mid-sweep)."""

    left = 1

    def send_messages(self, messages):
        if DyingBackend.left <= 0:
            raise RuntimeError("worker killed mid-sweep")
        DyingBackend.left -= 1
        return super().send_messages(messages)


def ask_for_sweep(times: int = 1) -> list[Job]:
    """Enqueue the sweep as a page or the beat would (sent to Celery on commit); several at once
    in one transaction, so this thread does not write while the worker does (SQLite's shared
    in-memory test database locks whole tables)."""
    with transaction.atomic():
        return [jobs.enqueue(SWEEP, today=TODAY.isoformat()) for _ in range(times)]


def wait_for(job_list: list[Job], timeout: float = 30) -> list[str]:
    """The jobs' outcomes once the worker has run them all (its own task_postrun signal, as
    test_jobs waits); then their Job rows, read while the worker is idle."""
    finished = test_jobs.wait_finished(job_list, timeout)
    states = [Job.objects.get(pk=j.pk).status for j in job_list]
    assert finished == ["SUCCESS" if s == Job.Status.DONE else "FAILURE" for s in states], (
        "the Job rows disagree with what the worker did"
    )
    return states


def recipients(world) -> list[str]:
    return sorted(world.users[name].email for name in PEOPLE)


@pytest.fixture
def worker_ready():
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker checks)


@override_settings(EMAIL_BACKEND="tests.vprplan.test_reminder_jobs.ThreadRecordingBackend")
def test_real_worker_sends_each_digest_once_and_a_rerun_nothing(
    redis_url, celery_broker, world, due, worker_ready
):
    celery_broker(redis_url)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(ask_for_sweep()) == [Job.Status.DONE]
        assert sorted(m.to[0] for m in mail.outbox) == recipients(world)
        assert threading.main_thread().name not in {m.sent_by_thread for m in mail.outbox}
        # acks_late may deliver the same job twice; the beat and the command may overlap: no doubles.
        assert wait_for(ask_for_sweep(times=2)) == [Job.Status.DONE] * 2
    assert len(mail.outbox) == len(PEOPLE)
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_worker_killed_mid_sweep_then_rerun_sends_every_reminder_exactly_once(
    redis_url,
    celery_broker,
    world,
    due,
    worker_ready,
):
    celery_broker(redis_url)
    DyingBackend.left = 1
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with override_settings(EMAIL_BACKEND="tests.vprplan.test_reminder_jobs.DyingBackend"):
            assert wait_for(ask_for_sweep()) == [Job.Status.FAILED]
        assert len(mail.outbox) == 1
        # The rerun comes once the dead run's claims are old enough to be taken over (0 minutes here).
        with override_settings(
            EMAIL_BACKEND="tests.vprplan.test_reminder_jobs.ThreadRecordingBackend",
            REMINDER_RETRY_AFTER_MINUTES=0,
        ):
            assert wait_for(ask_for_sweep()) == [Job.Status.DONE]
            assert wait_for(ask_for_sweep()) == [Job.Status.DONE]
    assert sorted(m.to[0] for m in mail.outbox) == recipients(world)  # nobody twice, nobody missed


@override_settings(EMAIL_BACKEND="tests.vprplan.test_reminder_jobs.ThreadRecordingBackend")
def test_sweep_asked_for_during_an_outage_waits_and_runs_when_redis_is_back(
    client,
    redis_url,
    celery_broker,
    world,
    due,
    worker_ready,
):
    celery_broker(DEAD_BROKER)
    [kept] = ask_for_sweep()
    assert Job.objects.get(pk=kept.pk).status == Job.Status.PENDING and mail.outbox == []
    # Every page still works meanwhile.
    client.force_login(world.school)
    for url in (reverse("home"), reverse("notifications:notification_list"), reverse("activities:task_list")):
        assert client.get(url).status_code == 200, url

    celery_broker(redis_url)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert jobs.dispatch_pending() == 1
        assert wait_for([kept]) == [Job.Status.DONE]
    assert sorted(m.to[0] for m in mail.outbox) == recipients(world)
    assert Job.objects.get(pk=kept.pk).attempts == 2
