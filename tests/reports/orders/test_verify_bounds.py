"""/verify/ does bounded work on any file: a signed order with 2,000 extra signature fields
pointing at its signature is refused after counting them (not validated 2,000 times), a signature
without signed attributes is answered in Russian, and the CPU of the worst request is measured."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.reports.orders import hostile_pdfs
from tests.reports.orders.test_verify import signed  # noqa: F401

pytestmark = pytest.mark.django_db


def post(client, data: bytes) -> tuple[int, str, float]:
    started = time.process_time()
    response = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("prikaz.pdf", data)})
    return response.status_code, response.content.decode(), time.process_time() - started


def test_many_signature_fields_pointing_at_one_signature_are_refused_quickly(
    client,
    signed,  # noqa: F811
    record_property,
):
    original = signed.file.open("rb").read()
    hostile = hostile_pdfs.with_extra_signature_fields(original, 2000)
    status, page, cpu = post(client, hostile)
    assert status == 200
    assert "В файле больше 3 подписей" in page and "Подлинный документ" not in page
    assert cpu < 3.0
    # A few fields are still within the limit: checked, and not taken for the original.
    status, few_page, few_cpu = post(client, hostile_pdfs.with_extra_signature_fields(original, 2))
    assert (
        status == 200
        and "Подлинный документ" not in few_page
        and "подписей" not in few_page.split("<main")[0]
    )
    status, good_page, good_cpu = post(client, original)
    assert "Подлинный документ" in good_page
    record_property("verify_multisignature_pdf_bytes", len(hostile))
    record_property("verify_multisignature_cpu_seconds", round(cpu, 3))
    record_property("verify_three_signatures_cpu_seconds", round(few_cpu, 3))
    record_property("verify_original_cpu_seconds", round(good_cpu, 3))


def test_a_signer_info_without_signed_attributes_gets_a_russian_answer(client, signed):  # noqa: F811
    hostile = hostile_pdfs.without_signed_attributes(signed.file.open("rb").read())
    status, page, _cpu = post(client, hostile)
    assert status == 200
    assert "Подлинный документ" not in page
    assert "Документ подписан, но не выпущен" in page or "не читается" in page or "изменён" in page
