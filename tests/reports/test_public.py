import pytest
from django.urls import reverse

from activities.choices import PlanStatus
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
