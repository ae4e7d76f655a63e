"""Property: /verify/ answers every malformed PDF (a signed order truncated, with bytes flipped, with
extra signature fields, without signed attributes; PDF-looking garbage) below 500, in Russian,
writes nothing, and never spends long on one. VPRPLAN_FUZZ_EXAMPLES cases (150 by default)."""

import re
import time
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reports.models import OrderDocument
from tests.reports.orders import hostile_pdfs
from tests.reports.orders.test_verify import signed  # noqa: F401
from tests.security_uploads import hostile
from tests.security_uploads.test_fuzz_importers import FUZZ, state
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

VERDICTS = re.compile(r"Подлинный документ|Документ изменён|не выпущен в этой системе|нет электронной подписи|"
                      r"не читается|Это не PDF|подписей|пуст|повреждён")  # fmt: skip


@st.composite
def malformed_pdf(draw, original: bytes) -> bytes:
    base = draw(st.sampled_from(["signed", "signed", "tiny", "garbage"]))
    if base == "signed":
        data = original
        extra = draw(st.sampled_from([0, 0, 1, 2, 3, 5, 50]))
        if extra:
            data = hostile_pdfs.with_extra_signature_fields(data, extra)
        if draw(st.integers(0, 4)) == 0:
            data = hostile_pdfs.without_signed_attributes(data)
    elif base == "tiny":
        data = hostile.tiny_pdf(draw(st.text(st.characters(max_codepoint=255), max_size=20)))
    else:
        data = b"%PDF-1." + draw(st.binary(max_size=2000))
    damage = draw(st.sampled_from(["none", "truncate", "flip", "append", "cut middle"]))
    if damage == "truncate":
        data = data[: draw(st.integers(5, len(data)))]
    elif damage == "flip":
        changed = bytearray(data)
        for _ in range(draw(st.integers(1, 16))):
            changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
        data = bytes(changed)
    elif damage == "append":
        data += draw(st.binary(max_size=500))
    elif damage == "cut middle":
        start = draw(st.integers(0, len(data) - 1))
        data = data[:start] + data[start + draw(st.integers(1, 5000)) :]
    return data


def test_malformed_pdfs_get_a_russian_verdict_and_nothing_is_written(
    client,
    signed,  # noqa: F811
    record_property,
):
    original = signed.file.open("rb").read()
    tally, worst = Counter(), [0.0]
    before = {**state(), "documents": OrderDocument.objects.count(), "audit": AuditEvent.objects.count()}

    @FUZZ
    @given(data=malformed_pdf(original))
    def case(data):
        tally["cases"] += 1
        started = time.process_time()
        response = client.post(reverse("reports:verify"), {"file": SimpleUploadedFile("prikaz.pdf", data)})
        worst[0] = max(worst[0], time.process_time() - started)
        if response.status_code >= 500:
            tally["crashes"] += 1
        assert response.status_code == 200
        assert VERDICTS.search(response.content.decode()), "no verdict on the page"
        tally["original" if "Подлинный документ" in response.content.decode() else "not original"] += 1

    case()
    after = {**state(), "documents": OrderDocument.objects.count(), "audit": AuditEvent.objects.count()}
    assert after == before
    assert tally["crashes"] == 0 and tally["cases"] >= 50
    record_property("fuzz_verify_cases", tally["cases"])
    record_property("fuzz_verify_crashes", tally["crashes"])
    record_property("fuzz_verify_rows_written", sum(after.values()) - sum(before.values()))
    record_property("fuzz_verify_worst_request_cpu_seconds", round(worst[0], 3))


@st.composite
def malformed_signature(draw, good: bytes) -> bytes:
    base = draw(st.sampled_from(["good", "good", "good", "garbage", "base64"]))
    data = {"good": good, "garbage": b"\x30" + draw(st.binary(max_size=800))}.get(base)
    if base == "base64":
        import base64

        data = base64.encodebytes(good)
    damage = draw(st.sampled_from(["none", "truncate", "flip", "append"]))
    if damage == "truncate":
        data = data[: draw(st.integers(1, len(data)))]
    elif damage == "flip":
        changed = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            changed[draw(st.integers(0, len(changed) - 1))] = draw(st.integers(0, 255))
        data = bytes(changed)
    elif damage == "append":
        data += draw(st.binary(max_size=200))
    return data


SIG_VERDICTS = re.compile(r"Подлинный документ|Документ изменён|Не подтверждено")


def test_malformed_detached_signatures_get_a_russian_verdict_and_nothing_is_written(
    client, settings, tmp_path, record_property
):
    """The .sig beside a PDF, fuzzed: a ГОСТ signature of the test authority truncated, with bytes
    flipped or appended, in Base64, or garbage; never a crash, always a verdict, nothing written."""
    from tests.reports.signing.pki import make_pki

    pki = make_pki(256)
    settings.SIGNING_TRUSTED_ROOTS_DIR = str(pki.write_roots(tmp_path / "roots"))
    pdf = hostile.tiny_pdf("prikaz")
    good = pki.sign(pdf)
    tally, worst = Counter(), [0.0]
    before = {**state(), "documents": OrderDocument.objects.count(), "audit": AuditEvent.objects.count()}

    @FUZZ
    @given(signature=malformed_signature(good))
    def case(signature):
        tally["cases"] += 1
        started = time.process_time()
        response = client.post(
            reverse("reports:verify"),
            {"file": SimpleUploadedFile("prikaz.pdf", pdf), "signature": SimpleUploadedFile("prikaz.sig", signature)},
        )
        worst[0] = max(worst[0], time.process_time() - started)
        if response.status_code >= 500:
            tally["crashes"] += 1
        assert response.status_code == 200
        page = response.content.decode()
        assert SIG_VERDICTS.search(page), "no verdict on the page"
        tally["valid" if "Подпись действительна" in page else "refused"] += 1

    case()
    after = {**state(), "documents": OrderDocument.objects.count(), "audit": AuditEvent.objects.count()}
    assert after == before
    assert tally["crashes"] == 0 and tally["cases"] >= 50 and tally["refused"] > 0
    record_property("fuzz_verify_sig_cases", tally["cases"])
    record_property("fuzz_verify_sig_crashes", tally["crashes"])
    record_property("fuzz_verify_sig_worst_request_cpu_seconds", round(worst[0], 3))
