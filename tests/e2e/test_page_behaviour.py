"""Page-level behaviour in Chromium (issue 15): dragging in the editor within the CSP, the phone
cards' labels, the «Выполнено недавно» toggle, the favicon, data-confirm and busy submit buttons."""

import pytest
from playwright.sync_api import expect

from activities import services
from activities.models import Plan
from vprplan.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_dragging_a_row_in_the_editor_reorders_within_the_csp(demo, login, live_server, page):
    """The autouse no_csp_violations fixture fails this test on any refused inline style."""
    approved = Plan.objects.get(owner__code="inta")
    draft = services.plan_new_version(plan=approved, actor=demo["coordinator"])
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/")
    rows = page.locator("li.ed-row")
    third = rows.nth(2).locator(".ed-main").inner_text()
    handle, top = rows.nth(2).locator(".handle").bounding_box(), rows.nth(0).bounding_box()
    page.mouse.move(handle["x"] + 5, handle["y"] + 5)
    page.mouse.down()
    for step in range(1, 15):  # a hand's drag: Sortable animates the rows it passes
        page.mouse.move(handle["x"] + 5, handle["y"] + 5 - (handle["y"] - top["y"]) * step / 14)
        page.wait_for_timeout(40)
    page.mouse.up()
    expect(page.locator("li.ed-row").nth(0).locator(".ed-number")).to_have_text("1.1")
    expect(page.locator("li.ed-row").nth(0).locator(".ed-main")).to_have_text(third)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # HTMX settles 20 ms after the swap; violations come then
    order = list(draft.sections.first().activities.order_by("position").values_list("title", flat=True))
    assert third.startswith(order[0][:40]) or order[0][:40] in third
