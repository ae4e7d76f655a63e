"""The review's unbounded period: a plan covers at most a few years (the forms say so), a plan
ending in 9999 can still be opened for copying, every occurrence count is bounded with a message
said before anything is written, and an approval either completes or leaves the plan as it was."""

import time
from datetime import date

import pytest
from django.urls import reverse

from activities.choices import PlanStatus
from activities.models import Activity, Execution, Plan
from activities.services import executions as module
from activities.services.workflow import deadline_fields, plan_approve, plan_copy_to_period
from tests.activities.conftest import make_plan
from vprplan.errors import DomainError
from vprplan.models import Job

pytestmark = pytest.mark.django_db


def plan_form(world, start: str, end: str) -> dict:
    return {
        "owner": world.m1.pk,
        "title": "План",
        "kind": "roadmap",
        "period_text": "",
        "period_start": start,
        "period_end": end,
        "section_numbering": "arabic",
    }


def test_the_plan_form_says_and_keeps_the_bound_on_the_period(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("activities:plan_create")).content.decode()
    assert "План охватывает не более 5 лет" in page
    response = client.post(reverse("activities:plan_create"), plan_form(world, "0001-01-01", "9999-12-31"))
    assert response.status_code == 200 and "Годы периода плана — с 2000 по 2100" in response.content.decode()
    response = client.post(reverse("activities:plan_create"), plan_form(world, "2024-09-01", "2034-08-31"))
    assert (
        response.status_code == 200 and "не более 5 лет: укажите период короче" in response.content.decode()
    )
    assert not Plan.objects.exists()
    response = client.post(reverse("activities:plan_create"), plan_form(world, "2024-09-01", "2027-08-31"))
    assert response.status_code == 302 and Plan.objects.count() == 1


def test_copying_a_plan_that_ends_in_9999_does_not_fail(client, world):
    plan = make_plan(world, status=PlanStatus.APPROVED)
    Plan.objects.filter(pk=plan.pk).update(
        period_start=date(1, 1, 1), period_end=date(9999, 12, 31)
    )  # an old row
    client.force_login(world.coordinator)
    response = client.get(reverse("activities:plan_copy", args=[plan.pk]))
    assert response.status_code == 200 and "План охватывает не более 5 лет" in response.content.decode()
    response = client.post(
        reverse("activities:plan_copy", args=[plan.pk]),
        {"period_start": "9999-01-01", "period_end": "9999-12-31"},
    )
    assert response.status_code == 200 and "Годы периода плана" in response.content.decode()
    assert Plan.objects.count() == 1
    with pytest.raises(DomainError, match="не более 5 лет"):
        plan_copy_to_period(
            source=plan, period_start=date(2024, 1, 1), period_end=date(2040, 1, 1), actor=None
        )


def daily(plan: Plan) -> Activity:
    activity = plan.activities.get(number="1.1")
    for name, value in deadline_fields(
        "ежедневно", period_start=plan.period_start, period_end=plan.period_end
    ).items():
        setattr(activity, name, value)
    activity.deadline_text = "ежедневно"
    activity.save()
    return activity


def test_an_activity_with_too_many_dates_is_refused_at_approval_and_the_plan_stays_as_it_was(world):
    plan = make_plan(world)
    Plan.objects.filter(pk=plan.pk).update(period_start=date(2024, 1, 1), period_end=date(2028, 12, 31))
    plan.refresh_from_db()
    daily(plan)
    with pytest.raises(DomainError, match="Мероприятие 1.1: по сроку «ежедневно» получается 12"):
        plan_approve(plan=plan, actor=world.head)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_APPROVAL and plan.approved_on is None
    assert not Execution.objects.exists() and not Job.objects.exists()


def test_a_plan_asking_for_too_many_executions_is_refused(world, monkeypatch):
    monkeypatch.setattr(module, "PLAN_MAX_EXECUTIONS", 5)
    plan = make_plan(world)
    with pytest.raises(DomainError, match="больше 5 задач исполнителей"):
        plan_approve(plan=plan, actor=world.head)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_APPROVAL and not Execution.objects.exists()


def test_a_big_approval_leaves_a_job_the_plan_page_shows(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(module, "INLINE_LIMIT", 3)
    plan = make_plan(world)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not taken it yet
        plan_approve(plan=plan, actor=world.head)
    job = Job.objects.get(task=module.SYNC_TASK)
    assert job.status == Job.Status.PENDING and job.args == [plan.pk]
    client.force_login(world.coordinator)
    page = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert "Задачи исполнителей по плану создаются в фоне" in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    page = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert "создаются в фоне" not in page


def test_the_deadline_preview_of_an_old_unbounded_plan_is_fast_and_warns(client, world, record_property):
    plan = make_plan(world, status=PlanStatus.DRAFT)
    Plan.objects.filter(pk=plan.pk).update(period_start=date(1, 1, 1), period_end=date(9999, 12, 31))
    client.force_login(world.coordinator)
    started = time.process_time()
    response = client.get(
        reverse("activities:deadline_preview", args=[plan.pk]), {"deadline_text": "ежедневно"}
    )
    cpu = time.process_time() - started
    assert response.status_code == 200 and "план с таким сроком не утвердить" in response.content.decode()
    assert cpu < 2.0
    record_property("deadline_preview_daily_unbounded_period_cpu_seconds", round(cpu, 3))
