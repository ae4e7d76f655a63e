"""Page-level behaviour in Chromium (issue 15): dragging in the editor within the CSP, the phone
cards' labels, the «Выполнено недавно» toggle, the favicon, data-confirm and busy submit buttons."""

import pytest
from playwright.sync_api import expect

from activities import services
from activities.models import Plan
from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_dragging_a_row_in_the_editor_reorders_within_the_csp(demo, login, live_server, page):
    """The autouse no_csp_violations fixture fails this test on any refused inline style."""
    approved = Plan.objects.filter(owner__code="inta").latest("period_start")
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


def test_plan_cards_on_a_phone_keep_the_column_headings(demo, login, live_server, page):
    plan = Plan.objects.filter(owner__code="inta").latest("period_start")
    page.set_viewport_size(PHONE)
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    heading = page.locator(".plan-table thead th.col-deadline").inner_text()
    cell = page.locator(".plan-table td.col-deadline").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert heading and label == f'"{heading}"'
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_list_tables_on_a_phone_are_labelled_cards(demo, login, live_server, page):
    page.set_viewport_size(PHONE)
    login("observer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/my/observations/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    headings = page.locator("table.obs-table thead th").all_inner_texts()
    act = page.locator("table.obs-table tbody tr").first.locator("td").nth(headings.index("Акт"))
    assert act.evaluate("td => getComputedStyle(td, '::before').content") == '"Акт"'
    box = act.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the act column is off screen"


def test_recently_done_group_shows_its_toggle(demo, login, live_server, page):
    login("school", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tasks/")
    summary = page.locator("details#done > summary")
    mark = summary.evaluate(
        "s => { const st = getComputedStyle(s), b = getComputedStyle(s, '::before');"
        " return (st.display === 'list-item' && st.listStyleType !== 'none') || (b.content !== 'none' && b.content !== '\"\"') }"
    )
    assert mark, "«Выполнено недавно» has no visible open/close mark"
    summary.click()
    expect(page.locator("details#done .task").first).to_be_visible()


def test_every_page_names_a_favicon_that_exists(demo, login, live_server, page):
    login("school", DEMO_PASSWORD)
    icons = page.locator("link[rel~=icon]").evaluate_all("links => links.map(l => l.href)")
    assert icons, "no <link rel=icon>: every page asks for /favicon.ico and gets a 404"
    for icon in icons:
        response = page.request.get(icon)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), icon


NEW_VERSION = "Внести изменения (новая редакция)"


def test_data_confirm_asks_before_submitting(demo, login, live_server, page):
    plan = Plan.objects.filter(owner__code="inta").latest("period_start")
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    button = page.get_by_role("button", name=NEW_VERSION)
    button.evaluate("b => b.form.setAttribute('data-confirm', 'Создать новую редакцию плана?')")
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    page.wait_for_timeout(500)
    assert asked == ["Создать новую редакцию плана?"]
    assert not Plan.objects.filter(amends=plan).exists(), "sent although the user said «Отмена»"
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    expect(page.get_by_text("Создана новая редакция")).to_be_visible()
    assert Plan.objects.filter(amends=plan).count() == 1


def test_submit_buttons_are_disabled_while_the_form_is_sent(demo, login, live_server, page):
    plan = Plan.objects.filter(owner__code="inta").latest("period_start")
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    button = page.get_by_role("button", name=NEW_VERSION)
    # The answer goes to a second window, so that this page can be looked at while it is held.
    with page.context.expect_page() as popup:
        button.evaluate("b => { window.open('about:blank', 'sink'); b.form.target = 'sink'; }")
    held = []
    page.context.route("**/do/new_version/", lambda route: held.append(route))
    button.click()
    page.wait_for_function("() => document.querySelector('button[aria-busy]')")
    assert button.is_disabled()
    button.evaluate("b => b.click()")  # a second click while waiting sends nothing
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    expect(popup.value.get_by_text("Создана новая редакция")).to_be_visible()
    assert Plan.objects.filter(amends=plan).count() == 1
    # Back on this page from the back/forward cache: the buttons are usable again.
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert button.is_enabled()


def test_htmx_form_buttons_are_disabled_while_in_flight(demo, login, live_server, page):
    approved = Plan.objects.filter(owner__code="inta").latest("period_start")
    draft = services.plan_new_version(plan=approved, actor=demo["coordinator"])
    login("coordinator", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/plans/{draft.pk}/edit/")
    held = []
    page.route("**/sections/add/", lambda route: held.append(route))
    page.get_by_placeholder("Наименование раздела").fill("Новый раздел")
    button = page.get_by_role("button", name="Добавить раздел")
    button.click()
    page.wait_for_function("() => document.querySelector('form.add-section button[aria-busy]')")
    assert button.is_disabled()
    held[0].continue_()
    expect(page.locator(".ed-section-title", has_text="Новый раздел")).to_be_visible()
    expect(page.get_by_role("button", name="Добавить раздел")).to_be_enabled()
