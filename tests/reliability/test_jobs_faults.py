"""Jobs under faults, with real Celery workers in their own processes on a Redis of the test's
own and PostgreSQL: a worker killed (SIGKILL) in the middle of signing an order, and Redis stopped
while the head signs. Each time the order ends signed exactly once."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reports.models import OrderDocument, OrderStatus
from reports.orders import services
from reports.orders.services import RENDER_TASK
from tests.reliability.servers import kill, worker
from tests.reports.orders.helpers import ORDER_DAY
from vprplan import jobs
from vprplan.celery import app
from vprplan.models import AuditEvent, Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

LEASE_SECONDS = 3


def worker_env(redis_url: str, media: Path) -> dict:
    """The worker's environment: the production settings module on the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vprplan.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_POOL": "false",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "SIGNING_PKCS12_DIR": str(settings.SIGNING_PKCS12_DIR),
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "LOG_LEVEL": "WARNING",
    }


def wait_until(check, *, timeout: float, what: str, proc=None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{what}: not after {timeout}s\n{tail}")


def status(document) -> tuple[str, str]:
    document.refresh_from_db()
    job = Job.objects.get(pk=document.job_id)
    return document.status, job.status


def signed_once(order, document, media: Path) -> None:
    """One signed document, one «signed» line in the audit, one PDF on disk, the order signed."""
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    assert list(OrderDocument.objects.filter(order=order).values_list("status", flat=True)) == ["signed"]
    assert AuditEvent.objects.filter(action="order.signed", object_id=str(order.pk)).count() == 1
    assert AuditEvent.objects.filter(action="order.sign_failed", object_id=str(order.pk)).count() == 0
    assert len(list((media / "orders").rglob("*.pdf"))) == 1
    document.refresh_from_db()
    assert document.sha256 and document.file.name


@pytest.fixture
def order(world, submitted_plan):
    return services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)


def sign_on_the_page(client, world, order) -> OrderDocument:
    client.force_login(world.head)
    response = client.post(reverse("reports:order_sign", args=[order.pk]))
    document = OrderDocument.objects.get(order=order)
    assert response.status_code == 302 and response.url == reverse(
        "reports:document_status", args=[document.pk]
    )
    return document


def test_worker_killed_while_signing_an_order_the_job_completes_once(
    postgres, own_redis, celery_broker, client, world, order, signing, tmp_path, record_property
):
    celery_broker(own_redis.url)
    media, log = tmp_path / "media", tmp_path / "worker.log"
    env = worker_env(own_redis.url, media)
    document = sign_on_the_page(client, world, order)
    assert status(document) == ("pending", "queued")

    # The first worker claims the job, renders the PDF, and is killed before it signs.
    first = worker(env, log=log, slow_render=60)
    try:
        wait_until(lambda: status(document) == ("rendering", "running"), timeout=60,
                   what="the first worker took the job", proc=first, log=log)  # fmt: skip
        time.sleep(1.0)  # inside the render or the pause after it: mid-job either way
    finally:
        kill(first)
    assert status(document) == ("rendering", "running")
    assert not (media / "orders").exists() or not list((media / "orders").rglob("*.pdf"))

    # Its lease runs out; the beat's sweep sends the job again. The broker also redelivers the
    # original message (acks_late, visibility timeout): simulated by sending it once more.
    time.sleep(LEASE_SECONDS + 0.5)
    assert jobs.dispatch_pending() == 1
    app.tasks[RENDER_TASK].apply_async(args=[str(document.pk)], task_id=str(document.job_id))

    second = worker(env, log=log)
    try:
        wait_until(lambda: status(document) == ("signed", "done"), timeout=90,
                   what="the second worker finished the job", proc=second, log=log)  # fmt: skip
        # The duplicate delivery is consumed and does nothing.
        import redis

        queue = redis.Redis.from_url(own_redis.url)
        wait_until(lambda: queue.llen("celery") == 0, timeout=30, what="the queue is drained")
        time.sleep(1.5)
    finally:
        kill(second, sig=15)
    signed_once(order, document, media)
    job = Job.objects.get(pk=document.job_id)
    assert (job.status, job.runs, job.attempts) == (Job.Status.DONE, 2, 2), (job.runs, job.attempts)
    record_property("worker_killed_mid_job", 1)
    record_property("killed_job_runs_until_done", job.runs)
    record_property(
        "killed_job_signed_documents", OrderDocument.objects.filter(order=order, status="signed").count()
    )


def test_redis_stopped_while_the_head_signs_then_started_the_job_runs_once(
    postgres, own_redis, celery_broker, client, world, order, signing, tmp_path, record_property
):
    celery_broker(own_redis.url)
    media, log = tmp_path / "media", tmp_path / "worker.log"
    own_redis.stop()

    started = time.monotonic()
    document = sign_on_the_page(client, world, order)
    took = time.monotonic() - started
    assert took < 8, f"the sign page hung {took:.1f}s with Redis down"
    assert status(document) == ("pending", "pending")
    assert "Брокер недоступен" in Job.objects.get(pk=document.job_id).error
    page = client.get(reverse("reports:document_status", args=[document.pk]))
    assert page.status_code == 200
    assert jobs.dispatch_pending() == 0  # the beat's sweep while Redis is still down: no harm

    own_redis.start()
    second = worker(worker_env(own_redis.url, media), log=log)
    try:
        # The beat's sweep (every minute in production) sends it once the broker answers again.
        wait_until(lambda: jobs.dispatch_pending() or None, timeout=30, what="the sweep sent the kept job")
        wait_until(lambda: status(document) == ("signed", "done"), timeout=90,
                   what="the worker finished the kept job", proc=second, log=log)  # fmt: skip
    finally:
        kill(second, sig=15)
    signed_once(order, document, media)
    job = Job.objects.get(pk=document.job_id)
    assert (job.runs, job.attempts) == (1, 3)  # sent: by the page, by a sweep in the outage, after it
    record_property("redis_outage_sign_page_seconds", round(took, 2))
    record_property("redis_outage_jobs_kept_then_done_once", 1)
