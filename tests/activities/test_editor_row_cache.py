"""The editor's rows are rendered once per content and kept in the cache
(activities.views.editor.with_rendered_rows): a cached page is the same HTML as a fresh one, and
whatever a row prints (its text, its number after a move, its due dates after the plan's period
changes) shows at once."""

import re

import pytest
from django.urls import reverse

from activities import services
from activities.choices import PlanStatus
from activities.models import Activity, Plan
from tests.factories import PlanFactory
from vprplan import access
from vprplan.fragments import fragment_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT, title="Черновик М1")
    section = services.section_add(plan=plan, title="Раздел первый", actor=world.coordinator)
    for _ in range(3):
        services.activity_add(section=section, actor=world.coordinator)
    return plan


def rows(html: str) -> list[str]:
    return re.findall(r'<li class="ed-row.*?</li>', html, flags=re.S)


def sections(html: str) -> list[str]:
    return re.findall(r'<section class="ed-section".*?</section>', html, flags=re.S)


def page(client, plan) -> str:
    response = client.get(reverse("activities:plan_edit", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_is_the_same_html_as_a_fresh_one(client, world, draft):
    client.force_login(world.coordinator)
    fragment_cache("editor-rows").clear()
    fresh = page(client, draft)
    cached = page(client, draft)
    assert len(rows(fresh)) == 3
    assert rows(cached) == rows(fresh)
    assert sections(cached) == sections(fresh)


def test_an_edited_row_shows_its_new_text(client, world, draft):
    client.force_login(world.coordinator)
    page(client, draft)
    activity = Activity.objects.filter(plan=draft).order_by("position").first()
    services.activity_update(
        activity=activity,
        data={"title": "Совещание с руководителями ОО", "deadline_text": "до 15.03.2025"},
        expected_version=activity.version,
        actor=world.coordinator,
    )
    html = page(client, draft)
    assert "Совещание с руководителями ОО" in html and "15.03.2025" in html


def test_a_moved_row_shows_its_new_number(client, world, draft):
    client.force_login(world.coordinator)
    first = Activity.objects.filter(plan=draft).order_by("position").first()
    before = page(client, draft)
    assert re.search(rf'id="activity-{first.pk}".*?<span class="ed-number">1\.1</span>', before, re.S)
    Activity.objects.filter(pk=first.pk).update(number="1.9")  # as a renumbering writes it
    after = page(client, draft)
    assert re.search(rf'id="activity-{first.pk}".*?<span class="ed-number">1\.9</span>', after, re.S)


def test_due_dates_follow_the_plans_period(client, world, draft):
    client.force_login(world.coordinator)
    activity = Activity.objects.filter(plan=draft).order_by("position").first()
    text = "ежемесячно до 10 числа"
    fields = services.deadline_fields(text, period_start=draft.period_start, period_end=draft.period_end)
    services.activity_update(
        activity=activity,
        data={"deadline_text": text, **fields},
        expected_version=activity.version,
        actor=world.coordinator,
    )
    assert 'class="due-dates">' in page(client, draft)
    Plan.objects.filter(pk=draft.pk).update(period_start="2031-01-01", period_end="2031-12-31")
    assert "10.01.2031" in page(client, draft)


def test_whoever_keeps_a_plan_reads_it():
    """The editor finds an activity by its plan's owner alone (views.editor.editable_activity):
    right only while every plan-keeping role is a managing one (plans_for_user's scope)."""
    assert access.PLAN_EDITOR_ROLES <= access.MANAGING_ROLES
