"""Ticking off with evidence, review, and what an evidence file may be."""

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from activities import services
from activities.choices import ExecutionStatus, ReviewStatus
from activities.evidence import EvidenceRejected, check_evidence_file
from activities.models import Evidence
from tests.activities.conftest import (
    docx_bytes,
    execution_of,
    image_bytes,
    plain_zip,
    tiny_pdf,
    upload,
    xlsx_bytes,
)
from vprplan.errors import DomainError
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_school_ticks_off_with_a_file_and_the_coordinator_accepts(world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(
        execution=e, actor=world.school, comment="Приказ № 12 от 01.10.2025", files=[pdf_file]
    )
    e.refresh_from_db()
    assert (e.status, e.review_status, e.completed_by) == (ExecutionStatus.DONE, "", world.school)
    evidence = Evidence.objects.get(execution=e)
    assert evidence.content_type == "application/pdf" and evidence.size == len(tiny_pdf())
    assert evidence.original_name == "Приказ ОО № 12.pdf"
    assert evidence.file.name.startswith("evidence/") and "Приказ" not in evidence.file.name  # a random name
    assert default_storage.exists(evidence.file.name)
    services.execution_review(execution=e, actor=world.coordinator, decision="accept", comment="Спасибо")
    e.refresh_from_db()
    assert (e.review_status, e.reviewed_by, e.review_comment) == (
        ReviewStatus.ACCEPTED,
        world.coordinator,
        "Спасибо",
    )
    assert list(
        AuditEvent.objects.filter(object_type="activities.execution", object_id=str(e.pk)).values_list(
            "action", flat=True
        )
    ) == [
        "execution.accepted",
        "execution.completed",
    ]
    with pytest.raises(DomainError, match="уже принято"):
        services.execution_complete(execution=e, actor=world.school, comment="ещё раз")


def test_returned_work_shows_why_and_comes_back_through_resubmission(world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=e, actor=world.school, comment="Сделано")
    with pytest.raises(DomainError, match="что нужно исправить"):
        services.execution_review(execution=e, actor=world.coordinator, decision="return", comment="  ")
    services.execution_review(execution=e, actor=world.coordinator, decision="return", comment="Нет приказа")
    e.refresh_from_db()
    assert (e.status, e.review_status, e.review_comment) == (
        ExecutionStatus.IN_PROGRESS,
        "returned",
        "Нет приказа",
    )
    with pytest.raises(DomainError, match="отправленное на проверку"):
        services.execution_review(execution=e, actor=world.coordinator, decision="accept")
    services.execution_complete(execution=e, actor=world.school, comment="Приказ приложен", files=[pdf_file])
    e.refresh_from_db()
    assert (e.status, e.review_status) == (ExecutionStatus.DONE, "")
    assert AuditEvent.objects.filter(
        object_type="activities.execution", object_id=str(e.pk), action="execution.resubmitted"
    ).exists()


def test_required_evidence_blocks_done_with_a_clear_message(world, approved, pdf_file):
    e = execution_of(approved, "1.2", world.s1)
    assert e.activity.evidence_required
    with pytest.raises(DomainError, match=r"Приложите подтверждающий документ \(Протокол\)"):
        services.execution_complete(execution=e, actor=world.school, comment="Проведено")
    e.refresh_from_db()
    assert e.status == ExecutionStatus.NOT_STARTED
    # A file saved with «in progress» counts later.
    services.execution_start(execution=e, actor=world.school, comment="Протокол", files=[pdf_file])
    services.execution_complete(execution=e, actor=world.school, comment="Проведено")
    e.refresh_from_db()
    assert e.status == ExecutionStatus.DONE


def test_the_authoritys_own_work_is_not_reviewed(world, approved):
    e = execution_of(approved, "1.3", world.m1)
    services.execution_complete(execution=e, actor=world.coordinator)
    with pytest.raises(DomainError, match="не проверяются"):
        services.execution_review(execution=e, actor=world.coordinator, decision="accept")


def test_evidence_is_removed_only_before_the_report_is_sent(world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_start(execution=e, actor=world.school, files=[pdf_file])
    evidence = Evidence.objects.get(execution=e)
    services.execution_complete(execution=e, actor=world.school)
    with pytest.raises(DomainError, match="уже отправлен"):
        services.evidence_delete(evidence=evidence, actor=world.school)
    services.execution_start(execution=e, actor=world.school)  # take it back
    services.evidence_delete(evidence=evidence, actor=world.school)
    assert not Evidence.objects.filter(execution=e).exists()


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("скан.pdf", tiny_pdf(), "pdf"),
        ("фото.jpg", image_bytes("JPEG"), "jpg"),
        ("фото.JPEG", image_bytes("JPEG"), "jpg"),
        ("схема.png", image_bytes("PNG"), "png"),
        ("приказ.docx", docx_bytes(), "docx"),
        ("листы.xlsx", xlsx_bytes(), "xlsx"),
    ],
)
def test_real_files_of_every_allowed_type_pass(name, content, kind):
    assert check_evidence_file(upload(name, content)).kind == kind


@pytest.mark.parametrize(
    "name, content, why",
    [
        ("вирус.exe", b"MZ\x90\x00" + b"\x00" * 100, "это не"),
        ("скан.pdf", b"MZ\x90\x00" + b"\x00" * 100, "это не"),  # an executable named .pdf
        ("скан.pdf", image_bytes("PNG"), "расширение другое"),  # content and name disagree
        ("обрезан.pdf", tiny_pdf()[:40], "повреждён"),  # no %%EOF: a broken upload
        ("битое.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "повреждён"),
        ("архив.docx", plain_zip(), "это не"),  # a zip, but not a Word document
        ("page.html", b"<html><script>alert(1)</script></html>", "это не"),
        ("пусто.pdf", b"", "пустой"),
    ],
)
def test_files_are_judged_by_content_not_by_name(name, content, why):
    with pytest.raises(EvidenceRejected, match=why):
        check_evidence_file(upload(name, content))


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_size_limit_is_checked_before_anything_is_stored(world, approved):
    e = execution_of(approved, "1.1", world.s1)
    big = upload("большой.pdf", tiny_pdf("x" * 2000))
    with pytest.raises(EvidenceRejected, match="больше 1,0"):
        services.execution_complete(execution=e, actor=world.school, files=[big])
    assert not Evidence.objects.exists()
    e.refresh_from_db()
    assert e.status == ExecutionStatus.NOT_STARTED


@override_settings(EVIDENCE_ALLOWED_TYPES=["pdf"])
def test_allowed_types_come_from_the_settings():
    with pytest.raises(EvidenceRejected, match="это не PDF"):
        check_evidence_file(upload("фото.png", image_bytes("PNG")))


def test_a_rejected_file_in_a_batch_stores_none_of_them(world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    with pytest.raises(EvidenceRejected):
        services.execution_complete(
            execution=e, actor=world.school, files=[pdf_file, upload("x.pdf", b"not a pdf at all")]
        )
    assert not Evidence.objects.exists()


def test_calendar_feed_token_is_replaced(world):
    first = services.calendar_feed_get(user=world.school)
    assert services.calendar_feed_get(user=world.school).token == first.token
    second = services.calendar_feed_reset(user=world.school)
    assert second.token != first.token and len(second.token) >= 40
