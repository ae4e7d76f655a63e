import pytest

from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_reads_the_inta_plan(demo, login, live_server):
    page = login("coordinator", DEMO_PASSWORD)
    assert "Муниципальный координатор ВПР" in page.content()
    # The transcribed road map (14 rows); this year's copy is listed above it.
    page.get_by_role("link", name="в 2023-2024 учебном году", exact=False).click()
    page.wait_for_selector("table.plan-table")
    assert page.locator("table.plan-table tr[id^=activity-]").count() == 14
    assert "III. Методическое сопровождение организации и проведения ВПР" in page.content()
    page.screenshot(path="/tmp/vprplan-plan.png", full_page=False)


def test_school_coordinator_sees_no_other_municipality(demo, login, live_server):
    from activities.models import Plan

    page = login("school", DEMO_PASSWORD)
    severo = Plan.objects.get(owner__code="severo-eniseysky")
    response = page.goto(f"{live_server.url}/plans/{severo.pk}/")
    assert response.status == 404


def test_public_page_needs_no_login(demo, page, live_server):
    page.goto(f"{live_server.url}/public/inta/")
    assert "УТВЕРЖДЕН приказом" in page.content()
    page.get_by_role("link", name="в 2023-2024 учебном году", exact=False).first.click()
    assert page.locator("table.plan-table tr[id^=activity-]").count() == 14
