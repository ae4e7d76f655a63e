"""Enqueueing background work so that a broker outage never breaks a page.

`enqueue()` writes a `Job` row inside the caller's transaction and sends it to Celery only after
commit. If the broker is down the send fails fast (short timeouts in settings), the row stays
`pending`, and `dispatch_pending_jobs` (Celery beat, every minute, or the management command)
sends it when the broker is back. With no broker configured (the embedded defaults) the job runs
in a background thread of the web server (`InProcessWorker`): the page that asked for it returns
at once and its status page shows the job queued, running and done, exactly as with Celery;
elsewhere (a management command, the shell) it runs at commit, in the caller. Tests set
CELERY_TASK_ALWAYS_EAGER (vprplan.settings_test): there every job runs at commit, in the caller.

Exactly once, even when a worker dies: every task runs through `JobTask`, which first claims its
Job row (pending or queued, or running with an expired lease) and holds it for JOB_LEASE_SECONDS.
A second delivery of the same job (acks_late, the Redis visibility timeout, a sweep that sent it
again) finds the row claimed or done and does nothing. A job whose worker was killed keeps its
expired lease; `dispatch_pending` sends it again and the next worker claims it. The tasks
themselves stay idempotent (an order already signed is not signed again): a worker that outlives
its lease may overlap with the one that took over.
"""

import atexit
import enum
import logging
import os
import queue
import threading
import uuid
from datetime import timedelta

from celery import Task, current_app
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from vprplan import logs
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
        request_id=logs.current_request_id(),
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id) -> bool:
    """Send a pending job to the broker (or run it here when there is none). True when sent."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).first()
    if job is None:
        return False
    task = current_app.tasks[job.task]
    Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
    if current_app.conf.task_always_eager:  # tests: run it now, in the caller
        task.apply(args=job.args, kwargs=job.kwargs, task_id=str(job.pk))
        return True
    if not current_app.conf.broker_url:
        if not worker.enabled:  # a management command or the shell: the job runs before it returns
            task.apply(args=job.args, kwargs=job.kwargs, task_id=str(job.pk))
            return True
        _mark_queued(job.pk)  # the web server on the embedded defaults: its worker thread runs it
        worker.submit(job.pk)
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
    _mark_queued(job.pk)
    return True


def _mark_queued(job_id) -> None:
    # updated_at marks when it was queued: a job queued longer than a lease is sent again.
    Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.QUEUED, error="", updated_at=timezone.now()
    )


def run_job(job_id) -> None:
    """Run one job here, as a worker would (the task claims its row through JobTask)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is not None:
        current_app.tasks[job.task].apply(args=job.args, kwargs=job.kwargs, task_id=str(job.pk))


class InProcessWorker:
    """The embedded defaults' Celery worker: one daemon thread of the web server process runs the
    jobs one after another, in the order they were asked for. Started on the first job (after a fork
    the child starts its own); a process that exits (a management command) first finishes what it
    queued. The thread closes its database connections after every job: they are its own (Django
    keeps one per thread) and nobody else would close them. Idle, it does the beat's work every
    `sweep_seconds` (dispatch_pending_jobs): jobs left pending or with a dead worker's lease, say
    by a server restarted in the middle of a job, are taken up again."""

    enabled = False  # set by the web server's entry points (vprplan.wsgi, vprplan.asgi)
    sweep_seconds = 60.0

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def submit(self, job_id) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid, self._queue = os.getpid(), queue.Queue()
                self._thread = threading.Thread(
                    target=self._work, args=(self._queue,), name="vprplan-jobs", daemon=True
                )
                self._thread.start()
            self._queue.put(job_id)

    def sweep(self) -> int:
        """Take up what is pending (and what a dead worker held): each job is claimed by one UPDATE,
        so that two server processes never both take it. Returns how many were queued here."""
        if not self.enabled or current_app.conf.broker_url:
            return 0
        requeue_expired()
        taken = 0
        for job_id in (
            Job.objects.filter(status=Job.Status.PENDING)
            .order_by("created_at")
            .values_list("pk", flat=True)[:500]
        ):
            if Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
                status=Job.Status.QUEUED, attempts=F("attempts") + 1, error="", updated_at=timezone.now()
            ):
                self.submit(job_id)
                taken += 1
        return taken

    def _work(self, jobs_queue: queue.Queue) -> None:
        while True:
            try:
                job_id = jobs_queue.get(timeout=self.sweep_seconds)
            except queue.Empty:
                try:
                    self.sweep()
                except Exception:
                    log.exception("In-process sweep of pending jobs failed")
                finally:
                    connections.close_all()
                continue
            try:
                if job_id is None:
                    return
                close_old_connections()
                run_job(job_id)
            except Exception:  # the job is marked failed by JobTask; the thread lives on
                log.exception("In-process job %s failed", job_id)
            finally:
                connections.close_all()
                jobs_queue.task_done()

    def drain(self, timeout: float = 60) -> bool:
        """Wait until every job submitted so far has finished (or `timeout`). True when idle."""
        with self._lock:
            thread, jobs_queue = self._thread, self._queue
        if thread is None or not thread.is_alive() or self._pid != os.getpid():
            return True
        done = threading.Event()
        threading.Thread(target=lambda: (jobs_queue.join(), done.set()), daemon=True).start()
        return done.wait(timeout)


