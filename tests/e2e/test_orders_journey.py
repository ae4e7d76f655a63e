"""Issue 7's journey in Chromium: the coordinator prepares the order for a submitted plan, the head
signs it, the status page polls until the signed PDF is ready, the PDF downloads, and /verify/
says it is the original. The public page lists it.

The job is held back while the head's page shows its status (as when the broker is down: the job
stays pending and is sent later), then sent from another thread, so the page's polling is what
brings the result on screen."""

import hashlib
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from activities import services as plan_services
from activities.choices import PlanStatus
from activities.models import Plan
from portal.demo import DEMO_PASSWORD
from reports.models import Order, OrderDocument
from reports.signing.demo import make_pkcs12
from vprplan import jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username: str):
    page = browser.new_context(base_url=live_server.url, accept_downloads=True).new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def run_pending_jobs() -> None:
    """Send the held-back job from another thread (pyHanko runs its own event loop, which the
    Playwright thread cannot host); the thread's connection is closed afterwards."""

    def work():
        try:
            jobs.dispatch_pending()
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)


def test_coordinator_prepares_head_signs_pdf_downloads_and_verifies(
    demo, live_server, browser, settings, tmp_path, monkeypatch
):
    settings.SIGNING_PKCS12_DIR = tmp_path
    (tmp_path / "inta.p12").write_bytes(make_pkcs12(owner="Круглова Эвелина Олеговна", organization="Отдел"))
    inta_plan = Plan.objects.get(owner__code="inta", status=PlanStatus.APPROVED, order_number="51")
    plan = plan_services.plan_new_version(plan=inta_plan, actor=demo["coordinator"])
    plan_services.plan_submit(plan=plan, actor=demo["coordinator"])

    # The coordinator: one click on the plan, a look at the text, the number, save.
    coordinator = log_in(browser, live_server, "coordinator")
    coordinator.goto("/orders/")
    row = coordinator.locator("table.plans-awaiting tr", has=coordinator.get_by_text("на утверждении"))
    row.get_by_role("button", name="Подготовить приказ").click()
    expect(coordinator.get_by_text("Проект приказа подготовлен")).to_be_visible()
    # A new version of the plan approved by order № 51: the order changes that order.
    changed = Order.objects.get(organization__code="inta", number="51")
    expect(coordinator.get_by_label("Заголовок")).to_have_value(
        f"О внесении изменений в приказ {changed.authority_genitive} от 29.02.2024 № 51 «{changed.title}»"
    )
    # The number of a paper register (else the register's next number is given at signing).
    coordinator.get_by_label("Номер").fill("77")
    coordinator.get_by_label("Вид документа на втором языке").fill("ТШӦКТӦД")
    coordinator.get_by_role("button", name="Сохранить").click()
    expect(coordinator.get_by_text("Проект приказа сохранён")).to_be_visible()
    expect(coordinator.get_by_role("button", name="Подписать и утвердить план")).to_have_count(0)
    order = Order.objects.get(plan=plan)
    assert order.number == "77" and order.kind_local == "ТШӦКТӦД"

    # The head signs; the job waits (held back), the status page says so and keeps asking.
    monkeypatch.setattr(jobs, "dispatch", lambda job_id: False)
    head = log_in(browser, live_server, "head")
    head.on("dialog", lambda dialog: dialog.accept())  # «Подписать приказ …?» (form[data-confirm])
    head.goto("/orders/")
    head.get_by_role("link", name=order.title).click()
    head.get_by_role("button", name="Подписать и утвердить план").click()
    expect(head.locator("#document-status")).to_contain_text("В очереди")
    assert head.locator("#document-status[hx-trigger='every 2s']").count() == 1
    monkeypatch.undo()
    run_pending_jobs()
    expect(head.locator("#document-status")).to_contain_text(
        "Готово: приказ подписан, план утверждён", timeout=15000
    )
    document = OrderDocument.objects.get(order=order)
    order.refresh_from_db()
    assert order.date == timezone.localdate(timezone=order.organization.tz) and order.number == "77"
    assert document.is_signed and Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

    # The signed PDF downloads and is what was stored.
    with head.expect_download() as download_info:
        head.get_by_role("link", name="Скачать PDF").click()
    path = Path(download_info.value.path())
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == document.sha256

    # Anyone: the public page lists the order; /verify/ says the download is the original.
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/public/inta/")
    # The demo's order № 51 is listed too; the new one has its own row.
    expect(visitor.locator("li", has_text="Приказ от").filter(has_text="№ 77")).to_have_count(1)
    visitor.goto("/verify/")
    visitor.get_by_label("Файл PDF").set_input_files(str(path))
    visitor.get_by_role("button", name="Проверить").click()
    expect(visitor.get_by_role("heading", name="Подлинный документ")).to_be_visible()
    expect(visitor.locator(".verify-result")).to_contain_text("от ")
    expect(visitor.locator(".verify-result")).to_contain_text("№ 77")
    # One changed byte: not the original.
    changed = bytearray(data)
    changed[data.index(b"stream", 1000) + 50] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(changed))
    visitor.get_by_label("Файл PDF").set_input_files(str(altered))
    visitor.get_by_role("button", name="Проверить").click()
    expect(visitor.get_by_role("heading", name="Документ изменён")).to_be_visible()
