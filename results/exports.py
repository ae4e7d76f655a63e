"""The markers of a municipality (or region) as .xlsx: a row per marker with its explanation."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from results.analysis import Analysis
from vprplan.documents.sheets import fit_row_heights, print_layout
from vprplan.text import sheet_value

HEADERS = ["ОО", "Логин ФИС ОКО", "Год ВПР", "Предмет", "Класс", "Маркер", "Пояснение", "Отмечена"]
WIDTHS = [46, 14, 9, 26, 7, 40, 90, 22]


def markers_xlsx(analysis: Analysis, schools: dict[int, tuple[str, str]], flagged: dict[tuple, str]) -> bytes:
    """`schools`: id → (name, login); `flagged`: (school id, year) → the flags' sources."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Маркеры"
    years = f"{analysis.years[0]}–{analysis.years[-1]}" if analysis.years else ""
    sheet.append([sheet_value(f"Маркеры результатов ВПР {years}: {analysis.area.name}")])
    sheet.append(["Маркеры — признаки, требующие внимания, а не вывод о необъективности результатов."])
    sheet.append([])
    sheet.append(HEADERS)
    sheet["A1"].font = Font(bold=True, size=12)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    rows = sorted(
        analysis.markers, key=lambda m: (schools.get(m.school_id, ("", ""))[0], -m.year, m.subject, m.grade)
    )
    for m in rows:
        name, login = schools.get(m.school_id, ("", ""))
        sheet.append(
            [
                sheet_value(v)
                for v in (name, login, m.year, m.subject, m.grade, m.label, m.text, flagged.get((m.school_id, m.year), ""))
            ]
        )
    for i, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    fit_row_heights(sheet, first_row=4)
    print_layout(sheet, title_rows="4:4", landscape=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
