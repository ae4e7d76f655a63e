"""Shared pieces of the executions tests: an approved plan of M1 with work for its schools, and
small real files of every evidence type (and some that only pretend to be)."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services
from activities.choices import DeadlineKind, ExecutionLevel, PlanStatus, TargetKind
from activities.models import Execution, ResponsiblePerson, ResponsibleRole
from schools.choices import FlagSource, Role
from schools.models import UnobjectivityFlag
from tests.factories import ActivityFactory, PlanFactory, SectionFactory


def tiny_pdf(text: str = "test") -> bytes:
    """A minimal but complete PDF (header, one page, trailer, %%EOF)."""
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        f"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% {text}\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body.encode("latin-1")


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Приказ № 12 от 01.10.2025")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Лист регистрации"
    wb.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def pdf_file():
    return upload("Приказ ОО № 12.pdf", tiny_pdf(), "application/pdf")


PERIOD = (date(2025, 9, 1), date(2026, 8, 31))


def make_plan(world, *, status=PlanStatus.ON_APPROVAL, owner=None):
    """A municipal plan of M1 (2025/26) whose rows cover each way executions are addressed:

    1.1 every school, «До 15.10.2025»              1.2 every school, «Октябрь, май», evidence required
    1.3 the authority, the coordinator's role       1.4 the authority, names the specialist
    2.1 flagged schools of 2025 (S2 is flagged)     2.2 chosen schools (S1), «По мере необходимости»
    """
    plan = PlanFactory(owner=owner or world.m1, status=status, period_start=PERIOD[0], period_end=PERIOD[1])
    s1 = SectionFactory(plan=plan, position=1, title="Организация ВПР")
    s2 = SectionFactory(plan=plan, position=2, title="Контроль")
    coordinator_role, _ = ResponsibleRole.objects.get_or_create(
        owner=None, name="Муниципальный координатор ВПР", defaults={"acting_role": Role.MUNICIPAL_COORDINATOR}
    )
    person, _ = ResponsiblePerson.objects.get_or_create(
        organization=world.m1, name="Специалистова А.А.", position="ведущий специалист", user=world.specialist
    )
    school = ExecutionLevel.SCHOOL
    rows = [
        (s1, 1, "Приказ ОО о проведении ВПР", "До 15.10.2025", DeadlineKind.FIXED, school, {}),
        (
            s1,
            2,
            "Совещание с учителями",
            "Октябрь, май",
            DeadlineKind.MONTHS,
            school,
            {"evidence_required": True},
        ),
        (s1, 3, "Мониторинг ФИС ОКО", "Постоянно", DeadlineKind.CONTINUOUS, ExecutionLevel.AUTHORITY, {}),
        (s1, 4, "Информационное письмо", "До 01.12.2025", DeadlineKind.FIXED, ExecutionLevel.AUTHORITY, {}),
        (
            s2,
            1,
            "Перепроверка работ ОО с признаками",
            "Март 2026",
            DeadlineKind.MONTHS,
            school,
            {"target_kind": TargetKind.FLAGGED, "target_flag_year": 2025},
        ),
        (
            s2,
            2,
            "Выездная проверка",
            "По мере необходимости",
            DeadlineKind.MANUAL,
            school,
            {"target_kind": TargetKind.CHOSEN},
        ),
    ]
    activities = []
    for section, position, title, text, kind, level, extra in rows:
        activities.append(
            ActivityFactory(
                plan=plan,
                section=section,
                position=position,
                title=title,
                deadline_text=text,
                deadline_kind=kind,
                execution_level=level,
                evidence_form="Протокол" if extra.get("evidence_required") else "",
                **extra,
            )
        )
    activities[2].responsible_roles.add(coordinator_role)
    activities[3].responsible_persons.add(person)
    activities[5].target_schools.add(world.s1)
    UnobjectivityFlag.objects.get_or_create(school=world.s2, year=2025, source=FlagSource.ROSOBRNADZOR)
    services.plan_renumber(plan=plan)
    return plan


@pytest.fixture
def approved(world):
    """M1's plan, approved by its head: its executions exist."""
    plan = make_plan(world)
    services.plan_approve(plan=plan, actor=world.head)
    plan.refresh_from_db()
    return plan


def execution_of(plan, number: str, org, occurrence: int = 1) -> Execution:
    return Execution.objects.select_related("activity", "activity__plan", "organization").get(
        activity__plan=plan, activity__number=number, organization=org, occurrence=occurrence
    )
