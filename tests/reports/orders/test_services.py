"""Orders as services: the prefill, the register, signing (which approves the plan), immutability,
the job and its failure, the render_order command and the .docx twin."""

import hashlib
import io
from datetime import date

import docx
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from activities.choices import PlanStatus
from reports.models import OrderDocument, OrderStatus
from reports.orders import services
from reports.orders.prefill import title_genitive
from reports.orders.render import order_context, qr_data_uri
from reports.signing import signer_for
from tests.reports.orders.helpers import ORDER_DAY
from vprplan.errors import DomainError
from vprplan.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


def test_a_new_order_is_prefilled_from_the_plan_and_the_authority(world, submitted_plan, authority):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    assert order.status == OrderStatus.DRAFT and order.number == "1" and order.year == 2025
    assert order.title.startswith("Об утверждении Плана мероприятий («Дорожной карты») по обеспечению")
    assert order.authority_name == authority.full_name and order.place == "г. Первый"
    assert order.authority_genitive == "Управления образования администрации МР 1"
    assert (order.signatory_position, order.signatory_name) == ("Начальник", "А.Б. Руководитель")
    assert order.clauses[0].startswith(f"Утвердить {submitted_plan.title}")
    assert order.executor_phone == authority.phone
    assert order.distribution.startswith("1 – в дело\n2 – ")  # the municipality's two schools
    assert (
        order.approval_text
        == "УТВЕРЖДЕН приказом Управления образования администрации МР 1 от 01.10.2025 № 1"
    )


def test_the_next_order_reuses_what_the_last_one_said_and_takes_the_next_number(world, submitted_plan):
    first = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    services.order_update(
        order=first, actor=world.coordinator, kind_local="ТШӦКТӦД", preamble="На основании …", number="41"
    )
    second = services.order_create(plan=submitted_plan, actor=world.head, on=ORDER_DAY)
    assert second.number == "42" and second.kind_local == "ТШӦКТӦД" and second.preamble == "На основании …"


def test_the_authoritys_second_language_word_for_order_comes_first(world, submitted_plan, authority):
    assert services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY).kind_local == ""
    authority.order_kind_local = "ТШӦКТӦД"
    authority.save()
    assert (
        services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY).kind_local
        == "ТШӦКТӦД"
    )


def test_numbers_are_unique_per_authority_and_year(world, submitted_plan):
    first = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    second = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    with pytest.raises(DomainError, match="уже есть в реестре приказов 2025 года"):
        services.order_update(order=second, actor=world.coordinator, number=first.number)
    services.order_update(order=second, actor=world.coordinator, number=first.number, date=date(2026, 1, 9))
    assert second.year == 2026


def test_genitive_of_the_usual_titles():
    assert (
        title_genitive("План мероприятий («Дорожная карта») по …")
        == "Плана мероприятий («Дорожной карты») по …"
    )
    assert title_genitive("Дорожная карта по …") == "Дорожной карты по …"


def test_signing_approves_the_submitted_plan_with_the_order_as_its_approval(
    world, submitted_plan, signing, django_capture_on_commit_callbacks
):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.order_sign(order=order, actor=world.head)
        assert document.status == OrderDocument.Status.PENDING
    job = Job.objects.get(pk=document.job_id)
    assert job.task == services.RENDER_TASK and job.args == [str(document.pk)]
    document.refresh_from_db()
    order.refresh_from_db()
    submitted_plan.refresh_from_db()
    assert document.status == OrderDocument.Status.SIGNED, document.error
    assert order.status == OrderStatus.SIGNED and order.signed_by == world.head
    assert submitted_plan.status == PlanStatus.APPROVED
    assert submitted_plan.approved_on == ORDER_DAY
    assert submitted_plan.approval_text == order.approval_text
    assert (submitted_plan.order_number, submitted_plan.order_date) == (order.number, ORDER_DAY)
    data = document.file.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
    assert document.certificate_owner == "Круглова Эвелина Олеговна" and document.pages >= 2


def test_an_approved_plan_is_only_linked(world, submitted_plan, signing):
    submitted_plan.status = PlanStatus.APPROVED
    submitted_plan.approval_text = "УТВЕРЖДЕН приказом от 01.09.2025 № 7"
    submitted_plan.approved_on, submitted_plan.order_number = date(2025, 9, 1), "7"
    submitted_plan.save()
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = services.order_sign(order=order, actor=world.head, now=True)
    submitted_plan.refresh_from_db()
    assert document.is_signed and order.plan_id == submitted_plan.pk
    assert submitted_plan.approval_text == "УТВЕРЖДЕН приказом от 01.09.2025 № 7"
    assert (submitted_plan.approved_on, submitted_plan.order_number) == (date(2025, 9, 1), "7")


