"""Importing a VPR schedule from .xlsx: read the sheet, check every row, write all or nothing.

The sheet has the columns of VprSessionResource («Код ОО», «Предмет», «Класс», «Литеры», «Дата»,
«Начало», «Окончание», «Форма», «Аудитории», «Участников», «Примечание»); the export of a
schedule (observers.exports.sessions_xlsx) is the template. A preview is a dry run of the same
import; the confirmed import repeats it and keeps nothing unless every row is valid.
"""

import io
from dataclasses import dataclass, field

import openpyxl
import tablib
from django.db import transaction

from observers.resources import VprSessionResource
from observers.selectors import schedule_schools
from schools.models import VprCampaign
from schools.models.vpr import date_warnings
from schools.resources import normalise
from schools.signals import calendar_changed
from schools.spreadsheet import cell
from vprplan.audit import audit
from vprplan.errors import DomainError
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
class ImportReport:
    rows: list[RowReport]
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def summary(self) -> dict:
        return {
            "new": self.count("new"),
            "update": self.count("update"),
            "skip": self.count("skip"),
            "errors": sum(1 for r in self.rows if r.errors),
        }

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)


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
    empty rows are dropped (and reading stops after a long run of them). Whatever openpyxl trips on
    (a DTD, a broken part, a cell claiming a type it is not) is a DomainError in Russian."""
    try:
        rows = _read_rows(content)
    except DomainError:
        raise
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException, ParseError, IndexError…
        raise DomainError("Файл не читается как таблица Excel (.xlsx).") from exc
    if not rows:
        raise DomainError("В файле нет строк.")
    return rows


def _read_rows(content: bytes) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows, empty = [], 0
    try:
        if not workbook.worksheets:
            raise DomainError("В книге Excel нет листов.")
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [clean_text(normalise(cell(v))) for v in values]
            if not any(cells):
                empty += 1
                if empty >= EMPTY_ROWS_TO_STOP:
                    break
                continue
            empty = 0
            rows.append([ROW if not rows else str(number), *cells])
            if len(rows) > MAX_ROWS + 1:
                raise DomainError(f"В файле больше {MAX_ROWS} строк: разделите его.")
    finally:
        workbook.close()
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
        raise DomainError(f"В первой строке нет столбцов: {', '.join(f'«{m}»' for m in missing)}.")
    resource = VprSessionResource(campaign=campaign, schools=schedule_schools(user=actor, campaign=campaign))
    with transaction.atomic():
        result = resource.import_data(
            _dataset(rows), dry_run=not commit, use_transactions=True, retain_instance_in_row_result=True
        )
        report = ImportReport(rows=[_row_report(r, campaign) for r in result.rows])
        for error in result.base_errors:
            report.rows.insert(
                0, RowReport(number=1, action="error", errors=[f"Файл не обработан: {error.error}"])
            )
        if commit and report.has_errors:
            transaction.set_rollback(True)
        elif commit:
            report.committed = True
            audit(
                actor,
                "vpr_session.imported",
                campaign,
                new=report.count("new"),
                updated=report.count("update"),
            )
            changed = {
                r.instance.school_id for r in result.rows if r.import_type in ("new", "update") and r.instance
            }
            if changed:
                calendar_changed.send(
                    sender=VprCampaign, region_id=campaign.region_id, year=campaign.year,
                    school_ids=changed, actor=actor,
                )  # fmt: skip
    return report


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
