"""Every file the system serves goes out as an attachment of the type we decided, never sniffed
(`X-Content-Type-Options: nosniff`, a sandbox CSP); downloads of evidence, act scans and observers'
personal data each leave one audit record, and a refused download leaves none."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities import services as activity_services
from activities.models import Evidence
from observers.services import act_submit
from reports.orders import services as order_services
from tests.activities.conftest import execution_of
from tests.observers.factories import AssignmentFactory
from tests.security_uploads import hostile
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_attachment(response, content_type: str, name_start: str) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; "), disposition
    assert f'filename="{name_start}' in disposition or f"filename*=utf-8''{name_start}" in disposition, (
        disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    return body(response)


@pytest.fixture
def evidence(world, approved):
    execution = execution_of(approved, "1.1", world.s1)
    disguised = SimpleUploadedFile("Протокол № 3.pdf", hostile.tiny_pdf(), content_type="text/html")
    activity_services.execution_start(execution=execution, actor=world.school, files=[disguised])
    return Evidence.objects.get(execution=execution)


@pytest.fixture
def act(world, vpr):
    assignment = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    scan = SimpleUploadedFile("акт.png", hostile.png_bytes(), content_type="text/html")
    return act_submit(assignment=assignment, actor=world.observer, scan=scan, now=None)


def new_events(action: str, since: int):
    return list(AuditEvent.objects.filter(action=action, pk__gt=since).order_by("pk"))


def last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_evidence_goes_out_as_an_attachment_and_each_download_is_audited(client, world, evidence):
    url = reverse("activities:evidence_download", args=[evidence.pk])
    client.force_login(world.coordinator)
    since = last_event_pk()
    content = assert_attachment(client.get(url), "application/pdf", "%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA")
    assert content == hostile.tiny_pdf()
    client.get(url)
    events = new_events("evidence.downloaded", since)
    assert len(events) == 2
    assert {(e.actor_id, e.organization_id, e.object_type, e.object_id) for e in events} == {
        (world.coordinator.pk, world.s1.pk, "activities.evidence", str(evidence.pk))
    }
    assert events[0].data["file_name"] == "Протокол № 3.pdf"
    since = last_event_pk()
    client.force_login(world.neighbour_coordinator)
    assert client.get(url).status_code == 404
    assert new_events("evidence.downloaded", since) == []


def test_an_act_scan_goes_out_as_an_attachment_and_each_download_is_audited(client, world, vpr, act):
    url = reverse("observers:act_scan", args=[act.pk])
    client.force_login(world.head)
    since = last_event_pk()
    content = assert_attachment(client.get(url), "image/png", f"akt-2024-04-16-{act.pk}.png")
    assert content == hostile.png_bytes()
    assert response_private(client.get(url))
    events = new_events("act.downloaded", since)
    assert len(events) == 2 and {(e.actor_id, e.organization_id) for e in events} == {
        (world.head.pk, world.m1.pk)
    }
    since = last_event_pk()
    client.force_login(world.school)
    assert client.get(url).status_code == 404
    assert new_events("act.downloaded", since) == []


def get_file(client, url: str, capture):
    """GET a file; a PDF rendered by a job (vprplan.documents.exports) is started by a POST and fetched
    from its export."""
    with capture(execute=True):
        response = client.post(url) if url.endswith(".pdf") else client.get(url)
    if response.status_code == 302 and response.url.startswith("/exports/"):
        response = client.get(response.url + "download/")
    return response


def response_private(response) -> bool:
    return response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("fmt", "content_type"), [("xlsx", XLSX), ("pdf", "application/pdf")])
def test_the_observer_schedule_is_personal_data_and_its_export_is_audited(
    client, world, vpr, fmt, content_type, django_capture_on_commit_callbacks
):
    AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    url = reverse(f"observers:observer_schedule_{fmt}", args=[vpr.campaign.pk, "m1"])
    client.force_login(world.coordinator)
    since = last_event_pk()
    response = get_file(client, url, django_capture_on_commit_callbacks)
    assert_attachment(response, content_type, f"grafik-nabludateley-m1-{vpr.campaign.year}.{fmt}")
    (event,) = new_events("personal_data.exported", since)
    assert (event.actor_id, event.organization_id) == (world.coordinator.pk, world.m1.pk)
    assert event.data["export"] == "observer_schedule" and event.data["format"] == fmt
    assert "full_name" in event.data["fields"]
    client.force_login(world.neighbour_coordinator)
    assert client.get(url).status_code == 404
    assert len(new_events("personal_data.exported", since)) == 1


def test_every_other_export_is_an_attachment_of_our_type(
    client, world, approved, vpr, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    checked = [
        (reverse("reports:plan_export_xlsx", args=[approved.pk]), XLSX),
        (reverse("reports:plan_export_docx", args=[approved.pk]), DOCX),
        (reverse("activities:plan_progress_xlsx", args=[approved.pk]), XLSX),
        (reverse("activities:plan_progress_pdf", args=[approved.pk]), "application/pdf"),
        (reverse("results:marker_export", args=["m1"]), XLSX),
        (reverse("schools:session_export", args=[vpr.campaign.pk]), XLSX),
    ]
    for url, content_type in checked:
        content = assert_attachment(
            get_file(client, url, django_capture_on_commit_callbacks), content_type, ""
        )
        assert content[:4] in (b"PK\x03\x04", b"%PDF"), url


def test_orders_word_file_and_the_signed_pdf_are_attachments(client, world, submitted_plan, signing):
    order = order_services.order_create(plan=submitted_plan, actor=world.coordinator, on=date(2025, 10, 1))
    client.force_login(world.coordinator)
    assert_attachment(
        client.get(reverse("reports:order_docx", args=[order.pk])), DOCX, "prikaz-m1-proekt"
    )  # a draft: its number and date are given when it is signed
    document = order_services.order_sign(order=order, actor=world.head, now=True)
    assert document.is_signed, document.error
    client.logout()  # the signed order is published: anyone may download it, still never inline
    response = client.get(reverse("reports:document_download", args=[document.pk]))
    assert assert_attachment(response, "application/pdf", "").startswith(b"%PDF-")
    assert "private" not in response.get("Cache-Control", "")
