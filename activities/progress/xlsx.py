"""The progress report as an Excel workbook: per school, per section, the matrix, the overdue list."""

import io

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from activities.models import STATE_LABELS
from activities.progress.dashboard import Dashboard
from vprplan.documents.sheets import fit_row_heights, print_layout
from vprplan.text import sheet_value

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"  # Liberation Serif where it is not installed: the same metrics
HEAD = Font(name=FONT, bold=True)
BODY = Font(name=FONT)
WRAP = Alignment(wrap_text=True, vertical="top")
FILLS = {
    "accepted": "C8E6C9",
    "done": "DCEDC8",
    "review": "D6EAF8",
    "returned": "FFE0B2",
    "overdue": "F8C9C4",
    "in_progress": "FFF3C4",
    "not_started": "EEEEEE",
    "na": "FFFFFF",
}


def _table(ws, top: int, headings: list[str], rows: list[list], widths: list[int]) -> int:
    for col, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        cell = ws.cell(top, col, sheet_value(heading))
        cell.font, cell.border, cell.alignment = HEAD, BORDER, Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, values in enumerate(rows, start=top + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, sheet_value(value))
            cell.border, cell.alignment, cell.font = BORDER, WRAP, BODY
    return top + len(rows) + 1


def _print(ws, *, header: int, landscape: bool | None = None) -> None:
    """Rows as tall as their text, ГОСТ margins, the header row on every page, page numbers."""
    fit_row_heights(ws)
    print_layout(ws, title_rows=f"{header}:{header}", landscape=landscape)


def _section_label(section: dict) -> str:
    if not section["title"]:
        return "Мероприятия плана (без разделов)"
    return f"{section['number']}. {section['title']}" if section["number"] else section["title"]


def _cell_text(cell) -> str:
    if not cell:
        return ""
    state, mark = cell["s"], cell["m"]
    return f"{mark} {STATE_LABELS[state]}" if "/" in mark else STATE_LABELS[state]


def progress_xlsx(d: Dashboard) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "По организациям"
    ws.cell(1, 1, sheet_value(f"Ход выполнения: {d.plan.title}")).font = Font(name=FONT, bold=True, size=12)
    ws["A2"].font = BODY
    ws.cell(2, 1, f"По состоянию на {d.today:%d.%m.%Y}")
    ws.merge_cells("A1:G1")
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    _table(
        ws,
        4,
        ["Организация", "Признаки необъективности", "Всего", "Выполнено", "Принято", "Просрочено", "%"],
        [
            [
                c.name,
                "да" if c.flagged else "",
                c.tally.total,
                c.tally.done,
                c.tally.accepted,
                c.tally.overdue,
                c.tally.percent,
            ]
            for c in d.columns
        ]
        + [["Итого", "", d.tally.total, d.tally.done, d.tally.accepted, d.tally.overdue, d.tally.percent]],
        [60, 14, 10, 12, 10, 12, 8],
    )
    _print(ws, header=4)

    ws = wb.create_sheet("По разделам")
    _table(
        ws,
        1,
        ["Раздел", "Всего", "Выполнено", "Просрочено", "%"],
        [
            [
                _section_label(b.section),
                b.tally.total,
                b.tally.done,
                b.tally.overdue,
                b.tally.percent,
            ]
            for b in d.sections
        ],
        [70, 10, 12, 12, 8],
    )
    _print(ws, header=1)

    ws = wb.create_sheet("Матрица")
    headings = ["№", "Мероприятие", *[c.short for c in d.columns]]
    rows = []
    for block in d.sections:
        if block.section["title"]:  # a flat plan's untitled section has no row
            rows.append([block.section["number"], block.section["title"], *[""] * len(d.columns)])
        for row in block.rows:
            rows.append(
                [
                    row.activity["number"],
                    row.activity["title"],
                    *[_cell_text(c) for c in row.cells],
                ]
            )
    _table(ws, 1, headings, rows, [6, 50, *[14] * len(d.columns)])
    r = 2
    for block in d.sections:
        if block.section["title"]:
            ws.cell(r, 2).font = HEAD
            r += 1
        for row in block.rows:
            for i, c in enumerate(row.cells, start=3):
                if c:
                    ws.cell(r, i).fill = PatternFill("solid", fgColor=FILLS[c["s"]])
            r += 1
    ws.freeze_panes = "C2"
    _print(ws, header=1, landscape=True)

    ws = wb.create_sheet("Просрочено")
    _table(
        ws,
        1,
        ["№", "Мероприятие", "Организация", "Срок", "Состояние"],
        [
            [e.activity.number, e.activity.title, str(e.organization), e.due_date, e.get_status_display()]
            for e in d.overdue
        ],
        [6, 60, 40, 12, 16],
    )
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "DD.MM.YYYY"
    _print(ws, header=1, landscape=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
