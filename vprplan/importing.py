"""One shape for every import of a file: reader → preview → all-or-nothing commit.

Plans (reports.imports), the VPR schedule (schools.schedule), ФИС ОКО results (results.importing)
and flag lists (schools.flag_import) each keep their domain rules in their app; what they share
is written here once:

- the reader: untrusted bytes become numbered rows, or the whole file is refused with
  ImportRejected, a DomainError whose text is the Russian reason. The bounds (size, rows, a run of
  empty rows that ends a sheet, the unpacked size of a workbook) and the safe reading of .xlsx
  sheets (`read_sheets`) are here; whatever a parser trips on is a Russian message, never a trace;
- the preview: ImportPreview holds every row with its action and its errors (`RowIssue`: the row
  number as the user sees it and a Russian sentence); building it writes nothing;
- the commit: `commit_import` builds the preview again inside one `transaction.atomic` (that is
  where every row is re-checked against the actor's scope), writes only when no row is in error,
  rolls everything back when a row fails while writing, and writes the audit record.

    report = commit_import(
        actor=actor, action="results.imported", preview=lambda: check(rows), write=write,
    )
    report.committed  # False: a row is in error and nothing was written
"""

import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import openpyxl
from django.db import transaction

from vprplan.audit import audit
from vprplan.errors import DomainError
from vprplan.text import clean_text

NOT_READABLE = (
    "Файл не читается как таблица Excel (.xlsx). Файл в старом формате .xls откройте в Excel "
    "или LibreOffice и сохраните как .xlsx."
)
# No workbook of a few thousand rows unpacks to more; vprplan.uploads refuses bombs before this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# No count, score or percentage an import reads comes near this: a larger number is a broken or
# hostile cell.
MAX_NUMBER = 1e12
SPACES = re.compile(r"\s+")


class ImportRejected(DomainError):
    """The file as a whole cannot be imported (not readable, too big, no header…); nothing is
    written. `str(error)` is the Russian reason and what to do about it."""


@dataclass(frozen=True)
class RowIssue:
    """A problem of one row (`row` as the user sees it: the sheet's row, the document's line) or of
    the whole file (`row` None)."""

    row: int | None
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}

    def __str__(self) -> str:
        return f"Строка {self.row}: {self.message}" if self.row else self.message


def issues_sentence(issues: list[dict]) -> str:
    """The first of `issues` ({"row", "message"}) as a sentence, with how many more there are."""
    first = issues[0] if issues else {"row": None, "message": "Ошибка импорта."}
    more = f" (и ещё ошибок: {len(issues) - 1})" if len(issues) > 1 else ""
    return f"{RowIssue(first.get('row'), first['message'])}{more}"


# Bounds ------------------------------------------------------------------------------------------


