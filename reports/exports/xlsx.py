"""The plan as an Excel workbook: the approval block in the top right corner, title rows, the
header (repeated on every printed page), merged bold section rows, rows as tall as their text."""

import io

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from activities.models import Plan, Section
from reports.exports import approval_lines, cell_value, section_heading
from vprplan.documents.sheets import fit_row_heights, print_layout
from vprplan.text import sheet_value

# Column widths (units of ≈ 1.83 mm): six columns fill the 257 mm of a landscape page's text, so
# the 12 pt text prints at its size.
WIDTHS = {"number": 7, "title": 41, "deadline": 19, "responsible": 25, "expected_result": 28, "note": 19}
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FONT = "Times New Roman"
CORNER_WIDTH = 40  # 7–8 cm (a unit ≈ 1.83 mm): the approval block's columns at the right


def _corner_columns(keys: list[str]) -> int:
    """The first of the rightmost columns that together hold the corner block."""
    total, first = 0.0, len(keys)
    while first > 1 and total < CORNER_WIDTH:
        total += WIDTHS.get(keys[first - 1], 30)
        first -= 1
    return first + 1 if total >= CORNER_WIDTH else 1


def plan_xlsx(plan: Plan, sections: list[Section]) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "План"
    keys = [key for key, _ in plan.columns]
    width = len(keys)
    row = 1

    def line(text: str, *, bold=False, align="center") -> None:
        nonlocal row
        cell = ws.cell(row, 1, sheet_value(text))
        cell.font = Font(name=FONT, size=12, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    if plan.approval_text:
        first = _corner_columns(keys)
        for text in approval_lines(plan.approval_text):
            cell = ws.cell(row, first, sheet_value(text))
            cell.font = Font(name=FONT, size=12)
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            if first < width:
                ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=width)
            row += 1
        row += 1
    line(plan.title, bold=True)
    for heading, items in (("Цели:", plan.goals), ("Задачи:", plan.tasks)):
        if items:
            row += 1
            line(heading, bold=True, align="left")
            for number, item in enumerate(items, start=1):
                line(f"{number}. {item}", align="left")
    row += 1
    header_row = row
    for col, (key, heading) in enumerate(plan.columns, start=1):
        cell = ws.cell(row, col, sheet_value(heading))
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(key, 30)
    for section in sections:
        if section_heading(section):  # a flat plan's implicit section has no row
            row += 1
            cell = ws.cell(row, 1, sheet_value(section_heading(section)))
            cell.font = Font(name=FONT, size=12, bold=True)
            cell.alignment = WRAP
            for col in range(1, width + 1):
                ws.cell(row, col).border = BORDER
            if width > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        for activity in section.activities.all():
            row += 1
            for col, key in enumerate(keys, start=1):
                cell = ws.cell(row, col, sheet_value(cell_value(activity, key) or None))
                cell.font = Font(name=FONT, size=12)
                cell.alignment = WRAP
                cell.border = BORDER
    fit_row_heights(ws)
    print_layout(ws, title_rows=f"{header_row}:{header_row}", landscape=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
