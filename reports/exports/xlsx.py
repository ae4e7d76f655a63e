"""The plan as an Excel workbook: title rows, the header, merged bold section rows."""

import io

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from activities.models import Plan, Section
from reports.exports import cell_value, section_heading
from vprplan.text import sheet_value

WIDTHS = {"number": 8, "title": 60, "deadline": 24, "responsible": 36, "expected_result": 42, "note": 28}
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FONT = "Times New Roman"


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
        line(plan.approval_text, align="right")
        row += 1
    line(plan.title, bold=True)
    ws.row_dimensions[row - 1].height = 15 * max(2, len(plan.title) // 90 + 1)
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
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
