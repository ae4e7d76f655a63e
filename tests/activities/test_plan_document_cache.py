"""A published plan's document is rendered once per version and served from the cache after that
(activities.document): the same HTML, two queries fewer; drafts are rendered every time, and a
change of the plan row (a status, a stamp) is a new version."""

import pytest
from django.urls import reverse

from activities.choices import PlanStatus
from activities.document import plan_document_html
from activities.models import Plan
from tests.factories import ActivityFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db


def plan_of(owner, status, rows=3):
    plan = PlanFactory(owner=owner, status=status)
    section = SectionFactory(plan=plan, position=1, number="1")
    for i in range(1, rows + 1):
        ActivityFactory(plan=plan, section=section, position=i, number=f"1.{i}", title=f"Мероприятие {i}")
    return plan


def document_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<article class="plan-document">') : html.index("</article>")]


def test_a_published_plan_is_served_from_the_cache_with_the_same_html(
    client, world, django_assert_num_queries
):
    plan = plan_of(world.m1, PlanStatus.APPROVED)
    client.force_login(world.coordinator)
    url = reverse("activities:plan_detail", args=[plan.pk])
    with django_assert_num_queries(8) as first:  # the page's budget (tests/vprplan/test_query_budgets.py)
        cold = client.get(url)
    with django_assert_num_queries(6):  # sections and activities come from the cache
        warm = client.get(url)
    assert len(first.captured_queries) == 8
    assert document_of(warm) == document_of(cold)
    assert document_of(cold).count('id="activity-') == 3


def test_the_public_page_shares_the_cached_document(client, world):
    plan = plan_of(world.m1, PlanStatus.APPROVED)
    client.force_login(world.coordinator)
    inner = client.get(reverse("activities:plan_detail", args=[plan.pk]))
    client.logout()
    public = client.get(reverse("reports:public_plan_detail", args=[world.m1.code, plan.pk]))
    assert public.status_code == 200
    assert document_of(public) == document_of(inner)


def test_a_draft_is_rendered_every_time_and_shows_its_edits(world):
    plan = plan_of(world.m1, PlanStatus.DRAFT)
    before = plan_document_html(plan)
    plan.activities.filter(number="1.2").update(title="Изменено в черновике")
    after = plan_document_html(Plan.objects.get(pk=plan.pk))
    assert "Мероприятие 2" in before and "Изменено в черновике" in after


def test_a_changed_plan_row_is_a_new_version_of_the_document(world):
    plan = plan_of(world.m1, PlanStatus.APPROVED)
    assert "Утверждён приказом № 1" not in plan_document_html(plan)
    Plan.objects.filter(pk=plan.pk).update(approval_text="Утверждён приказом № 1")  # no auto_now here
    assert "Утверждён приказом № 1" in plan_document_html(Plan.objects.get(pk=plan.pk))
