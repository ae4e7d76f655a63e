"""The «График распределения общественных наблюдателей» as .xlsx and as a printable PDF (an
order's appendix), and a schedule as the .xlsx template its import reads back."""

import io
from datetime import date

import openpyxl
import tablib
from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from observers.resources import VprSessionResource
from observers.selectors import schedule_rows
from schools.models import Organization, VprCampaign
from vprplan.text import sheet_value

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FONT = "Times New Roman"
COLUMNS = [
    ("№ п/п", 6),
    ("Дата", 11),
    ("Время", 12),
    ("ОО", 34),
    ("Предмет", 20),
    ("Класс", 9),
    ("Форма", 12),
    ("Аудитории", 14),
    ("Участников", 11),
    ("Общественный наблюдатель", 30),
    ("Статус наблюдателя", 30),
]

# Shares of the landscape page's width, in the order of COLUMNS.
PDF_SHARES = [5, 10, 10, 19, 12, 6, 11, 8, 8, 15, 16]


def schedule_title(municipality: Organization, campaign: VprCampaign) -> str:
    return (
        "График распределения общественных наблюдателей при проведении всероссийских проверочных "
        f"работ в {campaign.year} году: {municipality.name}"
    )


def _observer_status(observer) -> str:
    if observer is None:
        return ""
    kind = observer.get_kind_display()
    return f"{kind}, {observer.organization_name}" if observer.organization_name else kind


def _cells(number: int, row: dict) -> list:
    s, observer = row["session"], row["observer"]
    return [
        number,
        s.date,
        s.time_label,
        str(s.school),
        s.subject,
        s.classes_label,
        s.get_form_display(),
        (
            row["assignment"].auditorium
            if row["assignment"] and row["assignment"].auditorium
            else s.auditoriums
        ),
        s.participants or "",
        observer.full_name if observer else "не назначен",
        _observer_status(observer),
    ]


def schedule_xlsx(municipality: Organization, campaign: VprCampaign) -> bytes:
    """The schedule of a municipality's sessions and observers as a workbook, A4 landscape."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "График"
    ws.cell(1, 1, sheet_value(schedule_title(municipality, campaign))).font = Font(name=FONT, size=12, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 32
    header = 3
    for col, (title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(header, col, sheet_value(title))
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, row in enumerate(schedule_rows(campaign=campaign, municipality=municipality), start=1):
        for col, value in enumerate(_cells(number, row), start=1):
            cell = ws.cell(header + number, col, sheet_value(value))
            cell.font = Font(name=FONT, size=11)
            cell.alignment = WRAP
            cell.border = BORDER
            if col == 2:
                cell.number_format = "DD.MM.YYYY"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_schedule_pdf(
    municipality: Organization, campaign: VprCampaign, *, appendix_heading: str = ""
) -> bytes:
    """The schedule as a PDF appendix (A4 landscape, header row on every page). The orders issue
    calls this for an order's appendix and may pass its «Приложение к приказу … от … № …»."""
    from weasyprint import HTML

    html = render_to_string(
        "observers/schedule_pdf.html",
        {
            "title": schedule_title(municipality, campaign),
            "appendix_heading": appendix_heading,
            "rows": [
                [f"{c:%d.%m.%Y}" if isinstance(c, date) else c for c in _cells(number, row)]
                for number, row in enumerate(
                    schedule_rows(campaign=campaign, municipality=municipality), start=1
                )
            ],
            "columns": [
                (name, 100 * share / sum(PDF_SHARES))
                for (name, _), share in zip(COLUMNS, PDF_SHARES, strict=True)
            ],
            "centered": [1, 2, 3, 6, 9],
        },
    )
    return HTML(string=html).write_pdf()


def sessions_xlsx(sessions) -> bytes:
    """Sessions in the import's columns: the template a school fills and imports back."""
    dataset = VprSessionResource().export(queryset=sessions)
    rows = [[sheet_value(value) for value in row] for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers).export("xlsx")
