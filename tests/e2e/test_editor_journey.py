"""Issue 4's journey in Chromium: build a plan, reorder, see numbers and dates, submit, approve,
read-only, a change makes a new version."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from activities.models import Plan
from activities.services import plan_approve
from portal.demo import DEMO_PASSWORD

User = get_user_model()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_activity(page, section_number: str, title: str, deadline: str):
    page.get_by_role("button", name=f"+ Мероприятие в раздел {section_number}", exact=True).click()
    form = page.locator("form.activity-form")
    expect(form).to_be_visible()
    form.get_by_label("Наименование мероприятия").fill(title)
    form.get_by_label("Срок (как в документе)").fill(deadline)
    expect(form.locator(".deadline-preview")).not_to_be_empty()
    form.get_by_role("button", name="Сохранить").click()
    expect(page.locator("form.activity-form")).to_have_count(0)


def test_coordinator_builds_reorders_submits_head_approves(demo, login, live_server, browser):
    page = login("coordinator", DEMO_PASSWORD)
    page.get_by_role("link", name="Новый план").click()
    page.get_by_label("Наименование").fill("План мероприятий на 2026-2027 учебный год")
    page.get_by_label("Начало периода").fill("2026-09-01")
    page.get_by_label("Конец периода").fill("2027-08-31")
    page.get_by_label("Нумерация разделов").select_option("roman")
    page.get_by_role("button", name="Создать план").click()
    expect(page.get_by_text("План создан")).to_be_visible()

    for title in ("Анализ результатов", "Организация ВПР"):
        page.get_by_placeholder("Наименование раздела").fill(title)
        page.get_by_role("button", name="Добавить раздел").click()
        expect(page.locator(".ed-section-title", has_text=title)).to_be_visible()

    add_activity(page, "I", "Анализ итогов ВПР", "До 15.10.2026")
    add_activity(page, "I", "Совещание с руководителями ОО", "Октябрь, май")
    add_activity(page, "II", "Формирование списков участников", "Март-май 2027")
    add_activity(page, "II", "Общественное наблюдение", "Постоянно")

    rows = page.locator("li.ed-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator(".ed-number")).to_have_text("1.1")
    expect(rows.nth(0)).to_contain_text("15.10.2026")
    expect(rows.nth(1)).to_contain_text("31.10.2026")
    expect(rows.nth(2)).to_contain_text("31.05.2027")

    # Move «Совещание…» up with its button, then the first row of section II up with the keyboard.
    rows.nth(1).get_by_role("button", name="Выше").click()
    expect(page.locator("li.ed-row").nth(0)).to_contain_text("Совещание с руководителями ОО")
    expect(page.locator("li.ed-row").nth(0).locator(".ed-number")).to_have_text("1.1")
    page.locator("li.ed-row").nth(2).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("li.ed-row").nth(2)).to_contain_text("Формирование списков участников")
    expect(page.locator("li.ed-row").nth(2).locator(".ed-number")).to_have_text("1.3")
    expect(page.locator(".ed-section-number").first).to_have_text("I.")

    page.get_by_role("button", name="Отправить на утверждение").click()
    expect(page.get_by_text("План отправлен на утверждение")).to_be_visible()
    plan = Plan.objects.get(title="План мероприятий на 2026-2027 учебный год")

    head = browser.new_context(base_url=live_server.url).new_page()
    head.goto("/accounts/login/")
    head.get_by_label("Имя пользователя").fill("head")
    head.get_by_label("Пароль").fill(DEMO_PASSWORD)
    head.get_by_role("button", name="Войти").click()
    head.goto(f"/plans/{plan.pk}/")
    # One approval path for a municipal plan: the head's order (its signing: tests/reports/orders).
    expect(head.get_by_role("button", name="Приказ об утверждении")).to_be_visible()
    expect(head.get_by_role("button", name="Утвердить", exact=True)).to_have_count(0)
    plan_approve(plan=plan, actor=User.objects.get(username="head"))  # what signing the order does

    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.get_by_role("link", name="Редактировать")).to_have_count(0)
    page.goto(f"{live_server.url}/plans/{plan.pk}/edit/")
    assert page.url.endswith(f"/plans/{plan.pk}/")  # read-only: back to the document
    page.get_by_role("button", name="Внести изменения (новая редакция)").click()
    expect(page.get_by_text("Создана новая редакция")).to_be_visible()
    page.locator("li.ed-row").nth(0).get_by_role("button", name="Удалить").click()
    expect(page.get_by_text("удалено")).to_be_visible()
    version = Plan.objects.get(amends=plan)
    page.goto(f"{live_server.url}/plans/{version.pk}/compare/")
    expect(page.get_by_text("исключено: 1")).to_be_visible()
    page.screenshot(path="/tmp/vprplan-compare.png")
