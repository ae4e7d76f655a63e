"""An Excel workbook (.xlsx) as grids: one per visible sheet, with bold text and merged cells.

The title of a spreadsheet plan is in the rows above the header; table.py finds it there. Cells
holding formulas are listed on the grid so that the plan sheet can be refused clearly.
"""

import io
import warnings
from datetime import date, datetime, time

import openpyxl
from openpyxl.utils import get_column_letter

from reports.imports.errors import ImportFileError
from reports.imports.grid import EMPTY_ROWS_TO_STOP, MAX_COLUMNS, MAX_ROWS, Cell, Grid, clean_text, pad


def read_xlsx(data: bytes) -> list[Grid]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, rich_text=False)
    grids = [_read_sheet(ws) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    grids = [g for g in grids if g.rows]
    if not grids:
        raise ImportFileError("В книге Excel нет заполненных листов.")
    return grids


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return clean_text(str(value))


def _read_sheet(ws) -> Grid:
    grid = Grid(name=f"лист «{ws.title}»")
    width = min(ws.max_column or 1, MAX_COLUMNS)
    merges = {}
    for rng in ws.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, min(rng.max_col, width) + 1):
                merges[(row, col)] = rng
    empty_run = 0
    for r_index, cells in enumerate(ws.iter_rows(min_row=1, max_col=width), start=1):
        row: list[Cell] = []
        for c_index, xl in enumerate(cells, start=1):
            value = xl.value
            if xl.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                grid.formula_cells.append(f"{get_column_letter(c_index)}{r_index}")
            rng = merges.get((r_index, c_index))
            if rng is not None and (r_index, c_index) != (rng.min_row, rng.min_col):
                if c_index == rng.min_col:  # below the merge's origin: repeats its text
                    origin = (
                        grid.rows[rng.min_row - 1][c_index - 1] if rng.min_row <= len(grid.rows) else Cell()
                    )
                    row.append(Cell(text=origin.text, bold=origin.bold, span=origin.span, from_above=True))
                else:
                    row.append(Cell(covered=True))
                continue
            text = cell_text(value)
            span = (min(rng.max_col, width) - rng.min_col + 1) if rng is not None else 1
            row.append(Cell(text=text, bold=bool(text) and bool(xl.font and xl.font.b), span=span))
        grid.rows.append(row)
        grid.row_numbers.append(r_index)
        empty_run = 0 if any(c.text for c in row) else empty_run + 1
        if empty_run >= EMPTY_ROWS_TO_STOP:
            break
        if len(grid.rows) > MAX_ROWS + EMPTY_ROWS_TO_STOP:
            raise ImportFileError(f"На листе «{ws.title}» больше {MAX_ROWS} строк: это не план мероприятий.")
    return pad(grid)
