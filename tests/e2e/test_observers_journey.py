"""Issue 9's journey in Chromium: the municipal coordinator assigns observers on the board, a
conflicting one is offered disabled with the reason, and the observer files his act with a scan."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observers.models import Act, Assignment, Observer
from portal.demo import DEMO_PASSWORD
from schools.models import VprCampaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_coordinator_assigns_conflict_is_refused_observer_files_act(demo, login, live_server, browser):
    page = login("coordinator", DEMO_PASSWORD)
    # The home page links the coming VPR's board; this journey is on VPR-2024's, the demo's history.
    campaign = VprCampaign.objects.get(region__code="komi", year=2024)
    page.goto(live_server.url + reverse("observers:assignment_board", args=[campaign.pk, "inta"]))
    expect(
        page.get_by_role("heading", name="Общественные наблюдатели: Муниципальный округ «Инта», ВПР-2024")
    ).to_be_visible()

    biology = page.locator("tr", has_text="Биология, 7 А")
    expect(biology).to_contain_text("не назначен")
    biology.get_by_role("link", name="Назначить").click()
    expect(page.get_by_role("heading", name="Назначить наблюдателя")).to_be_visible()

    # Белова's child studies at Гимназия № 2: the list offers her disabled, with the reason.
    belova = Observer.objects.get(full_name="Белова Татьяна Андреевна")
    option = page.get_by_label("Наблюдатель").locator(f'option[value="{belova.pk}"]')
    expect(option).to_be_disabled()
    expect(option).to_contain_text("нельзя")
    expect(option).to_contain_text("«Гимназия № 2» г. Инты учится ребёнок наблюдателя Беловой Татьяны Андреевны")
    assert not Assignment.objects.filter(observer=belova, session__subject="Биология").exists()

    mikhailova = Observer.objects.get(full_name="Михайлова Ольга Николаевна")
    page.get_by_label("Наблюдатель").select_option(str(mikhailova.pk))
    page.get_by_label("Аудитория").fill("каб. 3")
    page.get_by_role("button", name="Назначить").click()
    expect(page.locator(".messages")).to_contain_text("Михайлова Ольга Николаевна назначена")
    expect(page.locator("tr", has_text="Биология, 7 А")).to_contain_text(
        "Михайлова Ольга Николаевна (каб. 3)"
    )
    page.locator("tr", has_text="Биология, 7 А").get_by_role("button", name="Подтвердить").click()
    expect(page.locator("tr", has_text="Биология, 7 А")).to_contain_text("подтверждено")
    page.screenshot(path="/tmp/vprplan-observers-board.png", full_page=True)

    observer = browser.new_context(base_url=live_server.url).new_page()
    observer.goto("/accounts/login/")
    observer.get_by_label("Имя пользователя").fill("observer")
    observer.get_by_label("Пароль").fill(DEMO_PASSWORD)
    observer.get_by_role("button", name="Войти").click()
    observer.get_by_role("link", name="Мои наблюдения").click()
    mathematics = observer.locator("tr", has_text="Математика, 4 А, Б").filter(has_text="18.04.2024")
    expect(mathematics).to_contain_text("Акт просрочен: срок был 19.04.2024")
    mathematics.get_by_role("link", name="Подать акт").click()

    observer.get_by_label("Этап").select_option("conduct")
    observer.get_by_label("Выявлены нарушения").check()
    observer.get_by_label("Какие нарушения").fill("Участник пользовался телефоном в аудитории каб. 14.")
    observer.get_by_label("Комментарий").fill("Организатор изъял телефон, составлен протокол.")
    observer.get_by_label("Скан подписанного акта").set_input_files(
        files=[{"name": "akt.pdf", "mimeType": "application/pdf", "buffer": SCAN}]
    )
    observer.get_by_role("button", name="Подать акт").click()
    expect(observer.locator(".messages")).to_contain_text("Акт принят с опозданием: срок был 19.04.2024")
    row = observer.locator("tr", has_text="Математика, 4 А, Б").filter(has_text="18.04.2024")
    expect(row).to_contain_text("с опозданием")
    expect(row.get_by_role("link", name="скан")).to_be_visible()
    act = Act.objects.get(
        assignment__session__subject="Математика",
        assignment__session__campaign=campaign,
        assignment__observer__user__username="observer",
    )
    assert act.violations_found and act.scan_type == "application/pdf"
    observer.screenshot(path="/tmp/vprplan-observer-acts.png", full_page=True)
