"""Hostile files driven through the real forms of every upload point: each is refused with a
Russian message on the page, and nothing is written (no row, no stored file, no import kept in the
session). A well-formed file through the same helper is kept, so «nothing written» can fail."""

import html
import zipfile
from dataclasses import dataclass, field

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Evidence, Plan
from observers.models import Act
from reports.models import PlanImport
from results.models import VprResult
from schools.models import UnobjectivityFlag, VprSession
from tests.activities.conftest import execution_of
from tests.observers.factories import AssignmentFactory
from tests.reports import documents
from tests.results import files as result_files
from tests.security_uploads import hostile
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

LIMIT = 2 * 1024 * 1024
MARKUP = "веб-страница или скрипт"
BOMB = "после распаковки файл слишком велик"


@dataclass
class Point:
    """An upload point: who posts, where, with which fields, and how it names a refusal."""

    name: str
    not_kind: str  # the message for content that is none of the accepted kinds
    extensions: tuple[str, ...] = ()  # the names the form lets through (an attacker renames to them)
    specific: bool = False  # the generic messages (markup, huge image) reach the page as they are
    post: object = None
    session_key: str = ""
    written: list = field(default_factory=list)

    def named(self, name: str) -> str:
        if not self.extensions or name.lower().endswith(self.extensions):
            return name
        return name.rsplit(".", 1)[0] + self.extensions[0]


def storage_files(path: str = "") -> set[str]:
    directories, names = default_storage.listdir(path)
    found = {f"{path}{n}" for n in names}
    for directory in directories:
        found |= storage_files(f"{path}{directory}/")
    return found


def state(client, execution) -> dict:
    execution.refresh_from_db()
    return {
        "rows": {
            m.__name__: m.objects.count()
            for m in (Evidence, Act, PlanImport, Plan, VprResult, UnobjectivityFlag, VprSession)
        },
        "audit": AuditEvent.objects.count(),
        "files": storage_files(),
        "session": sorted(k for k in client.session.keys() if "import" in k),
        "execution": (execution.status, execution.completed_at, execution.comment),
    }


@pytest.fixture
def points(client, world, approved, vpr, settings):
    for name in ("EVIDENCE_MAX_BYTES", "ACT_SCAN_MAX_BYTES", "PLAN_IMPORT_MAX_BYTES", "RESULTS_IMPORT_MAX_BYTES",
                 "VERIFY_MAX_BYTES", "SCHEDULE_IMPORT_MAX_BYTES"):  # fmt: skip
        setattr(settings, name, LIMIT)
    execution = execution_of(approved, "1.1", world.s1)
    assignment = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)

    def as_user(user, url, data, **extra):
        """Logs the user in (a login is audited: before the snapshot), then returns the poster."""

        def post(file):
            return client.post(url, data(file), **extra)

        def login():
            client.logout()
            if user is not None:
                client.force_login(user)
            return post

        return login

    m1 = world.m1
    table = [
        Point(
            "evidence",
            "по содержимому это не",
            specific=True,
            post=as_user(
                world.school,
                reverse("activities:execution_report", args=[execution.pk]),
                lambda f: {"action": "done", "comment": "Приказ № 12", "files": [f]},
                HTTP_HX_REQUEST="true",
            ),
        ),
        Point(
            "act scan",
            "по содержимому это не PDF, JPG или PNG",
            specific=True,
            post=as_user(
                world.observer,
                reverse("observers:act_file", args=[assignment.pk]),
                lambda f: {"stage": "conduct", "comment": "Без нарушений", "scan": f},
            ),
        ),
        Point(
            "plan import",
            "повреждён или это не документ Word",
            extensions=(".docx", ".xlsx", ".csv"),
            post=as_user(
                world.coordinator, reverse("reports:plan_import"), lambda f: {"owner": m1.pk, "file": f}
            ),
        ),
        Point(
            "results import",
            "Файл не читается как таблица Excel (.xlsx)",
            extensions=(".xlsx",),
            session_key="results-import",
            post=as_user(
                world.coordinator,
                reverse("results:result_import", args=["m1"]),
                lambda f: {"file": f, "action": "preview"},
            ),
        ),
        Point(
            "flag import",
            "Файл не читается как таблица Excel (.xlsx)",
            extensions=(".xlsx",),
            session_key="flags-import",
            post=as_user(
                world.coordinator,
                reverse("schools:flag_import", args=["m1"]),
                lambda f: {"file": f, "year": 2025, "source": "regional", "action": "preview"},
            ),
        ),
        Point(
            "schedule import",
            "Файл не читается как таблица Excel (.xlsx)",
            extensions=(".xlsx",),
            session_key="observers-import",
            post=as_user(
                world.school,
                reverse("schools:session_import", args=[vpr.campaign.pk]),
                lambda f: {"file": f},
            ),
        ),
        Point(
            "verify",
            "Это не PDF",
            post=as_user(None, reverse("reports:verify"), lambda f: {"file": f}),
        ),
    ]
    return table, execution


