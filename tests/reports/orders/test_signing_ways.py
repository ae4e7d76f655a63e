"""The four ways an order is signed (DESIGN §5), each end to end through the pages and services:
the head's qualified signature made in the browser (the plug-in's part stands in as the test GOST
key signing the PDF the page serves), a .sig made elsewhere, paper, and the organisation's key; the
order's history and the public page say which way; /verify/ checks a PDF with its .sig, a PDF
alone and a scan."""

import base64
import datetime as dt
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activities.choices import PlanStatus
from reports.models import OrderDocument, OrderStatus
from reports.orders import external, services
from reports.signing.cades import certs
from schools.choices import SigningMethod
from tests.reports.orders.helpers import ORDER_DAY, flat
from tests.reports.signing.pki import NOW, certificate, gost_key, make_pki, sign_detached
from vprplan.audit_log import AuditEvent

pytestmark = pytest.mark.django_db
Status = OrderDocument.Status


@pytest.fixture
def order(world, submitted_plan):
    return services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)


@pytest.fixture
def head(client, world):
    client.force_login(world.head)
    return client


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def start(head, order, **data) -> OrderDocument:
    """The head chooses a way on the order's page; the job renders the PDF (run here)."""
    response = head.post(reverse("reports:order_sign", args=[order.pk]), data)
    document = OrderDocument.objects.get(order=order, status__in=[Status.PENDING])
    assert response.status_code == 302 and response.url == reverse("reports:document_status", args=[document.pk])
    return services.order_document_render(document_id=document.pk)


