"""Importing a VPR schedule from .xlsx: read the sheet, check every row, write all or nothing.

The sheet has the columns of VprSessionResource («Код ОО», «Предмет», «Класс», «Литеры», «Дата»,
«Начало», «Окончание», «Форма», «Аудитории», «Участников», «Примечание»); the export of a
schedule (schools.exports.sessions_xlsx) is the template. A preview is a dry run of the same
import; the confirmed import repeats it and keeps nothing unless every row is valid
(vprplan.importing.commit_import).
"""

from dataclasses import dataclass, field

import tablib
from django.db import transaction

from schools.models import VprCampaign
from schools.models.vpr import date_warnings
from schools.resources import VprSessionResource, normalise
from schools.selectors import schedule_schools
from schools.signals import calendar_changed
from vprplan.importing import ImportPreview, ImportRejected, commit_import, read_sheets
from vprplan.text import clean_text

MAX_ROWS = 5000
EMPTY_ROWS_TO_STOP = 50  # LibreOffice leaves ~1M formatted empty rows: stop long before


@dataclass
class RowReport:
    number: int  # the row of the sheet, header = 1
    action: str  # new, update, skip, invalid, error
    label: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport(ImportPreview):
    """The preview of a schedule file: its rows (RowReport) and the schools whose sessions change."""

    changed_schools: set[int] = field(default_factory=set)

    @property
    def summary(self) -> dict:
        return {
            "new": self.count("new"),
            "update": self.count("update"),
            "skip": self.count("skip"),
            "errors": sum(1 for r in self.rows if r.errors),
        }


ACTIONS = {
    "new": "добавится",
    "update": "изменится",
    "skip": "без изменений",
    "invalid": "ошибка",
    "error": "ошибка",
}


ROW = "№ строки"  # the sheet's own row number, carried through so errors point at it


def read_sheet(content: bytes) -> list[list[str]]:
    """The first sheet as rows of text, header first, each led by its row number in the sheet;
    empty rows are dropped (and reading stops after a long run of them). A file that is no readable
    workbook is ImportRejected in Russian (vprplan.importing.read_sheets)."""
    (_title, found), *_ = read_sheets(
        content, max_rows=MAX_ROWS, header_rows=1, empty_rows_to_stop=EMPTY_ROWS_TO_STOP, first_only=True
    )
    rows: list[list[str]] = []
    for number, values in found:
        cells = [clean_text(normalise(v)) for v in values]
        if any(cells):
            rows.append([ROW if not rows else str(number), *cells])
    if not rows:
        raise ImportRejected("В файле нет строк.")
    return rows


def _dataset(rows: list[list[str]]) -> tablib.Dataset:
    headers = [h.strip() for h in rows[0]]
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    for row in rows[1:]:
        dataset.append((row + [""] * width)[:width])
    return dataset


def _missing_columns(headers: list[str]) -> list[str]:
    required = ["Код ОО", "Предмет", "Класс", "Дата"]
    return [h for h in required if h not in headers]


def schedule_import(*, campaign: VprCampaign, actor, rows: list[list[str]], commit: bool) -> ImportReport:
    """Check (and with `commit`, write) the sheet's sessions for the schools the actor keeps."""
    missing = _missing_columns([h.strip() for h in rows[0]])
    if missing:
        raise ImportRejected(f"В первой строке нет столбцов: {', '.join(f'«{m}»' for m in missing)}.")
    resource = VprSessionResource(campaign=campaign, schools=schedule_schools(user=actor, campaign=campaign))

    def check() -> ImportReport:
        # django-import-export writes as it checks (in its own savepoint, kept only on a commit).
        result = resource.import_data(
            _dataset(rows), dry_run=not commit, use_transactions=True, retain_instance_in_row_result=True
        )
        report = ImportReport(rows=[_row_report(r, campaign) for r in result.rows])
        for error in result.base_errors:
            report.rows.insert(
                0, RowReport(number=1, action="error", errors=[f"Файл не обработан: {error.error}"])
            )
        report.changed_schools = {
            r.instance.school_id for r in result.rows if r.import_type in ("new", "update") and r.instance
        }
        return report

    if not commit:
        with transaction.atomic():
            return check()

    def write(report: ImportReport) -> tuple[VprCampaign, dict]:
        changed = report.changed_schools
        if changed:
            calendar_changed.send(
                sender=VprCampaign, region_id=campaign.region_id, year=campaign.year,
                school_ids=changed, actor=actor,
            )  # fmt: skip
        return campaign, {"new": report.count("new"), "updated": report.count("update")}

    return commit_import(actor=actor, action="vpr_session.imported", preview=check, write=write)


def _row_report(row_result, campaign: VprCampaign) -> RowReport:
    report = RowReport(number=int(row_result.row_values.get(ROW) or 0), action=row_result.import_type)
    instance = getattr(row_result, "instance", None)
    if instance is not None and getattr(instance, "school_id", None):
        report.label = f"{instance.school}: {instance.subject}, {instance.classes_label}"
        report.warnings = date_warnings(instance.date, campaign)
    if row_result.validation_error is not None:
        error = row_result.validation_error
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for _field, texts in messages.items():
            report.errors.extend(texts)
        report.warnings = []
    for error in row_result.errors:  # an exception, not a validation error: say so, never show a trace
        report.errors.append(f"Строка не обработана: {error.error}")
    return report