worker = InProcessWorker()
atexit.register(worker.drain)


def requeue_expired() -> int:
    """Jobs whose worker is gone go back to pending: running with an expired lease (the worker was
    killed), or queued for longer than a lease (the message was lost with the broker's memory)."""
    now = timezone.now()
    return Job.objects.filter(
        Q(status=Job.Status.RUNNING, lease_until__lt=now)
        | Q(status=Job.Status.QUEUED, updated_at__lt=now - timedelta(seconds=settings.JOB_LEASE_SECONDS))
    ).update(status=Job.Status.PENDING, lease_until=None, updated_at=now)


def dispatch_pending(limit: int = 500) -> int:
    """Send every job still pending (oldest first), and again those whose worker died; stop at
    the first broker failure."""
    requeue_expired()
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


class Claim(enum.Enum):
    CLAIMED = "claimed"  # this run owns the job: run it, then mark it done or failed
    TAKEN = "taken"  # running elsewhere under a live lease, or finished: do nothing
    NO_JOB = "no job"  # a task sent without enqueue() (a test, the shell): just run it


def claim(job_id) -> Claim:
    """Take the job for this run, in one UPDATE, so that two deliveries cannot both take it."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return Claim.NO_JOB
    now = timezone.now()
    taken = (
        Job.objects.filter(pk=pk)
        .filter(
            Q(status__in=[Job.Status.PENDING, Job.Status.QUEUED])
            | Q(status=Job.Status.RUNNING, lease_until__lt=now)
            | Q(status=Job.Status.RUNNING, lease_until__isnull=True)
        )
        .update(
            status=Job.Status.RUNNING,
            lease_until=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
            runs=F("runs") + 1,
            error="",
            updated_at=now,
        )
    )
    if taken:
        return Claim.CLAIMED
    return Claim.TAKEN if Job.objects.filter(pk=pk).exists() else Claim.NO_JOB


def _finish(job_id, **fields) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).exclude(status=Job.Status.DONE).update(
        lease_until=None, finished_at=now, updated_at=now, **fields
    )


class JobTask(Task):
    """The base of every task of the app (vprplan.celery): runs a job once, whatever the deliveries."""

    def __call__(self, *args, **kwargs):
        job_id = getattr(self.request, "id", None)
        claimed = claim(job_id) if job_id else Claim.NO_JOB
        if claimed is Claim.TAKEN:
            log.info("Job %s is claimed by another run or finished: this delivery does nothing", job_id)
            return None
        request_id = ""
        if claimed is Claim.CLAIMED:  # its log lines carry the id of the request that asked for it
            request_id = Job.objects.filter(pk=job_id).values_list("request_id", flat=True).first() or ""
        with logs.job_context(job_id=str(job_id or ""), request_id=request_id):
            log.info("Job %s (%s) started", job_id, self.name)
            try:
                result = super().__call__(*args, **kwargs)
            except Exception as exc:
                if claimed is Claim.CLAIMED:
                    _finish(job_id, status=Job.Status.FAILED, error=repr(exc)[:2000])
                log.warning("Job %s (%s) failed: %s", job_id, self.name, type(exc).__name__)
                raise
            if claimed is Claim.CLAIMED:
                _finish(job_id, status=Job.Status.DONE, error="")
            log.info("Job %s (%s) done", job_id, self.name)
        return result
