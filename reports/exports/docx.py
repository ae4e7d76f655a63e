"""The plan as a Word document: landscape A4 with ГОСТ margins, the approval block in the top
right corner, the title above the table, the header row repeated on every page, section rows
merged and bold, one paragraph per line, page numbers at the top from the second page.

Every cell carries its width (tblGrid and tcW in every row, a fixed layout): LibreOffice ignores
the widths of the header row alone and draws equal columns.
"""

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from activities.models import Plan, Section
from reports.exports import approval_lines, cell_value, section_heading
from vprplan.text import docx_text

FONT = "Times New Roman"
# Relative widths of the plan's columns; scaled to the page's text width.
WIDTHS_MM = {"number": 17, "title": 85, "deadline": 35, "responsible": 50, "expected_result": 55, "note": 35}
LANDSCAPE_TEXT_MM = 297 - 30 - 10  # A4 landscape with the 30/10 mm left/right margins
CORNER_MM = 80  # ГОСТ Р 7.0.97-2025: corner requisites at most 8 cm wide


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


def page_setup(section, *, landscape: bool) -> None:
    """A4 with ГОСТ margins (left 30, right 10, top and bottom 20 mm)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.header_distance = Mm(10)


def add_page_numbers(section, *, size: int = 12) -> None:
    """A PAGE field centred in the header; the first page has none (ГОСТ Р 7.0.97-2025, 6.5)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def add_corner_block(document, lines: list[str], *, text_width_mm: float, size: int | None = None) -> None:
    """Lines of a requisite in the top right corner: a block at most 8 cm wide, lines left-aligned."""
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Mm(text_width_mm - CORNER_MM)
        run = paragraph.add_run(line)
        if size:
            run.font.size = Pt(size)


CELL_PADDING_MM = 4  # Word's default cell margins, 1.9 mm each side, and a little air


def word_mm(word: str, *, size: float = 12, bold: bool = False) -> float:
    """The width of a word in Times New Roman (Liberation Serif in LibreOffice), roughly: capitals
    and digits are wider than lower-case letters."""
    per_pt = sum(0.68 if c.isupper() or c.isdigit() else 0.52 for c in word) * 25.4 / 72  # em → mm
    return per_pt * size * (1.08 if bold else 1.0)


def longest_word_mm(texts, *, size: float = 12, bold: bool = False) -> float:
    """The widest word of the texts; a hyphenated name may break at its hyphens."""
    return max(
        (
            word_mm(part, size=size, bold=bold)
            for t in texts
            for w in (t or "").split()
            for part in w.split("-")
        ),
        default=0.0,
    )


def column_widths(keys: list[str], total_mm: float, needs_mm: list[float] | None = None) -> list[float]:
    """The columns' shares of `total_mm`, each at least as wide as its widest word (`needs_mm`):
    a word wider than its column is broken in the middle, without a hyphen."""
    raw = [WIDTHS_MM.get(key, 40) for key in keys]
    widths = [total_mm * w / sum(raw) for w in raw]
    needs = needs_mm or [0.0] * len(keys)
    if sum(needs) >= total_mm:
        return [total_mm * n / sum(needs) for n in needs]
    for _ in range(len(keys)):
        short = [i for i, w in enumerate(widths) if w < needs[i] - 0.01]
        if not short:
            break
        for i in short:
            widths[i] = needs[i]
        spare = [i for i in range(len(keys)) if i not in short and widths[i] > needs[i]]
        excess = sum(widths) - total_mm
        room = sum(widths[i] - needs[i] for i in spare)
        for i in spare:
            widths[i] -= excess * (widths[i] - needs[i]) / room if room else 0
    return widths


def _width(tag: str, mm: float):
    """A <w:tcW>/<w:tblW> element, in twentieths of a point (dxa)."""
    node = OxmlElement(tag)
    node.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
    node.set(qn("w:type"), "dxa")
    return node


def _put_first(parent, node) -> None:
    """Replace parent's element of node's kind and put it first (tcW opens CT_TcPr)."""
    old = parent.find(node.tag)
    if old is not None:
        parent.remove(old)
    parent.insert(0, node)


def set_widths(table, widths_mm: list[float]) -> None:
    """Widths on the table, its grid and every cell of every row, with a fixed layout."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))  # python-docx's table has one: «auto», replaced by the sum
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
        tbl_w.set(qn("w:type"), "dxa")
    for grid_col, mm in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        grid_col.w = Mm(mm)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            _put_first(tc.get_or_add_tcPr(), _width("w:tcW", sum(widths_mm[col : col + span])))
            col += span


def _keep_with_next(cell) -> None:
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def plan_docx(plan: Plan, sections: list[Section]) -> bytes:
    document = docx.Document()
    page = document.sections[0]
    page_setup(page, landscape=True)
    add_page_numbers(page)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)

    if plan.approval_text:
        add_corner_block(document, approval_lines(docx_text(plan.approval_text)), text_width_mm=LANDSCAPE_TEXT_MM)
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


def add_plan_table(document, plan: Plan, sections: list[Section], *, text_width_mm=LANDSCAPE_TEXT_MM) -> None:
    """The plan's table: its own columns, the header row repeated, section rows merged and bold
    (none for the implicit section of a flat plan), every cell with its width."""
    keys = [key for key, _ in plan.columns]
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, (_key, heading) in zip(table.rows[0].cells, plan.columns, strict=True):
        _fill(cell, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for section in sections:
        heading = section_heading(section)
        if heading:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            _fill(merged, heading, bold=True)
            _keep_with_next(merged)  # not alone at the foot of a page
        for activity in section.activities.all():
            cells = table.add_row().cells
            for cell, key in zip(cells, keys, strict=True):
                _fill(
                    cell,
                    cell_value(activity, key),
                    align=WD_ALIGN_PARAGRAPH.CENTER if key == "number" else None,
                )
    needs = []
    for key, heading in plan.columns:
        words = [cell_value(a, key) for s in sections for a in s.activities.all()]
        needs.append(max(longest_word_mm(words), longest_word_mm([heading], bold=True)) + CELL_PADDING_MM)
    set_widths(table, column_widths(keys, text_width_mm, needs))
