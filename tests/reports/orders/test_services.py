"""Orders as services: the prefill, the register, signing (which approves the plan), immutability,
the job and its failure, the render_order command and the .docx twin."""

import hashlib
import io
from datetime import UTC, date, datetime
from unittest import mock

import docx
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from activities.choices import PlanStatus
from activities.services import plan_new_version, plan_submit
from reports.models import Order, OrderDocument, OrderStatus
from reports.orders import services
from reports.orders.prefill import title_genitive
from reports.orders.render import order_context, qr_data_uri
from reports.signing import signer_for
from tests.reports.orders.helpers import ORDER_DAY
from vprplan.errors import DomainError
from vprplan.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


def today_in(org):
    return timezone.localdate(timezone=org.tz)


def test_a_new_order_is_prefilled_from_the_plan_and_the_authority(world, submitted_plan, authority):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    # No number and no date yet: both are given when it is signed.
    assert order.status == OrderStatus.DRAFT and (order.number, order.date, order.year) == ("", None, None)
    assert order.requisites == "от __.__.____ № ____"
    assert order.title.startswith("Об утверждении Плана мероприятий («Дорожной карты») по обеспечению")
    assert order.authority_name == authority.full_name and order.place == "г. Первый"
    assert order.authority_genitive == "Управления образования администрации МР 1"
    assert (order.signatory_position, order.signatory_name) == ("Начальник", "А.Б. Руководитель")
    assert order.clauses[0].startswith(f"Утвердить {submitted_plan.title}")
    assert order.executor_phone == authority.phone
    assert order.distribution.startswith("1 – в дело\n2 – ")  # the municipality's two schools


def test_the_next_order_reuses_what_the_last_one_said(world, submitted_plan):
    first = services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    services.order_update(
        order=first, actor=world.coordinator, kind_local="ТШӦКТӦД", preamble="На основании …"
    )
    second = services.order_create(plan=submitted_plan, actor=world.head, on=ORDER_DAY)
    assert second.kind_local == "ТШӦКТӦД" and second.preamble == "На основании …" and second.number == ""


def test_the_authoritys_second_language_word_for_order_comes_first(world, submitted_plan, authority):
    assert services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY).kind_local == ""
    authority.order_kind_local = "ТШӦКТӦД"
    authority.save()
    assert (
        services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY).kind_local
        == "ТШӦКТӦД"
    )


def test_signing_gives_the_registers_next_number_and_the_signing_day(world, submitted_plan, signing):
    earlier = services.order_create(plan=submitted_plan, actor=world.coordinator)
    Order.objects.filter(pk=earlier.pk).update(
        date=today_in(world.m1), year=today_in(world.m1).year, number="41"
    )
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    document = services.order_sign(order=order, actor=world.head, now=True)
    order.refresh_from_db()
    assert document.is_signed and order.number == "42" and order.number_assigned
    assert order.date == today_in(world.m1) and order.year == order.date.year
    assert order.approval_text.endswith(f"от {order.date:%d.%m.%Y} № 42")


