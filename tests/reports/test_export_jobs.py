"""Long exports as jobs (vprplan.documents.exports): the progress «Справка» and the observers' schedule
are asked for in the request, rendered by a job into an ExportFile, polled on its status page and
downloaded by their requester alone."""

import dataclasses
import re
import time as time_module
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services as plan_services
from activities.progress.export import PROGRESS_PDF
from schools.models import Membership
from tests.activities.conftest import make_plan
from tests.observers.factories import AssignmentFactory, CampaignFactory, ObserverFactory, SessionFactory
from tests.vprplan import test_jobs
from vprplan.documents import exports as jobs
from vprplan.models import AuditEvent, ExportFile, Job

pytestmark = pytest.mark.django_db

STATUS = re.compile(r"^/exports/([0-9a-f-]{36})/$")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")


def request_export(client, url: str, capture) -> ExportFile:
    """POST to the export's URL as the page's button does: a redirect to its status page; with no
    broker the job runs in-process when the request's transaction commits."""
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302, response.status_code
    match = STATUS.match(response.url)
    assert match, response.url
    return ExportFile.objects.get(pk=match.group(1))


def download(client, export: ExportFile):
    return client.get(reverse("reports:export_download", args=[export.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def plan(world):
    plan = make_plan(world)
    plan_services.plan_approve(plan=plan, actor=world.head)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def campaign(world):
    campaign = CampaignFactory(region=world.region)
    session = SessionFactory(
        school=world.s1, campaign=campaign, subject="Русский язык", date=date(2024, 4, 16), starts_at=time(9)
    )
    AssignmentFactory(
        session=session, observer=ObserverFactory(municipality=world.m1, full_name="Петров С.И.")
    )
    return campaign


def progress_url(plan) -> str:
    return reverse("activities:plan_progress_pdf", args=[plan.pk])


def schedule_url(campaign) -> str:
    return reverse("observers:observer_schedule_pdf", args=[campaign.pk, "m1"])


def test_progress_pdf_request_status_download(client, world, plan, django_capture_on_commit_callbacks):
    client.force_login(world.head)
    export = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert (export.kind, export.status, export.params["plan"]) == ("progress_pdf", "ready", plan.pk)
    assert len(export.params["version"]) == 16  # what the file shows: the same version is reused
    assert export.organization_id == world.m1.pk and export.requested_by_id == world.head.pk
    assert Job.objects.get(pk=export.job_id).status == Job.Status.DONE
    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()
    assert "Готово" in page and reverse("reports:export_download", args=[export.pk]) in page
    assert "hx-trigger" not in page  # finished: no more polling
    response = download(client, export)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="spravka-m1-')
    content = body(response)
    assert content.startswith(b"%PDF") and len(content) == export.size
    event = AuditEvent.objects.get(action="export.requested", object_id=str(export.pk))
    assert (event.actor_id, event.organization_id) == (world.head.pk, world.m1.pk)


def test_schedule_pdf_request_status_download_is_audited(
    client, world, campaign, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    export = request_export(client, schedule_url(campaign), django_capture_on_commit_callbacks)
    assert export.status == "ready", export.error
    assert {k: v for k, v in export.params.items() if k != "version"} == {
        "campaign": campaign.pk,
        "code": "m1",
    }
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()  # not downloaded yet
    response = download(client, export)
    assert body(response).startswith(b"%PDF")
    assert f"grafik-nabludateley-m1-{campaign.year}.pdf" in response["Content-Disposition"]
    (event,) = AuditEvent.objects.filter(action="personal_data.exported")
    assert (event.actor_id, event.organization_id) == (world.coordinator.pk, world.m1.pk)
    assert event.data["export"] == "observer_schedule" and "full_name" in event.data["fields"]


def test_a_pending_export_polls_and_a_second_click_reuses_it(client, world, plan):
    client.force_login(world.head)
    first = client.post(progress_url(plan))  # no commit in the test transaction: the job waits
    second = client.post(progress_url(plan))
    assert first.url == second.url and ExportFile.objects.count() == 1
    export = ExportFile.objects.get()
    assert export.status == "pending"
    page = client.get(first.url).content.decode()
    assert "Формируется…" in page and 'hx-trigger="every 2s"' in page and not INLINE_SCRIPT.search(page)
    fragment = client.get(first.url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="export-status"' in fragment and "<html" not in fragment
    assert download(client, export).status_code == 404  # not ready yet
    jobs.export_render(export_id=export.pk)
    assert "Скачать" in client.get(first.url, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.parametrize("who", ["coordinator", "admin", "neighbour_coordinator", "other_head", "school"])
def test_only_the_requester_sees_the_status_and_the_file(
    client, world, plan, who, django_capture_on_commit_callbacks
):
    client.force_login(world.head)
    export = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert download(client, export).status_code == 200
    client.force_login(world.users[who])  # same municipality and the same dashboard, or elsewhere
    assert client.get(reverse("reports:export_status", args=[export.pk])).status_code == 404
    assert download(client, export).status_code == 404
    client.logout()
    assert download(client, export).status_code == 302  # to the login page


def test_a_job_whose_user_lost_access_fails_cleanly(
    client, world, campaign, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(schedule_url(campaign))
    export = ExportFile.objects.get()
    assert export.status == "pending"
    Membership.objects.filter(user=world.coordinator).delete()  # the role is gone before the job runs
    for callback in callbacks:
        callback()
    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    assert "больше нет доступа" in export.error
    assert Job.objects.get(pk=export.job_id).status == Job.Status.DONE  # the job ended, cleanly
    page = client.get(response.url).content.decode()
    assert "Не удалось сформировать" in page and "больше нет доступа" in page
    assert jobs.export_render(export_id=export.pk).status == "failed"  # a second run does nothing


def test_a_ready_file_is_not_served_once_access_is_lost(
    client, world, plan, django_capture_on_commit_callbacks
):
    client.force_login(world.head)
    export = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    Membership.objects.filter(user=world.head).delete()
    assert download(client, export).status_code == 404


def test_a_failed_render_shows_the_error_and_can_be_asked_again(
    client, world, plan, monkeypatch, django_capture_on_commit_callbacks
):
    def boom(user, params, objects):
        raise RuntimeError("WeasyPrint ran out of memory")

    kind = jobs.KINDS[PROGRESS_PDF]
    monkeypatch.setitem(jobs.KINDS, PROGRESS_PDF, dataclasses.replace(kind, render=boom))
    client.force_login(world.head)
    failed = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert failed.status == "failed" and failed.error == jobs.FAILED_INTERNAL
    page = client.get(reverse("reports:export_status", args=[failed.pk])).content.decode()
    assert "Не удалось сформировать" in page and "memory" not in page  # no internals shown
    assert f'href="{progress_url(plan)}"' in page  # «Запросить ещё раз»
    assert download(client, failed).status_code == 404
    assert AuditEvent.objects.filter(action="export.failed", object_id=str(failed.pk)).count() == 1

    monkeypatch.setitem(jobs.KINDS, PROGRESS_PDF, kind)
    again = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert again.pk != failed.pk and again.status == "ready"
    assert body(download(client, again)).startswith(b"%PDF")


def test_a_second_run_of_a_ready_export_does_nothing(client, world, plan, django_capture_on_commit_callbacks):
    client.force_login(world.head)
    export = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    name, updated = export.file.name, export.updated_at
    again = jobs.export_render(export_id=export.pk)
    assert (again.status, again.file.name, again.updated_at) == ("ready", name, updated)


def test_status_page_query_budget(
    client, world, plan, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(world.head)
    export = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    url = reverse("reports:export_status", args=[export.pk])
    client.get(url)  # warm the session
    with django_assert_num_queries(QUERY_BUDGET):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200


QUERY_BUDGET = 3  # the session, the user, the export


def test_old_exports_are_cleaned_up(client, world, plan, django_capture_on_commit_callbacks):
    client.force_login(world.head)
    old = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    ExportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    assert jobs.exports_cleanup() == 1
    assert not storage.exists(name)
    assert list(ExportFile.objects.values_list("pk", flat=True)) == [fresh.pk]


celery_broker = test_jobs.celery_broker  # the fixture


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_export_once(
    client, world, plan, redis_url, celery_broker, record_property
):
    """On Redis (REDIS_URL): the request only queues the job; a Celery worker renders the PDF, the
    status page turns to «Скачать», and a second delivery of the same job does nothing."""
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker checks)
    from celery.contrib.testing.worker import start_worker

    from vprplan.celery import app

    celery_broker(redis_url)
    client.force_login(world.head)
    response = client.post(progress_url(plan))  # autocommit: the job goes to the broker at commit
    export = ExportFile.objects.get(pk=STATUS.match(response.url).group(1))
    assert export.status == "pending" and Job.objects.get(pk=export.job_id).status == Job.Status.QUEUED
    started = time_module.monotonic()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert test_jobs.wait_finished([export.job], timeout=60) == ["SUCCESS"]
    export.refresh_from_db()
    stored = export.file.name
    # A second delivery of the same job (acks_late, a sweep that sent it again) does nothing.
    assert app.tasks[jobs.RENDER_TASK].apply(args=[str(export.pk)], task_id=str(export.job_id)).result is None
    record_property("export_job_seconds", round(time_module.monotonic() - started, 2))
    export.refresh_from_db()
    assert (export.status, export.file.name) == ("ready", stored), export.error
    assert Job.objects.get(pk=export.job_id).runs == 1
    assert "Скачать" in client.get(response.url).content.decode()
    assert body(download(client, export)).startswith(b"%PDF")


def test_a_get_starts_nothing_and_a_finished_export_of_the_same_version_is_reused(
    client, world, django_capture_on_commit_callbacks, record_property
):
    """The review's probe: every GET of progress.pdf started a new render job."""
    plan = make_plan(world)
    plan_services.plan_approve(plan=plan, actor=world.head)
    client.force_login(world.coordinator)
    for _ in range(5):
        page = client.get(progress_url(plan))
        assert page.status_code == 200 and "Сформировать PDF" in page.content.decode()
    assert not ExportFile.objects.exists() and not Job.objects.filter(task=jobs.RENDER_TASK).exists()
    first = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert first.status == "ready"
    again = [request_export(client, progress_url(plan), django_capture_on_commit_callbacks) for _ in range(3)]
    assert {e.pk for e in again} == {first.pk}
    assert client.get(progress_url(plan)).url == reverse("reports:export_status", args=[first.pk])
    # A change in the plan's work is a new version: a new file.
    execution = plan.activities.first().executions.first()
    plan_services.execution_start(execution=execution, actor=world.school, comment="Начали")
    changed = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert changed.pk != first.pk
    renders = Job.objects.filter(task=jobs.RENDER_TASK).count()
    assert renders == 2
    record_property("progress_pdf_requests", 5 + 1 + 3 + 1)
    record_property("progress_pdf_render_jobs", renders)
