"""The enqueue helper: runs at commit, survives a broker outage, sends pending jobs later, and
runs a job once whatever the deliveries (the claim and its lease). The last tests use a real
Celery worker on Redis (REDIS_URL; required under CI=true); tests/reliability/test_jobs_faults.py
kills one in the middle of a job."""

import time
from datetime import timedelta

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from vprplan import jobs
from vprplan.celery import app
from vprplan.models import Job

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _drop_connections():
    """Forget the broker connections Celery and kombu cache, so the next send uses the new URL."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_broker():
    """Point the Celery app at a broker URL for one test and restore it afterwards."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}

    def use(url: str):
        _drop_connections()
        app.conf.update(broker_url=url, task_always_eager=False)

    yield use
    _drop_connections()
    app.conf.update(**saved)


FINISHED: dict[str, str] = {}  # task id → state, as the worker thread reports it


@signals.task_postrun.connect(weak=False)
def _finished(task_id=None, state=None, **_):
    FINISHED[task_id] = state


def wait_finished(job_list, timeout: float = 30) -> list[str]:
    """The worker's own word that it ran each job (its task_postrun signal), not a poll of the Job
    rows: on SQLite's shared in-memory test database the second thread to touch a table gets
    «table is locked»."""
    ids = [str(j.pk) for j in job_list]
    deadline = time.monotonic() + timeout
    while not all(i in FINISHED for i in ids):
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker has not run {ids} after {timeout}s")
        time.sleep(0.05)
    return [FINISHED[i] for i in ids]


@pytest.mark.django_db
def test_without_a_broker_a_job_runs_in_process_at_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("vprplan.ping", "hello")
        assert Job.objects.get(pk=job.pk).status == Job.Status.PENDING  # nothing before commit
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                jobs.enqueue("vprplan.ping")
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert callbacks == [] and not Job.objects.exists()


@pytest.mark.django_db
def test_broker_outage_keeps_the_job_pending_and_fails_fast(
    celery_broker, django_capture_on_commit_callbacks
):
    celery_broker(DEAD_BROKER)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("vprplan.ping", "outage")
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    assert "Брокер недоступен" in job.error
    assert elapsed < 8, f"enqueue blocked the request for {elapsed:.1f}s"
    assert jobs.dispatch_pending() == 0  # still down: stays pending, no exception


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_real_worker_runs_a_job_and_a_job_kept_during_an_outage(redis_url, celery_broker):
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker checks)

    # The broker is down when the job is asked for: the page's transaction commits anyway.
    celery_broker(DEAD_BROKER)
    with transaction.atomic():
        kept = jobs.enqueue("vprplan.ping", "kept")
    assert Job.objects.get(pk=kept.pk).status == Job.Status.PENDING

    # The broker is back: a new job goes straight through, the kept one goes with the sweep.
    celery_broker(redis_url)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            fresh = jobs.enqueue("vprplan.ping", "fresh")
        assert jobs.dispatch_pending() == 1
        assert wait_finished([kept, fresh]) == ["SUCCESS", "SUCCESS"]
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}
    kept.refresh_from_db()
    assert (kept.attempts, kept.runs) == (2, 1)  # sent twice (once into the outage), run once


@pytest.mark.django_db
def test_a_job_runs_once_and_a_second_delivery_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("vprplan.ping", "once")
    job.refresh_from_db()
    assert (job.status, job.runs, job.lease_until) == (Job.Status.DONE, 1, None) and job.finished_at
    # acks_late or the visibility timeout deliver it again: the claim refuses, nothing runs.
    assert jobs.claim(job.pk) is jobs.Claim.TAKEN
    app.tasks["vprplan.ping"].apply(args=["again"], task_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.runs) == (Job.Status.DONE, 1)


@pytest.mark.django_db
@override_settings(JOB_LEASE_SECONDS=60)
def test_a_running_job_is_taken_over_only_when_its_lease_has_expired():
    job = Job.objects.create(task="vprplan.ping", status=Job.Status.QUEUED)
    assert jobs.claim(job.pk) is jobs.Claim.CLAIMED
    assert jobs.claim(job.pk) is jobs.Claim.TAKEN  # its worker is alive (the lease runs)
    assert jobs.requeue_expired() == 0
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))  # it died
    assert jobs.requeue_expired() == 1
    job.refresh_from_db()
    assert (job.status, job.runs) == (Job.Status.PENDING, 1)
    assert jobs.dispatch_pending() == 1  # in-process here: runs it again
    job.refresh_from_db()
    assert (job.status, job.runs) == (Job.Status.DONE, 2)
    assert jobs.claim("not-a-uuid") is jobs.Claim.NO_JOB


@pytest.mark.django_db
@override_settings(JOB_LEASE_SECONDS=60)
def test_a_job_queued_after_a_long_outage_is_not_sent_again_at_once(celery_broker):
    celery_broker(DEAD_BROKER)
    job = Job.objects.create(task="vprplan.ping", status=Job.Status.PENDING)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))  # kept an hour
    from unittest import mock

    with mock.patch.object(app.tasks["vprplan.ping"], "apply_async"):  # the broker takes it
        assert jobs.dispatch(job.pk)
    assert jobs.requeue_expired() == 0  # queued just now: waiting in the queue is not dying
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=61))
    assert jobs.requeue_expired() == 1  # queued longer than a lease: the message was lost


@pytest.mark.django_db
def test_a_failed_job_is_recorded_and_not_run_again(django_capture_on_commit_callbacks):
    with pytest.raises(TypeError), django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue("vprplan.ping", unknown_argument=1)  # the task raises (propagated in tests)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "TypeError" in job.error and job.runs == 1
    assert jobs.claim(job.pk) is jobs.Claim.TAKEN
