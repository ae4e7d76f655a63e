"""The enqueue helper: runs at commit, survives a broker outage, sends pending jobs later.
The last tests use a real Celery worker on Redis (REDIS_URL; required under CI=true)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

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
def test_broker_outage_keeps_the_job_pending_and_fails_fast(celery_broker, django_capture_on_commit_callbacks):
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
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            statuses = set(Job.objects.filter(pk__in=[kept.pk, fresh.pk]).values_list("status", flat=True))
            if statuses == {Job.Status.DONE}:
                break
            time.sleep(0.1)
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}
    assert Job.objects.get(pk=kept.pk).attempts == 2
