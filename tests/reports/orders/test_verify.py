"""/verify/: anyone uploads a PDF and learns whether it is a signed original of this system (which
order, signed by whom, when) or was altered; pyHanko's verdict and the stored SHA-256 must agree."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from reports.orders import services
from reports.signing.demo import make_pkcs12
from reports.signing.pades import PadesSigner
from tests.reports.orders.helpers import ORDER_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world, submitted_plan, signing):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = services.order_sign(order=order, actor=world.head, now=True)
    assert document.is_signed, document.error
    return document


def upload(client, data: bytes, name: str = "prikaz.pdf") -> str:
    response = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile(name, data, "application/pdf")}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_verification_page_needs_no_login(client):
    client.logout()
    page = client.get(reverse("reports:verify")).content.decode()
    assert "Проверка подлинности документа" in page and 'type="file"' in page


def test_the_signed_original_is_recognised_with_its_order_signer_and_time(client, signed):
    page = upload(client, signed.file.open("rb").read())
    assert "Подлинный документ" in page
    assert f"{signed.order.requisites}" in page and signed.order.title in page
    assert "Круглова Эвелина Олеговна" in page and signed.certificate_serial in page
    assert f"{signed.signed_at.astimezone():%d.%m.%Y}" in page
    assert reverse("reports:verify_document", args=[signed.pk]) in page


def test_a_copy_with_one_byte_changed_is_not_the_original(client, signed):
    original = signed.file.open("rb").read()
    changed = bytearray(original)
    changed[original.index(b"stream", 1000) + 50] ^= 0x01
    page = upload(client, bytes(changed))
    assert "Подлинный документ" not in page
    assert "Документ изменён" in page and "изменено после подписания" in page
    assert signed.order.requisites in page  # and which original it claims to be


def test_a_file_with_bytes_appended_after_signing_is_not_the_original(client, signed):
    original = signed.file.open("rb").read()
    page = upload(client, original + b"\n% appended\n")
    assert "Подлинный документ" not in page and "Документ изменён" in page


def test_an_unsigned_pdf_and_a_pdf_signed_elsewhere_are_not_confirmed(client, signed, tmp_path):
    plain = HTML(string="<p>Приказ № 1</p>").write_pdf()
    page = upload(client, plain)
    assert "Не подтверждено" in page and "нет электронной подписи" in page
    stranger = tmp_path / "stranger.p12"
    stranger.write_bytes(make_pkcs12(owner="Посторонний Пётр Петрович"))
    foreign = PadesSigner(path=stranger).sign(plain, reason="тест", location="г. Где-то")
    page = upload(client, foreign)
    assert "Не подтверждено" in page and "не выпущен в этой системе" in page
    # The same document signed with a foreign key that copies nothing of ours is no original either.
    page = upload(
        client, PadesSigner(path=stranger).sign(signed.file.open("rb").read(), reason="x", location="y")
    )
    assert "Подлинный документ" not in page


def test_what_is_not_a_pdf_is_refused_with_a_message(client):
    response = client.post(
        reverse("reports:verify"), {"file": SimpleUploadedFile("prikaz.docx", b"PK\x03\x04 not a pdf")}
    )
    assert response.status_code == 200 and "Это не PDF" in response.content.decode()


def test_the_qr_codes_page_shows_the_record(client, signed):
    client.logout()
    page = client.get(reverse("reports:verify_document", args=[signed.pk])).content.decode()
    assert signed.order.title in page and signed.sha256 in page and signed.certificate_serial in page
    assert reverse("reports:document_download", args=[signed.pk]) in page