def textual(point: Point) -> str:
    """Script text or a PDF with a broken header is text: the plan import (which reads CSV) sees a
    CSV under a .docx name and says so."""
    return "по содержимому это CSV, а расширение другое" if point.name == "plan import" else point.not_kind


def hostile_inputs():
    """(label, file name, content, the message: a fragment or a function of the point)."""
    return [
        (
            "HTML posing as PDF",
            "prikaz.pdf",
            hostile.HTML_AS_PDF,
            lambda p: MARKUP if p.specific else p.not_kind,
        ),
        ("SVG posing as PNG", "foto.png", hostile.SVG_AS_PNG, lambda p: MARKUP if p.specific else p.not_kind),
        (
            "JavaScript posing as PNG",
            "foto.png",
            hostile.JS_AS_PNG,
            # Script text is text: the plan import (which reads CSV) sees a CSV named .docx.
            lambda p: (
                "по содержимому это CSV, а расширение другое" if p.name == "plan import" else p.not_kind
            ),
        ),
        ("PDF with a wrong header", "akt.pdf", hostile.PDF_WRONG_HEADER, textual),
        ("zip bomb named .docx (1 GiB)", "plan.docx", hostile.docx_bomb(), lambda p: BOMB),
        ("zip bomb named .xlsx (1 GiB)", "list.xlsx", hostile.xlsx_bomb(), lambda p: BOMB),
        (
            "zip bomb lying about its size (4 KB declared, 1 GiB inside)",
            "plan.docx",
            hostile.lying_docx_bomb(),
            lambda p: "распаковывается в больший объём, чем заявлено",
        ),
        (
            "bzip2 bomb lying about its size (.xlsx of 1 KB, 1 GiB inside)",
            "list.xlsx",
            hostile.lying_xlsx_bomb(zipfile.ZIP_BZIP2),
            lambda p: "распаковывается в больший объём, чем заявлено",
        ),
        (
            "LZMA bomb lying about its size (.xlsx of 150 KB, 1 GiB inside)",
            "list.xlsx",
            hostile.lying_xlsx_bomb(zipfile.ZIP_LZMA),
            lambda p: "распаковывается в больший объём, чем заявлено",
        ),
        (
            "member packed by a method zipfile cannot unpack (Deflate64)",
            "list.xlsx",
            hostile.zip_with_method(9),
            lambda p: "сжата неизвестным способом",
        ),
        (
            ".docx without word/document.xml",
            "plan.docx",
            hostile.docx_without_document(),
            lambda p: p.not_kind,
        ),
        (
            "PNG of 30000×30000 pixels",
            "scan.png",
            hostile.huge_png(),
            # /verify/ takes the image of a paper original's scan too: the image's own refusal.
            lambda p: "изображение слишком большое" if p.specific or p.name == "verify" else p.not_kind,
        ),
        ("over the size limit", "big.pdf", hostile.oversize(LIMIT), lambda p: "файл больше 2,0\xa0МБ"),
        ("empty file", "empty.pdf", b"", lambda p: "пуст"),
    ]


