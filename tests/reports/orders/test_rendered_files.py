"""Rendered files (vprplan.models.RenderedFile): an order's signed document and a long export are
polled on the one status page (vprplan.documents.views.RenderedFileStatusView) and claimed, failed
and finished by the same methods."""

import pytest
from django.urls import resolve, reverse

from activities.progress.export import PROGRESS_PDF
from reports.models import OrderDocument
from reports.orders import services
from tests.reports.orders.helpers import ORDER_DAY
from vprplan.documents.views import RenderedFileStatusView
from vprplan.models import ExportFile

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def order(world, submitted_plan):
    return services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)


@pytest.fixture
def export(world, order):
    return ExportFile.objects.create(
        kind=PROGRESS_PDF, params={"plan": order.plan_id}, organization=world.m1, requested_by=world.head
    )


def test_one_status_page_polls_both_kinds_until_they_are_finished(client, world, order, export, signing):
    document = services.order_sign(order=order, actor=world.head)  # queued: runs after commit
    boxes = {
        "document-status": reverse("reports:document_status", args=[document.pk]),
        "export-status": reverse("reports:export_status", args=[export.pk]),
    }
    client.force_login(world.head)
    for box, url in boxes.items():
        assert resolve(url).func.view_class is RenderedFileStatusView
        page = client.get(url).content.decode()
        assert "<html" in page and f'id="{box}"' in page and f'hx-get="{url}"' in page
        fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in fragment and f'id="{box}"' in fragment
        assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 2s"' in fragment

    services.order_document_render(document_id=document.pk)
    assert ExportFile.claim(export.pk)
    export.refresh_from_db()
    export.file_name = "spravka.pdf"
    export.finish(PDF, name=f"{export.pk}.pdf")
    shown = {
        box: client.get(url, headers={"HX-Request": "true"}).content.decode() for box, url in boxes.items()
    }
    assert all("hx-trigger" not in fragment for fragment in shown.values())
    assert "приказ подписан" in shown["document-status"]
    assert reverse("reports:document_download", args=[document.pk]) in shown["document-status"]
    assert "Готово." in shown["export-status"] and "spravka.pdf" in shown["export-status"]
    assert reverse("reports:export_download", args=[export.pk]) in shown["export-status"]


def test_claim_fail_finish_work_alike_for_both_kinds(world, order, export, signing):
    document = services.order_sign(order=order, actor=world.head)
    for model, record in ((OrderDocument, document), (ExportFile, export)):
        assert model.claim(record.pk)  # pending → rendering
        assert model.fail(record.pk, "Не удалось.")
        record.refresh_from_db()
        assert (record.status, record.error, record.is_finished) == ("failed", "Не удалось.", True)
        assert not model.claim(record.pk)  # a second run of a finished job does nothing

    # A failure never overwrites what is final: a ready export, a signed document.
    ready = ExportFile.objects.create(
        kind=PROGRESS_PDF, params={}, organization=world.m1, requested_by=world.head
    )
    ready.finish(PDF, name=f"{ready.pk}.pdf")
    assert (ready.status, ready.size) == ("ready", len(PDF)) and ready.file.read() == PDF
    assert not ExportFile.fail(ready.pk, "поздно")
    OrderDocument.objects.filter(pk=document.pk).update(status=OrderDocument.Status.SIGNED)
    assert not OrderDocument.fail(document.pk, "поздно")
    assert OrderDocument.objects.get(pk=document.pk).status == "signed"
