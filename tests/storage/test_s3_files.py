"""Files in an S3-compatible bucket (moto's server on loopback, tests/s3server.py): every kind of
stored file — evidence, act scans, signed orders, exports — is written into the bucket through the
storage API and read back through the download views with our attachment headers, nothing lands
under MEDIA_ROOT, and deleting (a mistaken file, old exports) deletes the object."""

import hashlib
import socket
import time
import urllib.request
from datetime import timedelta

import pytest
from botocore.exceptions import EndpointConnectionError
from django.urls import reverse
from django.utils import timezone

from activities import services as plan_services
from activities.models import Evidence
from observers.models import Act
from reports.orders import services as order_services
from tests.activities.conftest import execution_of, image_bytes, make_plan, tiny_pdf, upload
from tests.observers.factories import AssignmentFactory
from tests.reports.orders.helpers import ORDER_DAY
from tests.reports.test_export_jobs import progress_url, request_export
from vprplan import bucket
from vprplan.documents import exports as jobs
from vprplan.models import ExportFile

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_ours(response, *, content_type: str, name_part: str) -> None:
    """The headers of vprplan.uploads.attachment_response."""
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and name_part in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_evidence_uploaded_and_downloaded_through_the_bucket(
    client, world, approved, s3_storage, django_capture_on_commit_callbacks, record_property
):
    e = execution_of(approved, "1.1", world.s1)
    pdf = tiny_pdf("in the bucket")
    client.force_login(world.school)
    response = client.post(
        reverse("activities:execution_report", args=[e.pk]),
        {"action": "progress", "comment": "Начали", "files": [upload("Протокол № 3.pdf", pdf)]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(execution=e)
    assert evidence.file.name.startswith("evidence/") and evidence.size == len(pdf)
    assert s3_storage.objects() == {evidence.file.name: pdf}  # in the bucket, under the prefix
    assert s3_storage.written == 1

    client.force_login(world.coordinator)
    response = client.get(reverse("activities:evidence_download", args=[evidence.pk]))
    assert_ours(
        response, content_type="application/pdf", name_part="filename*=utf-8''%D0%9F%D1%80%D0%BE%D1%82"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == pdf and int(response["Content-Length"]) == len(pdf)
    assert s3_storage.read == 1
    assert s3_storage.media_files() == []  # nothing on the local disk

    # The school removes it: the object goes when the deletion commits.
    client.force_login(world.school)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.exists() and s3_storage.objects() == {}
    record_property("s3_files_written", s3_storage.written)
    record_property("s3_files_read", s3_storage.read)


def test_an_object_missing_from_the_bucket_is_a_404_not_an_error(client, world, approved, s3_storage):
    e = execution_of(approved, "1.1", world.s1)
    plan_services.execution_start(execution=e, actor=world.school, files=[upload("a.pdf", tiny_pdf())])
    evidence = Evidence.objects.get(execution=e)
    from tests.s3server import empty_bucket

    assert empty_bucket(s3_storage.env) == 1
    client.force_login(world.coordinator)
    assert client.get(reverse("activities:evidence_download", args=[evidence.pk])).status_code == 404


def test_a_presigned_download_carries_the_same_disposition_and_type(
    client, world, approved, s3_storage, settings, record_property
):
    e = execution_of(approved, "1.1", world.s1)
    png = image_bytes("PNG")
    plan_services.execution_start(execution=e, actor=world.school, files=[upload("Скан приказа.png", png)])
    evidence = Evidence.objects.get(execution=e)
    client.force_login(world.coordinator)
    streamed = client.get(reverse("activities:evidence_download", args=[evidence.pk]))

    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = True
    response = client.get(reverse("activities:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "no-referrer"
    endpoint = s3_storage.env["STORAGE_S3_ENDPOINT_URL"]
    assert response.url.startswith(f"{endpoint}/{s3_storage.env['STORAGE_S3_BUCKET']}/vprplan/evidence/")
    assert "X-Amz-Signature=" in response.url and "X-Amz-Expires=300" in response.url
    with urllib.request.urlopen(response.url, timeout=10) as answer:  # what the browser then gets
        assert answer.read() == png == body(streamed)
        assert answer.headers["Content-Disposition"] == streamed["Content-Disposition"]
        assert answer.headers["Content-Type"] == streamed["Content-Type"] == "image/png"
        assert answer.headers["Cache-Control"] == "private, no-store"
    # Unsigned, the object is not public.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(response.url.split("?")[0], timeout=10)
    assert refused.value.code == 403
    # Still audited, and a row without an object is still a 404.
    from tests.s3server import empty_bucket

    empty_bucket(s3_storage.env)
    assert client.get(reverse("activities:evidence_download", args=[evidence.pk])).status_code == 404
    record_property("s3_presigned_downloads", 1)


def test_an_order_is_signed_into_the_bucket_served_and_verified(
    client, world, submitted_plan, signing, s3_storage, record_property
):
    order = order_services.order_create(plan=submitted_plan, actor=world.coordinator, on=ORDER_DAY)
    document = order_services.order_sign(order=order, actor=world.head, now=True)
    assert document.is_signed, document.error
    order.refresh_from_db()
    stored = s3_storage.objects()
    assert list(stored) == [document.file.name] and document.file.name.startswith("orders/")
    pdf = stored[document.file.name]
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 and len(pdf) == document.size

    response = client.get(reverse("reports:document_download", args=[document.pk]))  # public, no login
    assert_ours(response, content_type="application/pdf", name_part=".pdf")
    assert body(response) == pdf
    page = client.post(
        reverse("reports:verify"), {"file": upload("prikaz.pdf", pdf, "application/pdf")}
    ).content.decode()
    assert "Подлинный документ" in page and order.requisites in page
    assert s3_storage.media_files() == []
    record_property("s3_order_pdf_bytes", len(pdf))
    record_property("s3_order_files_written", s3_storage.written)
    record_property("s3_order_files_read", s3_storage.read)


def test_an_export_is_written_read_and_cleaned_up_in_the_bucket(
    client, world, s3_storage, django_capture_on_commit_callbacks, record_property
):
    plan = make_plan(world)
    plan_services.plan_approve(plan=plan, actor=world.head)
    client.force_login(world.head)
    old = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert old.status == "ready", old.error
    assert set(s3_storage.objects()) == {old.file.name} and old.file.name.startswith("exports/")
    response = client.get(reverse("reports:export_download", args=[old.pk]))
    assert_ours(response, content_type="application/pdf", name_part="spravka-m1-")
    assert body(response) == s3_storage.objects()[old.file.name]

    ExportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = request_export(client, progress_url(plan), django_capture_on_commit_callbacks)
    assert fresh.pk != old.pk and len(s3_storage.objects()) == 2
    deleted_before = s3_storage.deleted
    assert jobs.exports_cleanup() == 1
    assert set(s3_storage.objects()) == {fresh.file.name}  # the old object is gone from the bucket
    assert s3_storage.deleted == deleted_before + 1 and s3_storage.media_files() == []
    record_property("s3_exports_cleaned", 1)
    record_property("s3_export_files_written", s3_storage.written)
    record_property("s3_export_files_read", s3_storage.read)


def test_an_act_scan_goes_to_the_bucket_and_a_replaced_one_is_removed(
    client, vpr, s3_storage, django_capture_on_commit_callbacks, record_property
):
    assignment = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    client.force_login(vpr.observer)
    first, second = tiny_pdf("act 1"), image_bytes("JPEG")
    url = reverse("observers:act_file", args=[assignment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"stage": "conduct", "comment": "Без нарушений", "scan": upload("акт.pdf", first)}
        )
    assert response.status_code == 302, response.content.decode()[:500]
    act = Act.objects.get()
    assert s3_storage.objects() == {act.scan.name: first}

    client.force_login(vpr.head)
    response = client.get(reverse("observers:act_scan", args=[act.pk]))
    assert_ours(response, content_type="application/pdf", name_part=f"akt-2024-04-16-{act.pk}.pdf")
    assert body(response) == first

    client.force_login(vpr.observer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"stage": "conduct", "comment": "Без нарушений", "scan": upload("акт.jpg", second)})
    act.refresh_from_db()
    assert s3_storage.objects() == {act.scan.name: second}  # the first scan's object is gone
    assert s3_storage.media_files() == []
    record_property("s3_act_files_written", s3_storage.written)
    record_property("s3_act_files_read", s3_storage.read)


def test_an_unreachable_bucket_fails_the_download_in_seconds(client, world, approved, s3_storage, settings):
    e = execution_of(approved, "1.1", world.s1)
    plan_services.execution_start(execution=e, actor=world.school, files=[upload("a.pdf", tiny_pdf())])
    evidence = Evidence.objects.get(execution=e)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nobody listens on
    port = closed.getsockname()[1]
    closed.close()
    down = {**s3_storage.env, "STORAGE_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_entry(down)}
    client.force_login(world.coordinator)
    started = time.monotonic()
    with pytest.raises(EndpointConnectionError):  # the error page, not a hung request
        client.get(reverse("activities:evidence_download", args=[evidence.pk]))
    assert time.monotonic() - started < 10