def size_label(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size // 1024} КБ"
    return f"{size / (1024 * 1024):.0f} МБ"


def check_size(data: bytes, *, max_bytes: int) -> None:
    """ImportRejected for an empty file or one above `max_bytes`."""
    if len(data) > max_bytes:
        raise ImportRejected(f"Файл больше {size_label(max_bytes)}: загрузите файл меньшего размера.")
    if not data.strip():
        raise ImportRejected("Файл пустой.")


def too_many_rows(limit: int) -> ImportRejected:
    return ImportRejected(f"В файле больше {limit} строк: разделите его.")


# Cells -------------------------------------------------------------------------------------------


def cell_value(value):
    """A spreadsheet cell's value as the clerk typed it: 107.0 → 107, a datetime → its date,
    None → ""; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime):
        return value.date()
    return value


def text(value) -> str:
    """A cell as one line of text: 107.0 → «107», a date → «18.04.2024», None → «»."""
    value = cell_value(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return SPACES.sub(" ", str(value).replace("\xa0", " ")).strip()


def number(value) -> float | None:
    """A cell as a number: 12, 12.5, «12,5», «12,5 %», «1 234»; empty or «-» is None.
    Anything else raises ValueError."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _bounded(value)
    raw = text(value).replace(" ", "").replace("%", "").replace(",", ".")
    if raw in ("", "-", "—", "–"):
        return None
    if len(raw) > 30:
        raise ValueError("слишком длинное число")
    return _bounded(float(raw))


def _bounded(value: int | float) -> float:
    """A finite number of sane size, or ValueError (1e309, NaN, a 4,000-digit integer)."""
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        raise ValueError("слишком большое число")
    value = float(value)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ValueError("слишком большое число")
    return value


def cell(value):
    """A cell as read from an untrusted sheet: text cleaned (vprplan.text), a number that is no
    finite number of sane size kept as its text, so that no later arithmetic overflows."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            _bounded(value)
        except ValueError:
            return str(value)
    return value


# Reading .xlsx -----------------------------------------------------------------------------------

Sheet = tuple[str, list[tuple[int, list]]]  # (title, [(row number, cells)])


def read_sheets(
    content: bytes, *, max_rows: int, empty_rows_to_stop: int, first_only: bool = False, header_rows: int = 0
) -> list[Sheet]:
    """The workbook's sheets (or its first one) as (title, [(row number, cells)]), cells passed
    through `cell`, empty rows dropped and a sheet ended by a run of `empty_rows_to_stop` of them
    (LibreOffice leaves a million formatted empty rows). More than `max_rows` rows in all (besides
    `header_rows`), or
    whatever openpyxl trips on (a DTD, a shared string past the table, a cell claiming a type it is
    not, a truncated part), is ImportRejected with a Russian message."""
    try:
        return _read_sheets(content, max_rows, empty_rows_to_stop, first_only, header_rows)
    except DomainError:
        raise
    except Exception as exc:  # BadZipFile, KeyError, ParseError, ValueError, IndexError…
        raise ImportRejected(NOT_READABLE) from exc


def _read_sheets(
    content: bytes, max_rows: int, empty_rows_to_stop: int, first_only: bool, header_rows: int
) -> list[Sheet]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportRejected("Файл слишком велик в распакованном виде: это не обычная таблица Excel.")
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheets, total = [], 0
    try:
        worksheets = workbook.worksheets[:1] if first_only else workbook.worksheets
        if not worksheets:
            raise ImportRejected("В книге Excel нет листов.")
        for sheet in worksheets:
            rows, empty = [], 0
            for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not any(text(v) for v in values):
                    empty += 1
                    if empty >= empty_rows_to_stop:
                        break
                    continue
                empty = 0
                rows.append((row_number, [cell(v) for v in values]))
                total += 1
                if total > max_rows + header_rows:
                    raise too_many_rows(max_rows)
            sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    return sheets


# Preview and commit ------------------------------------------------------------------------------


class PreviewRow(Protocol):
    """What every import's row of a preview has (a dataclass of its app)."""

    number: int
    action: str
    errors: list[str]


@dataclass
class ImportPreview:
    """What an import would do, row by row: each row's `action` (new, update, same, skip, error…)
    and `errors`; `committed` once commit_import wrote it."""

    rows: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def has_errors(self) -> bool:
        return any(r.errors or r.action == "error" for r in self.rows)

    @property
    def issues(self) -> list[RowIssue]:
        return [RowIssue(r.number, message) for r in self.rows for message in r.errors]


P = TypeVar("P")


def commit_import(
    *,
    actor,
    action: str,
    preview: Callable[[], P],
    write: Callable[[P], tuple[Any, dict]],
    has_errors: Callable[[P], bool] = lambda report: report.has_errors,
) -> P:
    """All or nothing, in one transaction: build the preview again (the import's own check of
    every row against the actor's scope, which may itself write, as django-import-export does),
    then `write` it; audit `action` on the object `write` returns, with its details. With any row in
    error (before or after writing) everything is rolled back and the preview comes back with
    `committed` False; a DomainError raised by `write` rolls back too and propagates."""
    with transaction.atomic():
        report = preview()
        if has_errors(report):
            transaction.set_rollback(True)
            return report
        target, details = write(report)
        if has_errors(report):
            transaction.set_rollback(True)
            return report
        audit(actor, action, target, **details)
        report.committed = True
    return report
