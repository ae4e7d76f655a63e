"""Enqueueing background work so that a broker outage never breaks a page.

`enqueue()` writes a `Job` row inside the caller's transaction and sends it to Celery only after
commit. If the broker is down the send fails fast (short timeouts in settings), the row stays
`pending`, and `dispatch_pending_jobs` (Celery beat, every minute, or the management command)
sends it when the broker is back. With no broker configured the job runs in-process at commit.
"""

import logging

from celery import current_app, signals
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from vprplan.models import Job

log = logging.getLogger(__name__)

BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError, TimeoutError)


def enqueue(task_name: str, *args, actor=None, **kwargs) -> Job:
    """Ask for `task_name(*args, **kwargs)` to run once the current transaction commits."""
    job = Job.objects.create(
        task=task_name,
        args=list(args),
        kwargs=kwargs,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id) -> bool:
    """Send a pending job to the broker (or run it here when there is none). True when sent."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).first()
    if job is None:
        return False
    task = current_app.tasks[job.task]
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
    if current_app.conf.task_always_eager:
        task.apply(args=job.args, kwargs=job.kwargs, task_id=str(job.pk))
        return True
    try:
        task.apply_async(
            args=job.args,
            kwargs=job.kwargs,
            task_id=str(job.pk),
            retry=True,
            retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
        )
    except BROKER_ERRORS as exc:
        log.warning("Broker unavailable, job %s stays pending: %s", job.pk, exc)
        Job.objects.filter(pk=job.pk).update(error=f"Брокер недоступен: {exc}"[:1000])
        return False
    Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(status=Job.Status.QUEUED, error="")
    return True


def dispatch_pending(limit: int = 500) -> int:
    """Send every job still pending (oldest first); stop at the first broker failure."""
    sent = 0
    for job_id in (
        Job.objects.filter(status=Job.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    ):
        if not dispatch(job_id):
            if Job.objects.filter(pk=job_id, status=Job.Status.PENDING).exists():
                break
            continue
        sent += 1
    return sent


def _job_update(task_id, **fields) -> None:
    if task_id:
        try:
            Job.objects.filter(pk=task_id).update(updated_at=timezone.now(), **fields)
        except (ValueError, ValidationError):  # a task id that is not a Job's uuid (sent without enqueue)
            log.debug("No job row for task %s", task_id)


@signals.task_prerun.connect
def _job_running(task_id=None, **_):
    _job_update(task_id, status=Job.Status.RUNNING)


@signals.task_success.connect
def _job_done(sender=None, **_):
    _job_update(getattr(sender.request, "id", None), status=Job.Status.DONE, error="")


@signals.task_failure.connect
def _job_failed(task_id=None, exception=None, **_):
    _job_update(task_id, status=Job.Status.FAILED, error=repr(exception)[:2000])
