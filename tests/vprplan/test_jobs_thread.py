"""Jobs on the embedded defaults (no broker): a background thread of the server process runs them,
so the page that asked for a job returns at once and the job's status page shows it working, as
with Celery. The other tests run jobs eagerly at commit (vprplan.settings_test)."""

import threading
import time

import pytest
from django.db import transaction
from django.urls import reverse

from activities import services as plan_services
from tests.activities.conftest import make_plan
from vprplan import jobs, tasks
from vprplan.celery import app
from vprplan.models import ExportFile, Job


def hold_the_worker(monkeypatch) -> threading.Event:
    """The worker thread waits for the returned event before each job. On SQLite's shared in-memory
    test database two threads writing at once get «table is locked» (a file database waits its
    turn): the test lets the thread work only while itself does not touch the database."""
    may_start, run_job = threading.Event(), jobs.run_job

    def held(job_id):
        assert may_start.wait(30), "the test never let the worker start"
        run_job(job_id)

    monkeypatch.setattr(jobs, "run_job", held)
    return may_start


@pytest.fixture
def no_broker(monkeypatch):
    """The web server on the production settings without REDIS_URL: no broker, not eager."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="", task_always_eager=False)
    monkeypatch.setattr(jobs.worker, "enabled", True)  # as vprplan.wsgi does
    yield
    assert jobs.worker.drain(timeout=30)
    app.conf.update(**saved)


@pytest.mark.django_db(transaction=True)
def test_a_request_returns_before_its_job_which_then_completes_in_the_server_thread(
    client, world, no_broker, monkeypatch
):
    plan = make_plan(world)
    plan_services.plan_approve(plan=plan, actor=world.head)

    gate, started, threads = threading.Event(), threading.Event(), []
    render = tasks.export_render

    def held_render(**kwargs):
        threads.append(threading.current_thread().name)
        started.set()
        assert gate.wait(30), "the test never opened the gate"
        return render(**kwargs)

    monkeypatch.setattr(tasks, "export_render", held_render)
    close_all, closed_in = jobs.connections.close_all, []

    def spy_close_all():
        closed_in.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(jobs.connections, "close_all", spy_close_all)
    may_start = hold_the_worker(monkeypatch)

    client.force_login(world.head)
    begun = time.monotonic()
    response = client.post(reverse("activities:plan_progress_pdf", args=[plan.pk]))
    took = time.monotonic() - begun
    assert response.status_code == 302 and response.url.startswith("/exports/")
    may_start.set()
    assert started.wait(10), "the job was not started in the background"
    # The request is back while the job is still running: its status page says so and polls.
    assert not gate.is_set() and took < 10
    export = ExportFile.objects.get(pk=response.url.split("/")[2])
    assert Job.objects.get(pk=export.job_id).status == Job.Status.RUNNING
    waiting = client.get(response.url).content.decode()
    assert "Формируется" in waiting and 'hx-trigger="every 2s"' in waiting

    gate.set()
    assert jobs.worker.drain(timeout=30), "the job did not finish"
    job = Job.objects.get(pk=export.job_id)
    assert (job.status, job.runs, job.attempts) == (Job.Status.DONE, 1, 1)
    export.refresh_from_db()
    assert export.status == ExportFile.Status.READY
    assert "Готово" in client.get(response.url).content.decode()
    assert threads == ["vprplan-jobs"]  # not the request's thread
    assert "vprplan-jobs" in closed_in  # the thread closed its own connections after the job


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_in_the_thread_is_recorded_and_the_thread_keeps_working(no_broker, monkeypatch):
    from django.db import transaction

    may_start = hold_the_worker(monkeypatch)
    with transaction.atomic():
        failing = jobs.enqueue("vprplan.ping", unknown_argument=1)
    with transaction.atomic():
        fine = jobs.enqueue("vprplan.ping", "after")
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.QUEUED}  # not run yet
    may_start.set()
    assert jobs.worker.drain(timeout=30)
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {failing.pk: Job.Status.FAILED, fine.pk: Job.Status.DONE}


@pytest.mark.django_db
def test_outside_the_web_server_a_job_without_a_broker_runs_at_commit(django_capture_on_commit_callbacks):
    """A management command (send_reminders, seed_demo) has nobody to poll a status page: its jobs
    are done when it returns."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="", task_always_eager=False)
    try:
        assert not jobs.worker.enabled
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.enqueue("vprplan.ping", "command")
    finally:
        app.conf.update(**saved)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_jobs_left_pending_are_taken_up_by_the_threads_sweep(no_broker, monkeypatch):
    """A server restarted in the middle of a job (or a job kept while nothing ran it): the thread,
    idle, does the beat's dispatch_pending_jobs."""
    kept = Job.objects.create(task="vprplan.ping", args=["kept"])
    # The two sweeps first, the job after them: run at once, its writes could meet the second
    # sweep's UPDATE in the test's in-memory database, which refuses a locked table outright.
    submitted = []
    monkeypatch.setattr(jobs.worker, "submit", submitted.append)
    assert jobs.worker.sweep() == 1
    assert jobs.worker.sweep() == 0  # claimed once
    monkeypatch.delattr(jobs.worker, "submit")
    assert submitted == [kept.pk]
    jobs.worker.submit(kept.pk)
    assert jobs.worker.drain(timeout=30)
    kept.refresh_from_db()
    assert (kept.status, kept.runs) == (Job.Status.DONE, 1)
    # Idle, the thread sweeps on its own.
    swept = threading.Event()
    monkeypatch.setattr(jobs.worker, "sweep_seconds", 0.05)
    monkeypatch.setattr(jobs.worker, "sweep", lambda: swept.set() or 0)
    with transaction.atomic():
        jobs.enqueue("vprplan.ping", "wake")  # starts the thread if the test runs alone
    assert jobs.worker.drain(timeout=30)
    assert swept.wait(10)
    monkeypatch.setattr(jobs.worker, "sweep_seconds", 60.0)
    time.sleep(0.3)  # the thread is back in a long wait before the real sweep is restored
