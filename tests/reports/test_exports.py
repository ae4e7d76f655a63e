"""Exports laid out like the seed documents, and importing an export gives the same plan."""

import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from activities.choices import PlanStatus
from activities.models import Plan
from activities.selectors import plan_document
from reports.exports.docx import plan_docx
from reports.exports.xlsx import plan_xlsx
from reports.imports.draft import read_plan
from reports.imports.services import plan_import
from tests.factories import PlanFactory
from tests.matrix import assert_matrix
from tests.reports import documents

pytestmark = pytest.mark.django_db

EXPORTS = {"docx": plan_docx, "xlsx": plan_xlsx}
SEEDS = {"inta": documents.inta_docx, "severo": documents.severo_docx, "school": documents.school_docx}


def imported(world, seed: str) -> Plan:
    expected, data = SEEDS[seed]()
    owner, actor = (world.s1, world.school) if seed == "school" else (world.m1, world.coordinator)
    plan, _ = plan_import(draft=read_plan(data, f"{seed}.docx"), owner=owner, actor=actor)
    return plan


def content(plan: Plan) -> dict:
    plan = Plan.objects.get(pk=plan.pk)
    return {
        "plan": [
            plan.title,
            plan.kind,
            plan.columns,
            plan.section_numbering,
            plan.period_start,
            plan.period_end,
            plan.period_text,
            plan.goals,
            plan.tasks,
        ],
        "sections": [
            (
                s.number,
                s.title,
                [
                    (
                        a.number,
                        a.title,
                        a.deadline_text,
                        a.deadline_kind,
                        a.deadline_rule,
                        a.responsible_text,
                        a.expected_result,
                        a.note,
                    )
                    for a in s.activities.all()
                ],
            )
            for s in plan_document(plan)
        ],
    }


@pytest.mark.parametrize("fmt", EXPORTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_importing_an_export_gives_the_same_plan(world, seed, fmt):
    original = imported(world, seed)
    original.activities.filter(number="1.1").update(
        title="Первая строка\nвторая строка", note="Примечание\nв две строки"
    )
    data = EXPORTS[fmt](original, plan_document(original))
    draft = read_plan(data, f"export.{fmt}")
    assert draft.errors == [] and draft.format == fmt
    # A title without years (the school's): a period is proposed, and the user sets the plan's own.
    period = (
        {}
        if "period" not in draft.proposed
        else {"period_start": original.period_start, "period_end": original.period_end}
    )
    again, _ = plan_import(draft=draft, owner=original.owner, actor=None, **period)
    expected = content(original)
    if "note" not in original.column_keys:  # a column the plan does not have is not exported
        expected["sections"][0][2][0] = (*expected["sections"][0][2][0][:-1], "")
    assert content(again) == expected


def test_docx_layout(world):
    plan = imported(world, "severo")
    plan.approval_text = "УТВЕРЖДЁН приказом РУО от 01.09.2023 № 5"
    plan.save()
    document = docx.Document(io.BytesIO(plan_docx(plan, plan_document(plan))))
    paragraphs = [p for p in document.paragraphs if p.text]
    # The approval block in the top right corner, as lines, at most 8 cm wide (257 − 177 mm).
    assert [p.text for p in paragraphs[:3]] == ["УТВЕРЖДЁН", "приказом РУО", "от 01.09.2023 № 5"]
    assert {round(p.paragraph_format.left_indent.mm) for p in paragraphs[:3]} == {177}
    assert paragraphs[3].text == plan.title and paragraphs[3].runs[0].bold
    header = document.sections[0].header._element
    assert "PAGE" in "".join(header.itertext()) and document.sections[0].different_first_page_header_footer
    (table,) = document.tables
    # Widths on the grid and on every cell of every row, «№ п/п» narrower than the title.
    grid = [round(col.w.mm) for col in table._tbl.tblGrid.gridCol_lst]
    assert grid[0] < grid[1] and abs(sum(grid) - 257) <= 1
    for tr in table._tbl.tr_lst:
        widths = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst]
        assert abs(sum(widths) - round(257 / 25.4 * 1440)) <= len(grid)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [c.text for c in table.rows[0].cells] == [h for _, h in plan.columns]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header repeats on every page
    section_row = table.rows[1]
    (tc,) = section_row._tr.tc_lst
    assert (
        tc.grid_span == 6
        and section_row.cells[0].text == "1. Нормативно-правовое обеспечение объективности оценочных процедур"
    )
    assert all(run.bold for run in section_row.cells[0].paragraphs[0].runs)
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_xlsx_layout(world):
    plan = imported(world, "inta")
    plan.activities.filter(number="1.1").update(title="Первая строка\nвторая строка")
    plan.approval_text = "УТВЕРЖДЕН приказом Отдела образования администрации МО «Инта» от 29.02.2024 № 51"
    plan.save()
    ws = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan, plan_document(plan)))).active
    # The approval block in the top right corner, a line a row.
    assert [ws.cell(r, 3).value for r in (1, 2, 3)] == [
        "УТВЕРЖДЕН",
        "приказом Отдела образования администрации МО «Инта»",
        "от 29.02.2024 № 51",
    ]
    assert ws["A5"].value == plan.title and ws["A5"].font.b
    header = [c.value for c in ws[7]]
    assert header == [h for _, h in plan.columns]
    assert ws["A8"].value == "I. Анализ деятельности по обеспечению объективности результатов ВПР"
    assert ws["A8"].font.b and "A8:D8" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A9"].value == "Первая строка\nвторая строка" and ws["A9"].alignment.wrap_text
    assert ws.print_title_rows == "$7:$7"
    # Rows as tall as their wrapped text; ГОСТ margins; page numbers in the footer.
    assert ws.row_dimensions[9].height >= 2 * 12 * 1.2
    longest = max(range(9, ws.max_row + 1), key=lambda r: len(str(ws.cell(r, 2).value or "")))
    assert ws.row_dimensions[longest].height > ws.row_dimensions[9].height
    margins = ws.page_margins
    assert [round(v * 25.4) for v in (margins.left, margins.right, margins.top, margins.bottom)] == [
        30,
        10,
        20,
        20,
    ]
    assert "&P" in ws.oddFooter.center.text and ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("name", ["reports:plan_export_xlsx", "reports:plan_export_docx"])
def test_export_matrix(client, world, name):
    draft = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    assert_matrix(
        client,
        reverse(name, args=[draft.pk]),
        allowed=world.people("admin", "head", "coordinator", "specialist"),
        denied=world.people(
            "school", "observer", "nobody", "neighbour_coordinator", "other_admin", "other_school"
        ),
    )
    approved = PlanFactory(owner=world.m1, status=PlanStatus.APPROVED)
    assert_matrix(
        client,
        reverse(name, args=[approved.pk]),
        allowed=world.people("coordinator", "school", "school2", "observer"),
        denied=world.people("neighbour_coordinator", "other_coordinator", "other_school", "nobody"),
    )


def test_download_is_an_attachment_of_the_right_type(client, world):
    plan = imported(world, "inta")
    client.force_login(world.head)
    response = client.get(reverse("reports:plan_export_docx", args=[plan.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and ".docx" in response["Content-Disposition"]
    )
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert len(document.tables[0].rows) == 1 + 3 + 14
