import re

import pytest
from django.urls import reverse

from activities import services
from activities.choices import PlanStatus
from tests.factories import ActivityFactory, PlanFactory, SectionFactory
from tests.matrix import assert_matrix

pytestmark = pytest.mark.django_db


def plan_with_rows(owner, sections=3, per_section=5, **kwargs):
    plan = PlanFactory(owner=owner, **kwargs)
    for s in range(1, sections + 1):
        section = SectionFactory(plan=plan, position=s)
        for a in range(1, per_section + 1):
            ActivityFactory(section=section, plan=plan, position=a, title=f"Мероприятие {s}.{a}")
    from activities.services import plan_renumber

    plan_renumber(plan=plan)
    return plan


def test_municipal_draft_plan_matrix(client, world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    assert_matrix(
        client,
        reverse("activities:plan_detail", args=[plan.pk]),
        allowed=world.people("admin", "head", "coordinator", "specialist"),
        denied=world.people(
            "school", "observer", "nobody",  # wrong role for a draft
            "neighbour_coordinator", "other_admin", "other_head", "other_school",  # other municipality
        ),
    )


def test_school_plan_matrix(client, world):
    plan = PlanFactory(owner=world.s1, status=PlanStatus.DRAFT)
    assert_matrix(
        client,
        reverse("activities:plan_detail", args=[plan.pk]),
        allowed=world.people("admin", "head", "coordinator", "specialist", "school"),
        denied=world.people("school2", "observer", "neighbour_coordinator", "other_school", "other_admin"),
    )


def test_approved_municipal_plan_is_read_by_its_schools_and_observers(client, world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.APPROVED)
    assert_matrix(
        client,
        reverse("activities:plan_detail", args=[plan.pk]),
        allowed=world.people("admin", "head", "coordinator", "school", "school2", "observer"),
        denied=world.people("neighbour_coordinator", "other_coordinator", "other_school", "nobody"),
    )


def test_plan_page_renders_numbers_columns_and_text(client, world):
    plan = plan_with_rows(world.m1, sections=2, per_section=2, section_numbering="roman")
    plan.columns = [["number", "№"], ["title", "Меры/мероприятия"], ["deadline", "Дата проведения"]]
    plan.save()
    client.force_login(world.coordinator)
    html = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert "Меры/мероприятия" in html and "Дата проведения" in html
    assert "Ответственные" not in html  # a column the plan does not have is not printed
    assert "I. Раздел" in html and "II. Раздел" in html
    assert html.index("Мероприятие 1.1") < html.index("Мероприятие 1.2") < html.index("Мероприятие 2.1")
    assert ">2.2<" in html


def test_plan_page_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    small = plan_with_rows(world.m1, sections=1, per_section=1)
    large = plan_with_rows(world.m1, sections=6, per_section=25)
    client.force_login(world.coordinator)
    for plan in (small, large):
        # session, the user with his memberships, plan, open amendment, sections, activities, the
        # bell's count, the unfinished job creating its executions (an approved plan)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("activities:plan_detail", args=[plan.pk]))
        assert response.status_code == 200
    assert response.content.decode().count('id="activity-') == 150


def test_home_lists_each_users_plans_and_counts(client, world):
    plan_with_rows(world.m1, sections=2, per_section=3, title="План муниципалитета 1")
    PlanFactory(owner=world.m2, title="План соседей")
    client.force_login(world.coordinator)
    html = client.get(reverse("home")).content.decode()
    assert "План муниципалитета 1" in html and "План соседей" not in html
    assert "Муниципальный координатор ВПР" in html
    assert ">6<" in html  # activity count


def test_home_tells_a_new_version_from_the_plan_it_amends(client, world):
    """Both bear one title and period: the new one says «редакция 2», and, until approved, what it is."""
    approved = PlanFactory(owner=world.m1, title="Дорожная карта М1")
    version = services.plan_new_version(plan=approved, actor=world.coordinator)
    client.force_login(world.head)

    def notes() -> list[str]:
        html = client.get(reverse("home")).content.decode()
        return re.findall(r'<div class="help">(редакция[^<]*)</div>', html)

    assert notes() == ["редакция 2: изменения в утверждённый план"]
    version.status = PlanStatus.APPROVED
    version.save()
    approved.status = PlanStatus.ARCHIVED
    approved.save()
    assert notes() == ["редакция 2"]


def test_home_query_budget_is_flat(client, world, django_assert_max_num_queries):
    for i in range(20):
        PlanFactory(owner=world.s1 if i % 2 else world.m1)
    client.force_login(world.admin)
    # session, the user with his memberships, plans with counts, the observers panel's campaigns,
    # the bell's count
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(re.findall(r'href="/plans/\d+/"', response.content.decode())) == 20


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_user_without_roles_is_told_so(client, world):
    client.force_login(world.nobody)
    assert "пока нет ролей" in client.get(reverse("home")).content.decode()
