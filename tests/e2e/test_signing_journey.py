"""Issue 19's browser journey in Chromium: the head signs an order with his own qualified signature
through the CryptoPro ЭЦП Browser plug-in's API (static/js/cades-sign.js), and anyone verifies
the PDF with its .sig at /verify/.

The real plug-in (and CryptoPro CSP) is not available in CI: Playwright serves a stand-in for
cadesplugin_api.js at CADESPLUGIN_API_URL (tests/e2e/cadesplugin_standin.js) with the same API
surface the adapter uses, and its SignCades hands the ГОСТ math to this test's Python
(expose_function), which signs with the test authority's key. Nothing of it is served by the app."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from activities import services as plan_services
from activities.choices import PlanStatus
from activities.models import Plan
from reports.models import Order, OrderDocument
from reports.orders import services as order_services
from reports.signing.cades import certs
from tests.e2e.test_orders_journey import log_in
from tests.reports.signing.pki import NOW, certificate, gost_key, make_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STANDIN = Path(__file__).with_name("cadesplugin_standin.js")
API_URL = "/static/vendor/cryptopro/cadesplugin_api.js"
# What the adapter must call, in the plug-in's own names (the stand-in records each call).
ADAPTER_CALLS = {
    "CreateObjectAsync CAdESCOM.Store", "Store.Open", "Store.Certificates", "Certificates.Count",
    "Certificates.Item", "Certificate.SubjectName", "Certificate.SerialNumber", "Certificate.ValidToDate",
    "Certificate.Thumbprint", "Certificate.Export", "Store.Close", "CreateObjectAsync CAdESCOM.CPSigner",
    "CPSigner.propset_Certificate", "CPSigner.propset_CheckCertificate", "CreateObjectAsync CAdESCOM.CadesSignedData",
    "CadesSignedData.propset_ContentEncoding", "CadesSignedData.propset_Content", "CadesSignedData.SignCades",
}  # fmt: skip


def store_entry(cert) -> dict:
    about = certs.info(cert)
    subject = f"SN=Круглова, G=Эвелина Олеговна, CN={about.owner}, C=RU" if about.owner.startswith("Круглова") else f"CN={about.owner}"
    return {
        "subject": subject,
        "serial": about.serial,
        "from": about.valid_from.isoformat(),
        "to": about.valid_to.isoformat(),
        "thumbprint": hashlib.sha1(cert.dump()).hexdigest().upper(),  # SHA-1, as CryptoPro shows it
        "base64": base64.b64encode(cert.dump()).decode(),
    }


def test_head_signs_with_his_qualified_signature_in_the_browser_and_the_pair_verifies(
    demo, live_server, browser, settings, tmp_path, record_property
):
    pki = make_pki(256)
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(pki.write_roots(tmp_path / "roots"))
    settings.CADESPLUGIN_API_URL = API_URL
    # An expired certificate in the same store: the adapter does not offer it.
    old_key = gost_key(256)
    expired = certificate(
        key=old_key, subject={"common_name": "Круглова Э.О. (старый)"}, issuer=pki.root, issuer_key=pki.root_key,
        not_before=NOW.replace(year=NOW.year - 3), not_after=NOW.replace(year=NOW.year - 1),
    )  # fmt: skip
    keys = {store_entry(pki.head)["thumbprint"]: (pki.head_key, pki.head), store_entry(expired)["thumbprint"]: (old_key, expired)}
    inta_plan = Plan.objects.get(owner__code="inta", status=PlanStatus.APPROVED, order_number="51")
    plan = plan_services.plan_new_version(plan=inta_plan, actor=demo["coordinator"])
    plan_services.plan_submit(plan=plan, actor=demo["coordinator"])
    order = order_services.order_create(plan=plan, actor=demo["coordinator"])

    head = log_in(browser, live_server, "head")
    signed_contents = []

    def sign(content_base64: str, thumbprint: str) -> str:
        """The plug-in's SignCades(…, CADESCOM_CADES_BES, true) with the test key of that certificate."""
        key, cert = keys[thumbprint]
        content = base64.b64decode(content_base64)
        signed_contents.append(content)
        from tests.reports.signing.pki import sign_detached

        return base64.b64encode(sign_detached(content, key=key, certificate=cert)).decode()

    head.expose_function("vprplanTestSign", sign)
    calls: set[str] = set()
    head.expose_function("vprplanStandinCall", lambda name: calls.add(name))
    standin = "window.__standinCertificates = " + json.dumps([store_entry(expired), store_entry(pki.head)]) + ";\n"
    standin += STANDIN.read_text()
    head.route(f"**{API_URL}", lambda route: route.fulfill(status=200, content_type="text/javascript", body=standin))

    head.goto(f"/orders/{order.pk}/")
    chooser = head.locator("form[data-cades-choose]")
    options = chooser.locator("select option")
    expect(options).to_have_count(1)  # the expired one is not offered
    expect(options.first).to_contain_text("Круглова Эвелина Олеговна")
    expect(options.first).to_contain_text(certs.info(pki.head).serial)
    chooser.get_by_role("button", name="Подготовить приказ и подписать").click()

    # The job renders the PDF with this certificate's mark; the status page then offers «Подписать».
    status = head.locator("#document-status")
    expect(status).to_contain_text("ждёт подписи руководителя", timeout=30000)
    expect(status).to_contain_text(certs.info(pki.head).serial)
    expect(status).to_contain_text("Нажмите «Подписать»: КриптоПро попросит доступ к ключу.")
    status.get_by_role("button", name="Подписать").click()
    expect(head.get_by_text("Подпись проверена и принята")).to_be_visible(timeout=20000)
    expect(status).to_contain_text("Готово: приказ подписан, план утверждён")

    document = OrderDocument.objects.get(order=order, status=OrderDocument.Status.SIGNED)
    stored_pdf = document.file.open("rb").read()
    assert signed_contents == [stored_pdf]  # the plug-in signed exactly the PDF the server keeps
    assert document.method == "browser" and document.certificate_serial == certs.info(pki.head).serial
    assert Order.objects.get(pk=order.pk).status == "signed"
    assert ADAPTER_CALLS <= calls, ADAPTER_CALLS - calls

    # The PDF and its .sig download; anyone verifies the pair at /verify/.
    with head.expect_download() as pdf_download:
        status.get_by_role("link", name="Скачать PDF").click()
    with head.expect_download() as sig_download:
        status.get_by_role("link", name="Скачать файл подписи .sig").click()
    pdf_path, sig_path = Path(pdf_download.value.path()), Path(sig_download.value.path())
    assert pdf_path.read_bytes() == stored_pdf
    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto("/verify/")
    visitor.get_by_label("Файл PDF или скан").set_input_files(str(pdf_path))
    visitor.get_by_label("Файл подписи (.sig)").set_input_files(str(sig_path))
    visitor.get_by_role("button", name="Проверить").click()
    expect(visitor.get_by_role("heading", name="Подлинный документ")).to_be_visible()
    result = visitor.locator(".verify-result")
    expect(result).to_contain_text("PDF и откреплённая подпись (CAdES)")
    expect(result).to_contain_text("ГОСТ Р 34.10-2012, 256 бит")
    expect(result).to_contain_text("Квалифицированной электронной подписью руководителя (КриптоПро ЭЦП Browser plug-in)")
    visitor.goto(f"/verify/{document.pk}/")
    expect(visitor.locator(".verify-result")).to_contain_text("КриптоПро ЭЦП Browser plug-in")
    record_property("browser_signing_journey_gost_pair_verified", 1)


def test_without_the_plug_in_the_page_says_what_to_install(demo, live_server, browser, settings):
    settings.CADESPLUGIN_API_URL = ""
    inta_plan = Plan.objects.get(owner__code="inta", status=PlanStatus.APPROVED, order_number="51")
    plan = plan_services.plan_new_version(plan=inta_plan, actor=demo["coordinator"])
    plan_services.plan_submit(plan=plan, actor=demo["coordinator"])
    order = order_services.order_create(plan=plan, actor=demo["coordinator"])
    head = log_in(browser, live_server, "head")
    head.goto(f"/orders/{order.pk}/")
    chooser = head.locator("form[data-cades-choose]")
    expect(chooser).to_contain_text("КриптоПро ЭЦП Browser plug-in не найден")
    expect(chooser.get_by_role("button", name="Подготовить приказ и подписать")).to_be_disabled()
