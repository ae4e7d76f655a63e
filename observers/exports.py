"""The «График распределения общественных наблюдателей» as .xlsx and as a printable PDF (an
order's appendix, rendered by a job as a long export: `SCHEDULE_EXPORT`, registered from
observers/apps.py). A school's schedule as .xlsx is schools.exports.sessions_xlsx."""

import io
from datetime import date

import openpyxl
from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from observers import selectors
from observers.models import Assignment, Observer
from observers.selectors import schedule_rows
from schools.models import EducationAuthority, Organization, VprCampaign, VprSession
from schools.selectors import campaign_for_user
from vprplan.documents.kinds import ExportKind, Rendered
from vprplan.documents.pdf import LANDSCAPE_WIDTH_MM, render_pdf
from vprplan.documents.sheets import fit_row_heights, print_layout
from vprplan.documents.widths import column_widths
from vprplan.errors import DomainError
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
    fit_row_heights(ws)
    print_layout(ws, title_rows=f"{header}:{header}", landscape=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def schedule_context(
    municipality: Organization, campaign: VprCampaign, *, appendix_heading: str = ""
) -> dict:
    """What the schedule PDF prints: the appendix heading of the order «Об утверждении графика
    распределения общественных наблюдателей» (blanks for its date and number until it is issued),
    the title, the rows, the authority's signatory."""
    authority = EducationAuthority.objects.filter(municipality=municipality).first()
    genitive = (authority.genitive_name or authority.full_name) if authority else municipality.name
    lines = (
        appendix_heading.splitlines()
        if appendix_heading
        else [
            "Приложение",
            "УТВЕРЖДЕН",
            f"приказом {genitive}",
            "от «___» ____________ 20___ г. № _____",
        ]
    )
    rows = [
        [f"{c:%d.%m.%Y}" if isinstance(c, date) else str(c) for c in _cells(number, row)]
        for number, row in enumerate(schedule_rows(campaign=campaign, municipality=municipality), start=1)
    ]
    labels = [("number" if i == 0 else f"c{i}", name) for i, (name, _) in enumerate(COLUMNS)]
    widths = column_widths(
        labels, rows, LANDSCAPE_WIDTH_MM, size=11, whole_headings=("№ п/п",), hyphenate_headings=True
    )
    return {
        "title": schedule_title(municipality, campaign),
        "campaign": campaign,
        "municipality": municipality,
        "authority": authority,
        "appendix_heading": lines,
        "rows": rows,
        "columns": [(name, width) for (_key, name), width in zip(labels, widths, strict=True)],
        "centered": [1, 2, 3, 6, 7, 8, 9],
    }


def render_schedule_pdf(
    municipality: Organization, campaign: VprCampaign, *, appendix_heading: str = ""
) -> bytes:
    """The schedule as the appendix of the order that approves it (A4 landscape, header row on
    every page), through the project's one PDF renderer. `appendix_heading` (lines) replaces the
    heading with blanks once the order's date and number are known."""
    context = schedule_context(municipality, campaign, appendix_heading=appendix_heading)
    return render_pdf("observers/schedule_pdf.html", context).pdf


# The schedule PDF as a long export (vprplan.documents.exports), asked for on observers.views.board.

SCHEDULE_PDF = "observer_schedule_pdf"


def _schedule_check(user, params) -> tuple[VprCampaign, Organization]:
    try:
        campaign = campaign_for_user(user=user, pk=params.get("campaign"))
        municipality = selectors.municipality_for_user(user=user, code=params.get("code", ""))
    except Http404:
        municipality = campaign = None
    if municipality is None or municipality.region_id != campaign.region_id:
        raise DomainError("График не сформирован: у вас больше нет доступа к графику этого муниципалитета.")
    return campaign, municipality


def _schedule_render(user, params, objects) -> Rendered:
    campaign, municipality = objects
    content = render_schedule_pdf(municipality, campaign)
    return Rendered(content, f"grafik-nabludateley-{municipality.code}-{campaign.year}.pdf")


def _schedule_version(params) -> str:
    """The campaign's sessions, the assignments and the municipality's observers: last change and number."""
    parts = [
        model.objects.filter(**where).aggregate(n=Count("pk"), at=Max("updated_at"))
        for model, where in (
            (VprSession, {"campaign_id": params.get("campaign")}),
            (Assignment, {"session__campaign_id": params.get("campaign")}),
            (Observer, {"municipality__code": params.get("code")}),
        )
    ]
    return "|".join(f"{p['n']}:{p['at']}" for p in parts) + f"|{timezone.localdate()}"


def _schedule_source_url(params) -> str:
    return reverse("observers:observer_schedule_pdf", args=[params["campaign"], params["code"]])


SCHEDULE_EXPORT = ExportKind(
    check=_schedule_check,
    render=_schedule_render,
    version=_schedule_version,
    title="График распределения общественных наблюдателей",
    personal_data={"export": "observer_schedule", "fields": ["full_name", "kind", "organization_name"]},
    source_url=_schedule_source_url,
)