def test_the_signing_day_is_the_regions(world, submitted_plan, signing):
    # 23:30 in Moscow on 31 December is already 1 January in Irkutsk: the order is of the new year.
    type(world.m1).objects.filter(pk=world.m1.pk).update(timezone="Asia/Irkutsk")
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    moment = datetime(2025, 12, 31, 20, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        services.order_sign(order=order, actor=world.head)
    order.refresh_from_db()
    assert (order.date, order.year, order.number) == (date(2026, 1, 1), 2026, "1")


def test_a_paper_registers_number_is_kept_and_must_be_free_that_year(world, submitted_plan, signing):
    signed = services.order_create(plan=submitted_plan, actor=world.coordinator)
    services.order_update(order=signed, actor=world.coordinator, number="17")
    services.order_sign(order=signed, actor=world.head, now=True)
    signed.refresh_from_db()
    assert signed.number == "17" and not signed.number_assigned and signed.date == today_in(world.m1)
    again = services.order_create(plan=submitted_plan, actor=world.coordinator)
    services.order_update(order=again, actor=world.coordinator, number="17")
    with pytest.raises(DomainError, match=f"уже есть в реестре приказов {signed.year} года"):
        services.order_sign(order=again, actor=world.head)
    again.refresh_from_db()
    assert again.is_draft and again.date is None


def test_a_register_date_needs_the_registers_number_and_is_not_in_the_future(world, submitted_plan, signing):
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    with pytest.raises(DomainError, match="бумажного журнала"):
        services.order_sign(order=order, actor=world.head, registered_on=date(2025, 9, 1))
    services.order_update(order=order, actor=world.coordinator, number="5")
    with pytest.raises(DomainError, match="позже"):
        services.order_sign(order=order, actor=world.head, registered_on=date(2999, 1, 1))
    services.order_sign(order=order, actor=world.head, registered_on=date(2025, 9, 1), now=True)
    order.refresh_from_db()
    assert (order.date, order.year, order.number) == (date(2025, 9, 1), 2025, "5")


@pytest.mark.parametrize(
    "url", ["", "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]/", "http://0.0.0.0", "vpr.ru"]
)
def test_signing_with_a_missing_or_loopback_site_url_is_refused(
    world, submitted_plan, signing, settings, url
):
    settings.ORDER_SIGNING_REQUIRE_SITE_URL, settings.SITE_URL = True, url
    order = services.order_create(plan=submitted_plan, actor=world.coordinator)
    with pytest.raises(DomainError, match="адрес сайта \\(SITE_URL\\)"):
        services.order_sign(order=order, actor=world.head)
    order.refresh_from_db()
    assert order.is_draft and order.number == "" and not OrderDocument.objects.exists()
    settings.SITE_URL = "https://vpr.example.ru"
    assert services.order_sign(order=order, actor=world.head, now=True).is_signed


def test_the_setting_follows_debug():
    import importlib
    import os

    import vprplan.settings as base

    with mock.patch.dict(os.environ, {"DEBUG": "false", "SECRET_KEY": "x" * 50}):
        os.environ.pop("ORDER_SIGNING_REQUIRE_SITE_URL", None)
        assert importlib.reload(base).ORDER_SIGNING_REQUIRE_SITE_URL is True
    with mock.patch.dict(os.environ, {"DEBUG": "true"}):
        assert importlib.reload(base).ORDER_SIGNING_REQUIRE_SITE_URL is False
    importlib.reload(base)


def test_a_new_version_of_an_approved_plan_is_ordered_as_changes_to_its_order(world, submitted_plan, signing):
    first = services.order_create(plan=submitted_plan, actor=world.coordinator)
    services.order_sign(order=first, actor=world.head, now=True)
    first.refresh_from_db()
    submitted_plan.refresh_from_db()
    version = plan_new_version(plan=submitted_plan, actor=world.coordinator)
    plan_submit(plan=version, actor=world.coordinator)
    order = services.order_create(plan=version, actor=world.coordinator)
    genitive = "Управления образования администрации МР 1"
    assert order.title == f"О внесении изменений в приказ {genitive} {first.requisites} «{first.title}»"
    assert order.clauses[0].startswith(
        f"Внести в приказ {genitive} {first.requisites} «{first.title}» изменения"
    )
    assert "в новой редакции согласно приложению" in order.clauses[0]
    assert "Плана в новой редакции" in order.clauses[1]
    document = services.order_sign(order=order, actor=world.head, now=True)
    version.refresh_from_db()
    assert document.is_signed and version.status == PlanStatus.APPROVED


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
    assert submitted_plan.approved_on == order.date == today_in(world.m1)
    assert submitted_plan.approval_text == order.approval_text
    assert (submitted_plan.order_number, submitted_plan.order_date) == (order.number, order.date)
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
    order.refresh_from_db()
    assert (order.number, order.date) == ("1", today_in(world.m1))  # registered when signing
    submitted_plan.status = PlanStatus.DRAFT
    submitted_plan.save()
    document = services.order_document_render(document_id=document.pk)
    order.refresh_from_db()
    assert document.status == OrderDocument.Status.FAILED and "доработку" in document.error
    assert order.is_draft and not document.file
    assert (order.number, order.date, order.year) == ("", None, None)  # the number goes back
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
    assert f"Приказ от {today_in(world.m1):%d.%m.%Y} № 1 подписан" in stdout.getvalue()
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