def fetch_pdf(head, document) -> bytes:
    response = head.get(reverse("reports:document_pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def actions(order) -> list[str]:
    events = AuditEvent.objects.filter(object_type="reports.order", object_id=str(order.pk)).order_by("pk")
    return list(events.values_list("action", flat=True))


def test_the_order_page_offers_the_ways_the_authority_allows(head, order, authority, signing):
    page = head.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "Подписать и утвердить план" in page and "Своей квалифицированной подписью в браузере" in page
    assert "Файлом подписи из КриптоАРМ или СЭД" in page and "На бумаге" in page
    assert "js/cades-sign.js" in page
    authority.signing_methods = [SigningMethod.PAPER]
    authority.save()
    page = head.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "Подписать и утвердить план" not in page and "КриптоАРМ" not in page and "На бумаге" in page
    response = head.post(reverse("reports:order_sign", args=[order.pk]), {"method": "server"}, follow=True)
    assert "Выберите корректный вариант" in response.content.decode()
    order.refresh_from_db()
    assert order.is_draft


def test_without_trusted_roots_the_page_says_so_before_the_head_tries(head, order, settings, tmp_path, pki):
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(tmp_path / "no-roots")
    page = head.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "администратор не загрузил корневые сертификаты" in page
    assert "на бумаге или ключом органа на сервере" in page
    assert 'class="secondary" disabled>Подготовить PDF для подписи' in page
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(pki.write_roots(tmp_path / "roots"))
    page = head.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "не загрузил корневые сертификаты" not in page
    assert 'class="secondary">Подготовить PDF для подписи' in page


def test_browser_way_mark_from_the_chosen_certificate_signature_verified_pdf_and_sig_kept(
    head, world, order, trusted_roots, pki, record_property
):
    chosen = base64.b64encode(pki.head.dump()).decode()  # what the plug-in's Export(BASE64) gives
    document = start(head, order, method="browser", certificate=chosen)
    assert document.status == Status.AWAITING_SIGNATURE and document.method == SigningMethod.BROWSER
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNING and order.number and order.date  # registered
    pdf = fetch_pdf(head, document)
    text = pdf_text(pdf)
    serial = certs.info(pki.head).serial
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text and serial in text.replace(" ", "")
    assert "Круглова Эвелина Олеговна" in text
    status = head.get(reverse("reports:document_status", args=[document.pk])).content.decode()
    assert "data-cades-sign" in status and f'data-serial="{serial}"' in status

    signature = pki.sign(pdf)  # the plug-in's SignCades(…, CADESCOM_CADES_BES, true)
    response = head.post(
        reverse("reports:document_signature", args=[document.pk]), {"signature": base64.b64encode(signature).decode()}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    order.refresh_from_db()
    assert document.status == Status.SIGNED and order.status == OrderStatus.SIGNED
    assert order.plan.status == PlanStatus.APPROVED and order.plan.approval_text
    assert document.signature.open("rb").read() == signature and document.file.open("rb").read() == pdf
    assert document.signer.endswith("ГОСТ Р 34.10-2012, 256 бит")
    assert actions(order)[-3:] == ["order.sign_requested", "order.ready_for_signature", "order.signed"]
    public = head.get(reverse("reports:verify_document", args=[document.pk])).content.decode()
    assert "Квалифицированной электронной подписью руководителя (КриптоПро ЭЦП Browser plug-in)" in public
    assert reverse("reports:document_signature_download", args=[document.pk]) in public
    history = head.get(reverse("reports:order_detail", args=[order.pk])).content.decode()
    assert "Подписан квалифицированной электронной подписью руководителя (КриптоПро ЭЦП Browser plug-in)" in history
    record_property("signing_way_browser_end_to_end", 1)


def test_browser_way_refuses_a_signature_of_another_certificate_than_the_mark(head, order, trusted_roots, pki):
    document = start(head, order, method="browser", certificate=base64.b64encode(pki.head.dump()).decode())
    pdf = fetch_pdf(head, document)
    other_key = gost_key(256)
    other = certificate(
        key=other_key, subject={"common_name": "Заместитель"}, issuer=pki.root, issuer_key=pki.root_key,
        not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=30),
    )  # fmt: skip
    signature = sign_detached(pdf, key=other_key, certificate=other)
    page = head.post(
        reverse("reports:document_signature", args=[document.pk]),
        {"signature": base64.b64encode(signature).decode()},
        follow=True,
    ).content.decode()
    assert "Подпись не принята: Подпись сделана другим сертификатом" in page
    document.refresh_from_db()
    assert document.status == Status.AWAITING_SIGNATURE and not document.signature
    assert actions(order)[-1] == "order.signature_refused"
    journal = head.get("/audit/").content.decode()  # «Журнал действий» says it in words
    assert "Подпись приказа не прошла проверку" in journal and "причина отказа: Подпись сделана другим" in journal
    assert "способ подписи: своей подписью в браузере" in journal and "other_certificate" not in journal


def test_a_certificate_of_an_unknown_root_is_refused_before_anything_is_rendered(head, order, trusted_roots):
    stranger = make_pki(256)
    page = head.post(
        reverse("reports:order_sign", args=[order.pk]),
        {"method": "browser", "certificate": base64.b64encode(stranger.head.dump()).decode()},
        follow=True,
    ).content.decode()
    assert "удостоверяющим центром, которому эта система не доверяет" in page
    order.refresh_from_db()
    assert order.is_draft and not order.number and not OrderDocument.objects.filter(order=order).exists()


def test_detached_way_sig_from_kriptoarm_refused_when_wrong_accepted_when_right(
    head, order, trusted_roots, pki, record_property
):
    upload = SimpleUploadedFile("kruglova.cer", pki.head.dump(), "application/pkix-cert")
    document = start(head, order, method="detached", certificate_file=upload)
    assert document.status == Status.AWAITING_SIGNATURE and document.method == SigningMethod.DETACHED
    pdf = fetch_pdf(head, document)
    url = reverse("reports:document_signature", args=[document.pk])

    def send(signature: bytes) -> str:
        file = SimpleUploadedFile("prikaz.pdf.sig", signature, "application/pkcs7-signature")
        return head.post(url, {"signature_file": file}, follow=True).content.decode()

    changed = bytearray(pdf)
    changed[len(pdf) // 2] ^= 0x01
    assert "файл изменён после подписания" in send(pki.sign(bytes(changed)))
    assert "не читается" in send(b"<html>not a signature</html>")
    document.refresh_from_db()
    assert document.status == Status.AWAITING_SIGNATURE
    page = send(base64.encodebytes(pki.sign(pdf)))  # КриптоАРМ's «Base64» option
    assert "Подпись проверена и принята" in page
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.method == SigningMethod.DETACHED
    assert actions(order).count("order.signature_refused") == 2
    record_property("signing_way_detached_end_to_end", 1)


def scan_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (600, 850), 255).save(out, format="PNG")
    return out.getvalue()


def test_paper_way_printed_with_the_signature_place_scan_checked_and_published(
    head, client, order, signing, record_property
):
    document = start(head, order, method="paper")
    assert document.status == Status.AWAITING_SCAN
    text = pdf_text(fetch_pdf(head, document))
    assert "(подпись)" in text and "ДОКУМЕНТ ПОДПИСАН" not in text
    order.refresh_from_db()
    assert order.number in text  # registered: the number is printed
    url = reverse("reports:document_scan", args=[document.pk])
    fake = SimpleUploadedFile("skan.png", b"<html><script>alert(1)</script></html>", "image/png")
    page = head.post(url, {"scan": fake}, follow=True).content.decode()
    assert "веб-страница или скрипт" in page
    scan = scan_png()
    page = head.post(url, {"scan": SimpleUploadedFile("skan.png", scan, "image/png")}, follow=True).content.decode()
    assert "Скан принят" in page
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.scan.open("rb").read() == scan
    assert document.order.plan.status == PlanStatus.APPROVED
    client.logout()
    public = client.get(reverse("reports:public_plan_list", args=[order.organization.code])).content.decode()
    assert reverse("reports:document_scan_download", args=[document.pk]) in public
    assert "собственноручной подписью на бумаге" in public
    downloaded = client.get(reverse("reports:document_scan_download", args=[document.pk]))
    assert b"".join(downloaded.streaming_content) == scan and downloaded["Content-Type"] == "image/png"
    page = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("x.png", scan, "image/png")}).content.decode()
    assert "Подлинный документ" in page and "скан подписанного на бумаге оригинала" in page
    record_property("signing_way_paper_end_to_end", 1)