def test_every_hostile_input_is_refused_at_every_upload_point_and_nothing_is_written(
    client, points, record_property
):
    table, execution = points
    inputs = hostile_inputs()
    refused = []
    for point in table:
        for label, name, content, message in inputs:
            post = point.post()
            before = state(client, execution)
            file_name = point.named(name)
            response = post(SimpleUploadedFile(file_name, content, content_type="application/pdf"))
            page = html.unescape(response.content.decode())
            expected = message(point)
            assert response.status_code == 200, f"{point.name} / {label}: {response.status_code}"
            assert expected in page, f"{point.name} / {label}: «{expected}» is not on the page"
            assert state(client, execution) == before, f"{point.name} / {label}: something was written"
            refused.append((point.name, label))
    assert len(refused) == len(table) * len(inputs) == 98
    record_property("hostile_uploads_refused", len(refused))
    record_property("hostile_inputs", len(inputs))
    record_property("upload_points", len(table))


def test_a_good_file_through_the_same_points_is_kept(client, points):
    """The control: the helper sees a write when there is one."""
    table, execution = points
    good = {
        "evidence": ("Приказ ОО № 12.pdf", hostile.tiny_pdf()),
        "act scan": ("akt.png", hostile.png_bytes()),
        "plan import": ("inta.docx", documents.inta_docx()[1]),
        "results import": (
            "stat.xlsx",
            result_files.marks_file([("(sch000002) Школа 2", 40, [2, 10, 20, 8])]),
        ),
    }
    for point in table:
        if point.name not in good:
            continue
        post = point.post()
        before = state(client, execution)
        name, content = good[point.name]
        response = post(SimpleUploadedFile(name, content))
        assert response.status_code in (200, 302), point.name
        assert state(client, execution) != before, f"{point.name}: a good file left no trace"


HOSTILE_NAME = "../../etc/" + "я" * 300 + "\x00\u202e.pdf"


def raw_multipart(fields: dict, file_field: str, file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (the test client would clean it)."""
    boundary = "HostileBoundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: text/html\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def assert_safe_name(shown: str, stored: str, directory: str) -> None:
    assert "/" not in shown and "\\" not in shown and ".." not in shown
    assert not any(ord(c) < 32 or c == "\u202e" for c in shown)
    assert len(shown) <= 150 and shown.endswith("я.pdf")
    assert (
        stored.startswith(directory) and stored.endswith(".pdf") and "я" not in stored and ".." not in stored
    )


def test_a_file_name_with_a_path_nul_and_300_characters_is_neutralised(
    client, world, points, vpr, record_property
):
    """The name is no attack once it is only a label: the file is stored under a random name, and
    the label shown and kept has no path, no control characters and a bounded length."""
    _, execution = points
    client.force_login(world.school)
    data, content_type = raw_multipart(
        {"action": "progress", "comment": ""}, "files", HOSTILE_NAME, hostile.tiny_pdf()
    )
    response = client.post(
        reverse("activities:execution_report", args=[execution.pk]), data, content_type=content_type
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert_safe_name(evidence.original_name, evidence.file.name, "evidence/")
    download = client.get(reverse("activities:evidence_download", args=[evidence.pk]))
    assert (
        "\x00" not in download["Content-Disposition"]
        and "/" not in download["Content-Disposition"].split("''")[1]
    )

    assignment = AssignmentFactory(session=vpr.rus_s2, observer=vpr.mine)
    client.force_login(world.observer)
    data, content_type = raw_multipart(
        {"stage": "conduct", "comment": "x"}, "scan", HOSTILE_NAME, hostile.tiny_pdf()
    )
    response = client.post(
        reverse("observers:act_file", args=[assignment.pk]), data, content_type=content_type
    )
    assert response.status_code == 302
    act = Act.objects.get(assignment=assignment)
    assert_safe_name(act.scan_name, act.scan.name, "private/observer-acts/")
    record_property("hostile_names_neutralised", 2)
