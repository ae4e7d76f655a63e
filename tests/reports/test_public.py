from datetime import date

import pytest
from django.urls import reverse

from activities.choices import PlanStatus
from reports.models import Order, OrderStatus
from tests.factories import ActivityFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_public_page_lists_only_approved_plans_without_login(client, world):
    approved = PlanFactory(owner=world.m1, title="Утверждённый план", approval_text="УТВЕРЖДЕН приказом от 01.09.2025 № 1")
    PlanFactory(owner=world.m1, title="Черновик плана", status=PlanStatus.DRAFT)
    PlanFactory(owner=world.m2, title="План соседей")
    html = client.get(reverse("reports:public_plan_list", args=["m1"])).content.decode()
    assert "Утверждённый план" in html and "УТВЕРЖДЕН приказом" in html
    assert "Черновик плана" not in html and "План соседей" not in html
    response = client.get(reverse("reports:public_plan_detail", args=["m1", approved.pk]))
    assert response.status_code == 200


def test_public_plan_page_hides_drafts_and_other_owners(client, world):
    draft = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    other = PlanFactory(owner=world.m2)
    ActivityFactory(section__plan=draft)
    assert client.get(reverse("reports:public_plan_detail", args=["m1", draft.pk])).status_code == 404
    assert client.get(reverse("reports:public_plan_detail", args=["m1", other.pk])).status_code == 404
    assert client.get(reverse("reports:public_plan_list", args=["no-such-org"])).status_code == 404


def signed_order(world, plan, *, number: str, day: date, **extra):
    return Order.objects.create(
        organization=world.m1,
        plan=plan,
        status=OrderStatus.SIGNED,
        number=number,
        date=day,
        authority_name="Управление образования",
        authority_genitive="Управления образования",
        title="Об утверждении Плана мероприятий",
        signatory_position="Начальник",
        signatory_name="И.И. Иванов",
        **extra,
    )


def test_public_page_says_which_plan_and_order_are_in_force_and_keeps_the_rest_in_the_archive(client, world):
    title = "План мероприятий по обеспечению объективности ВПР"
    first = PlanFactory(owner=world.m1, title=title, status=PlanStatus.ARCHIVED, approved_on=date(2025, 9, 1))
    second = PlanFactory(
        owner=world.m1, title=title, amends=first, version_number=2, approved_on=date(2026, 2, 10)
    )
    old = signed_order(world, first, number="12", day=date(2025, 9, 1))
    new = signed_order(world, second, number="31", day=date(2026, 2, 10))
    html = client.get(reverse("reports:public_plan_list", args=["m1"])).content.decode()
    in_force = html[html.index('<section class="in-force">') : html.index('<section class="archive">')]
    archive = html[html.index('<section class="archive">') :]
    assert "<h2>Архив</h2>" in archive
    assert reverse("reports:public_plan_detail", args=["m1", second.pk]) in in_force
    assert "редакция 2, утверждён 10.02.2026" in in_force and f"Приказ {new.requisites}" in in_force
    assert reverse("reports:public_plan_detail", args=["m1", first.pk]) in archive
    assert "утверждён 01.09.2025, в архиве" in archive and f"Приказ {old.requisites}" in archive
    assert f"Приказ {old.requisites}" not in in_force and f"Приказ {new.requisites}" not in archive
    # The archived plan's own page says so and points to the plan in force.
    page = client.get(reverse("reports:public_plan_detail", args=["m1", first.pk])).content.decode()
    assert "Архивный документ." in page
    assert reverse("reports:public_plan_detail", args=["m1", second.pk]) in page
    # A correction replaces the order in force: the correction is in force, the replaced one archived.
    fix = signed_order(world, second, number="32", day=date(2026, 2, 12), replaces=new)
    html = client.get(reverse("reports:public_plan_list", args=["m1"])).content.decode()
    in_force = html[html.index('<section class="in-force">') : html.index('<section class="archive">')]
    assert f"Приказ {fix.requisites}" in in_force and f"Приказ {new.requisites}" not in in_force
