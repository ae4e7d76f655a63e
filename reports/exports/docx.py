"""The plan as a Word document: landscape A4 with ГОСТ margins, the title above the table, the
header row repeated on every page, section rows merged and bold, one paragraph per line."""

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from activities.models import Plan, Section
from reports.exports import cell_value, section_heading
from vprplan.text import docx_text

FONT = "Times New Roman"
WIDTHS_MM = {"number": 15, "title": 85, "deadline": 35, "responsible": 50, "expected_result": 55, "note": 35}


def _fill(cell, text: str, *, bold=False, align=None) -> None:
    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run(docx_text(line))
        run.bold = bold


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def plan_docx(plan: Plan, sections: list[Section]) -> bytes:
    document = docx.Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Mm(297), Mm(210)
    page.top_margin = page.bottom_margin = Mm(20)
    page.left_margin, page.right_margin = Mm(30), Mm(10)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)

    if plan.approval_text:
        stamp = document.add_paragraph(docx_text(plan.approval_text))
        stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        document.add_paragraph()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(docx_text(plan.title)).bold = True
    for heading, items in (("Цели:", plan.goals), ("Задачи:", plan.tasks)):
        if items:
            document.add_paragraph()
            document.add_paragraph().add_run(heading).bold = True
            for number, item in enumerate(items, start=1):
                document.add_paragraph(docx_text(f"{number}. {item}"))
    document.add_paragraph()

    add_plan_table(document, plan, sections)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_plan_table(document, plan: Plan, sections: list[Section]) -> None:
    """The plan's table: its own columns, the header row repeated, section rows merged and bold."""
    keys = [key for key, _ in plan.columns]
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, (key, heading) in zip(table.rows[0].cells, plan.columns, strict=True):
        _fill(cell, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.width = Mm(WIDTHS_MM.get(key, 40))
    _repeat_header(table.rows[0])
    for section in sections:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        _fill(merged, section_heading(section), bold=True)
        for activity in section.activities.all():
            cells = table.add_row().cells
            for cell, key in zip(cells, keys, strict=True):
                _fill(cell, cell_value(activity, key))