def test_server_way_is_todays_pades_and_says_so(head, client, order, signing, record_property):
    document = start(head, order, method="server")
    assert document.status == Status.SIGNED and document.method == SigningMethod.SERVER
    client.logout()
    public = client.get(reverse("reports:verify_document", args=[document.pk])).content.decode()
    assert "Электронной подписью органа управления образованием (ключ на сервере)" in public
    page = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("p.pdf", document.file.open("rb").read(), "application/pdf")}
    ).content.decode()
    assert "Подлинный документ" in page and "PDF с подписью внутри (PAdES)" in page
    record_property("signing_way_server_end_to_end", 1)


def test_cancel_gives_the_number_back_and_the_order_is_a_draft_again(head, order, signing):
    document = start(head, order, method="paper")
    response = head.post(reverse("reports:document_cancel", args=[document.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    document.refresh_from_db()
    assert order.is_draft and not order.number and document.status == Status.FAILED
    assert actions(order)[-1] == "order.sign_cancelled"


@pytest.fixture
def signed_with_sig(head, world, order, trusted_roots, pki):
    document = start(head, order, method="browser", certificate=base64.b64encode(pki.head.dump()).decode())
    pdf = fetch_pdf(head, document)
    signature = pki.sign(pdf)
    external.order_document_attach_signature(document=document, actor=world.head, signature=signature)
    return document, pdf, signature


def verify(client, pdf: bytes, signature: bytes | None = None) -> str:
    data = {"file": SimpleUploadedFile("prikaz.pdf", pdf, "application/pdf")}
    if signature is not None:
        data["signature"] = SimpleUploadedFile("prikaz.pdf.sig", signature, "application/octet-stream")
    response = client.post(reverse("reports:verify"), data)
    assert response.status_code == 200
    return response.content.decode()


def test_verify_a_pdf_and_its_gost_sig_through_the_page(client, signed_with_sig, pki, record_property):
    document, pdf, signature = signed_with_sig
    client.logout()
    page = verify(client, pdf, signature)
    assert "Подлинный документ" in page and "PDF и откреплённая подпись (CAdES)" in page
    assert "Круглова Эвелина Олеговна" in page and "ГОСТ Р 34.10-2012, 256 бит" in page
    assert document.order.requisites in page and "действительна" in page
    changed = bytearray(pdf)
    changed[len(pdf) // 3] ^= 0x01
    page = verify(client, bytes(changed), signature)
    assert "Документ изменён" in page and "файл изменён после подписания" in page
    page = verify(client, pdf)  # the PDF alone: the original, its signature in the .sig
    assert "Подлинный документ" in page and "подпись приказа — в отдельном файле .sig" in page
    # A valid GOST signature over a file this system never issued.
    other = b"%PDF-1.4\n% another document\n%%EOF\n"
    page = verify(client, other, pki.sign(other))
    assert "Не подтверждено" in page and "выпущен не в этой системе" in page
    page = verify(client, pdf, b"garbage")
    assert "Не подтверждено" in page and "Файл подписи не читается" in page
    record_property("verify_pdf_and_gost_sig_through_view", 1)


def test_render_order_says_an_order_waits_for_the_heads_signature(head, order, signing, tmp_path):
    from django.core.management import CommandError, call_command

    start(head, order, method="paper")
    with pytest.raises(CommandError, match="Приказ ждёт подписи руководителя \\(на бумаге"):
        call_command("render_order", str(order.pk), "--out", str(tmp_path / "x.pdf"))