def test_a_signed_document_and_order_never_change_a_correction_is_a_new_order(world, submitted_plan, signing):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = services.order_sign(order=order, actor=world.head, now=True)
    order.refresh_from_db()
    document.error = "x"
    with pytest.raises(ValueError, match="не изменяется"):
        document.save()
    with pytest.raises(DomainError):
        services.order_update(order=order, actor=world.coordinator, title="Другое")
    with pytest.raises(DomainError):
        services.order_sign(order=order, actor=world.head)
    correction = services.order_revise(order=order, actor=world.coordinator)
    assert correction.is_draft and correction.replaces == order
    assert (correction.year, correction.number) != (order.year, order.number)
    assert correction.clauses == order.clauses


def test_without_a_certificate_nothing_is_queued(world, submitted_plan, settings, tmp_path):
    settings.SIGNING_PKCS12_DIR, settings.SIGNING_PKCS12_PATH = tmp_path, ""
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    with pytest.raises(DomainError, match="не настроен"):
        services.order_sign(order=order, actor=world.head)
    order.refresh_from_db()
    assert order.is_draft and not OrderDocument.objects.exists() and not Job.objects.exists()


def test_a_plan_returned_before_the_job_ran_fails_the_document_and_the_head_can_sign_again(
    world, submitted_plan, signing
):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = services.order_sign(order=order, actor=world.head)  # the job waits (no commit here)
    submitted_plan.status = PlanStatus.DRAFT
    submitted_plan.save()
    document = services.order_document_render(document_id=document.pk)
    order.refresh_from_db()
    assert document.status == OrderDocument.Status.FAILED and "доработку" in document.error
    assert order.is_draft and not document.file
    assert services.order_document_render(document_id=document.pk).status == OrderDocument.Status.FAILED
    # The failure is in the municipality's audit log («Журнал действий» filters by organisation).
    failed = AuditEvent.objects.get(action="order.sign_failed", object_id=str(order.pk))
    assert failed.organization == world.m1 and failed.actor == world.head


def test_the_job_runs_once(world, submitted_plan, signing):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = services.order_sign(order=order, actor=world.head, now=True)
    again = services.order_document_render(document_id=document.pk)
    assert again.sha256 == document.sha256 and OrderDocument.objects.count() == 1


def test_the_qr_code_encodes_this_documents_verification_page(world, submitted_plan, signing):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = OrderDocument.objects.create(order=order)
    with override_settings(SITE_URL="https://vpr.example.ru"):
        context = order_context(
            order, document_id=document.pk, certificate=signer_for(order.plan.owner.authority).certificate()
        )
    assert context["verify_url"] == f"https://vpr.example.ru/verify/{document.pk}/"
    assert context["qr"] == qr_data_uri(context["verify_url"])


def test_render_order_command_signs_once_and_then_writes_the_stored_pdf(
    world, submitted_plan, signing, tmp_path
):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    out = tmp_path / "order.pdf"
    stdout = io.StringIO()
    call_command("render_order", str(order.pk), "--out", str(out), stdout=stdout)
    first = out.read_bytes()
    assert first.startswith(b"%PDF") and "подписан" in stdout.getvalue()
    call_command("render_order", str(order.pk), "--out", str(out), stdout=io.StringIO())
    assert out.read_bytes() == first
    with pytest.raises(CommandError, match="нет"):
        call_command("render_order", "999999", "--out", str(out))


def test_the_order_exports_to_docx_with_its_appendix(world, submitted_plan, client):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    client.force_login(world.coordinator)
    response = client.get(f"/orders/{order.pk}/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "П Р И К А З" in text and "П Р И К А З Ы В А Ю:" in text and order.title in text
    assert f"1. {order.clauses[0]}" in text
    assert (
        f"Приложение\nУТВЕРЖДЕН\nприказом {order.authority_genitive}\n{order.requisites}" in text
    )  # one block
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert {
        "Анализ итогов ВПР 2025 года",
        "Совещание с руководителями ОО",
        "Общественное наблюдение",
    } <= cells
    landscape = document.sections[-1]
    assert landscape.page_width > landscape.page_height and round(document.sections[0].left_margin.mm) == 30
