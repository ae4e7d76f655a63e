"""Issue 6's journey in Chromium: the school ticks an activity off with a PDF (in place, on a
phone-sized screen too); the municipal coordinator finds it on the dashboard and returns it; the
school sees why and sends it again; the coordinator accepts it."""

import pytest
from playwright.sync_api import expect

from activities.demo import demo_pdf
from activities.models import Execution
from portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(context, username: str):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/")
    return page


def test_school_ticks_coordinator_returns_school_resubmits_coordinator_accepts(
    demo, live_server, browser, tmp_path
):
    scan = tmp_path / "Протокол комиссии.pdf"
    scan.write_bytes(demo_pdf())
    task = Execution.objects.get(
        activity__plan__owner__code="inta",
        activity__plan__order_number="51",  # overdue since 2024: the transcribed road map's row
        activity__number="2.6",
        organization__code="inta-sosh-5",
    )

    # The school coordinator, on a phone.
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    school = log_in(phone, "school")
    expect(school.locator(".counts")).to_contain_text("просрочено")  # the home panel's figures arrived
    school.get_by_role("link", name="Мои задачи").first.click()
    card = school.locator(f"#execution-{task.pk}")
    expect(card).to_contain_text("просрочено")
    assert school.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    school.screenshot(path="/tmp/vprplan-tasks-390.png", full_page=False)

    card.get_by_role("button", name="Отметить выполнение").click()
    form = school.locator(f"#execution-{task.pk} form.report-form")
    expect(form).to_be_visible()
    form.get_by_label("Комментарий").fill("Комиссия работала 15–20 мая, протокол приложен")
    # The file input speaks Russian whatever the browser's language (app.js fileFaces).
    face = form.locator(".file-face")
    expect(face).to_have_text("Выбрать файлыФайл не выбран")
    form.get_by_label("Подтверждающие документы").set_input_files(str(scan))
    expect(face.locator(".file-face-names")).to_have_text("Протокол комиссии.pdf")
    assert school.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card.screenshot(path="/tmp/vprplan-task-form-390.png")
    form.get_by_role("button", name="Выполнено").click()
    expect(card).to_contain_text("отправлено на проверку")
    expect(card.locator(".state").first).to_have_text("на проверке")
    expect(card.get_by_role("link", name="Протокол комиссии.pdf")).to_be_visible()

    # The municipal coordinator finds it on the dashboard and returns it.
    desk = browser.new_context(base_url=live_server.url)
    coordinator = log_in(desk, "coordinator")
    coordinator.get_by_role("link", name="Ход выполнения плана").click()
    # Two plans in force (2023-2024 and this year's): the task is the 2023-2024 plan's.
    coordinator.get_by_role("link", name="в 2023-2024 уч", exact=False).click()
    cell = coordinator.locator(f'td.c a[href="/executions/{task.pk}/"]')
    expect(cell).to_be_visible()
    expect(coordinator.locator(f'td.s-review a[href="/executions/{task.pk}/"]')).to_have_count(1)
    coordinator.screenshot(path="/tmp/vprplan-dashboard.png", full_page=False)
    cell.click()
    expect(coordinator.get_by_role("link", name="Протокол комиссии.pdf")).to_be_visible()
    coordinator.get_by_label("Комментарий для школы").fill("Нет подписей членов комиссии")
    coordinator.get_by_role("button", name="Вернуть на доработку").click()
    expect(coordinator.get_by_text("Отчёт возвращён на доработку")).to_be_visible()

    # The school sees why and sends it again.
    school.reload()
    card = school.locator(f"#execution-{task.pk}")
    expect(card).to_contain_text("Нет подписей членов комиссии")
    card.get_by_role("button", name="Исправить и отправить снова").click()
    form = school.locator(f"#execution-{task.pk} form.report-form")
    form.get_by_label("Комментарий").fill("Протокол с подписями всех членов комиссии")
    form.get_by_label("Подтверждающие документы").set_input_files(str(scan))
    form.get_by_role("button", name="Выполнено").click()
    expect(card.locator(".state").first).to_have_text("на проверке")
    card.get_by_role("link", name="2.6 Организация работы").click()
    expect(school.locator(".execution h1")).to_contain_text("2.6")
    assert school.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    school.screenshot(path="/tmp/vprplan-execution-390.png", full_page=True)

    # Accepted.
    coordinator.goto(f"/executions/{task.pk}/")
    expect(coordinator.locator("dd", has_text="Протокол с подписями всех членов комиссии")).to_be_visible()
    coordinator.get_by_role("button", name="Принять").click()
    expect(coordinator.get_by_text("Отчёт принят")).to_be_visible()
    expect(coordinator.locator(".execution .state").first).to_have_text("принято")
    task.refresh_from_db()
    assert (task.status, task.review_status, task.evidence.count()) == ("done", "accepted", 2)
