"""The order with its appendix as a Word document, for those who must edit it there: the same
requisites as the PDF (ГОСТ Р 7.0.97-2025 margins, Times New Roman 14 pt, tables 12 pt), the
order on portrait pages and the plan on landscape ones. Unsigned: the signature is the PDF's."""

import io

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from activities.selectors import plan_document
from reports.exports.docx import (
    FONT,
    LANDSCAPE_TEXT_MM,
    add_corner_block,
    add_page_numbers,
    add_plan_table,
    page_setup,
)
from reports.models import Order
from reports.orders.render import plan_heading
from vprplan.documents.blanks import date_text
from vprplan.text import docx_text

CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


def _paragraph(document, text: str = "", *, bold=False, italic=False, align=None, indent=False, size=None):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.5)
    run = paragraph.add_run(docx_text(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def order_docx(order: Order) -> bytes:
    document = docx.Document()
    page = document.sections[0]
    page_setup(page, landscape=False)
    add_page_numbers(page)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)

    _paragraph(document, order.authority_name.upper(), bold=True, align=CENTER)
    if order.authority_name_local:
        _paragraph(document)
        _paragraph(document, order.authority_name_local.upper(), bold=True, align=CENTER)
    _paragraph(document)
    _paragraph(document, "П Р И К А З", bold=True, align=CENTER)
    if order.kind_local:
        _paragraph(document, " ".join(order.kind_local.replace(" ", "").upper()), bold=True, align=CENTER)
    _paragraph(document)
    dateline = _paragraph(document, f"{date_text(order.date)}\t№ {order.number}")
    dateline.paragraph_format.tab_stops.add_tab_stop(Mm(170), alignment=2)  # right-aligned tab
    if order.place:
        _paragraph(document, order.place, align=CENTER)
    _paragraph(document)
    _paragraph(document, order.title, bold=True, align=CENTER)
    _paragraph(document)
    if order.preamble:
        _paragraph(document, order.preamble, align=JUSTIFY, indent=True)
    _paragraph(document)
    _paragraph(document, "П Р И К А З Ы В А Ю:", bold=True)
    _paragraph(document)
    for number, clause in enumerate(order.clauses, start=1):
        _paragraph(document, f"{number}. {clause}", align=JUSTIFY, indent=True)
    _paragraph(document)
    _paragraph(document)
    signature = _paragraph(document, f"{order.signatory_position}\t{order.signatory_name}")
    signature.paragraph_format.tab_stops.add_tab_stop(Mm(170), alignment=2)
    if order.executor_name or order.executor_phone:
        _paragraph(document)
        _paragraph(document, f"{order.executor_name},", italic=True, size=12)
        _paragraph(document, order.executor_phone, size=12)
    lines = [line.strip() for line in order.distribution.splitlines() if line.strip()]
    if lines:
        _paragraph(document)
        _paragraph(document, "Рассылка:", size=12)
        for line in lines:
            _paragraph(document, line, size=12)

    appendix = document.add_section(WD_SECTION.NEW_PAGE)
    page_setup(appendix, landscape=True)
    appendix.different_first_page_header_footer = False  # numbered on: the header is the order's
    # One block in the top right corner: «Приложение / УТВЕРЖДЕН / приказом … / от … № …».
    add_corner_block(
        document,
        ["Приложение", "УТВЕРЖДЕН", f"приказом {order.authority_genitive}", order.requisites],
        text_width_mm=LANDSCAPE_TEXT_MM,
        size=12,
    )
    _paragraph(document, size=12)
    head, rest = plan_heading(order.plan.title)
    _paragraph(document, head, bold=True, align=CENTER, size=12)
    if rest:
        _paragraph(document, rest, bold=True, align=CENTER, size=12)
    _paragraph(document, size=12)
    add_plan_table(document, order.plan, plan_document(order.plan), text_width_mm=LANDSCAPE_TEXT_MM)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
