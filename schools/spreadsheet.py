"""Reading untrusted spreadsheets (.xlsx): sheets of rows, and cells as text, numbers («4,1 %»,
12.0), subjects, grades, years and organisation names as the ФИС ОКО writes them
(«(sch243012) МБОУ СОШ № 1»). Shared by the flag list import (schools.flag_import) and the VPR
results import (results.importing)."""

import io
import math
import re
import zipfile
from datetime import date, datetime

import openpyxl

from schools.models.vpr import VPR_SUBJECTS
from vprplan.errors import DomainError
from vprplan.text import clean_text

MAX_ROWS = 20000
# No count or percentage of the ФИС ОКО comes near this: a larger number is a broken or hostile cell.
MAX_NUMBER = 1e12
NOT_READABLE = (
    "Файл не читается как таблица Excel (.xlsx). Файл в старом формате .xls откройте в Excel "
    "или LibreOffice и сохраните как .xlsx."
)
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
EMPTY_ROWS_TO_STOP = 100

SPACES = re.compile(r"\s+")
LOGIN_IN_LABEL = re.compile(r"^\s*\(\s*([a-z]{2,4}\d{3,})\s*\)\s*(.*)$", re.IGNORECASE)
LOGIN = re.compile(r"^[a-z]{2,4}\d{3,}$", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(20[1-4]\d)(?!\d)")
GRADE = [
    re.compile(r"(?<![\d.])(1[01]|[2-9])\s*(?:-?\s*(?:й|го|ые|х))?\s*(?:класс|кл\b|кл\.)", re.IGNORECASE),
    re.compile(r"класс\w*\s*[:№]?\s*(1[01]|[2-9])(?!\d)", re.IGNORECASE),
]
SUBJECT_LINE = re.compile(r"предмет\s*:\s*(.+)", re.IGNORECASE)
# Words of the ФИС ОКО and of regional forms that name a subject, mapped to the project's names.
SUBJECT_WORDS = {
    "русский язык": "Русский язык",
    "русскому языку": "Русский язык",
    "математика": "Математика",
    "математике": "Математика",
    "окружающий мир": "Окружающий мир",
    "окружающему миру": "Окружающий мир",
    "история": "История",
    "истории": "История",
    "обществознание": "Обществознание",
    "обществознанию": "Обществознание",
    "биология": "Биология",
    "биологии": "Биология",
    "география": "География",
    "географии": "География",
    "физика": "Физика",
    "физике": "Физика",
    "химия": "Химия",
    "химии": "Химия",
    "литература": "Литература",
    "литературе": "Литература",
    "информатика": "Информатика",
    "информатике": "Информатика",
    "английский язык": "Иностранный язык (английский)",
    "английскому языку": "Иностранный язык (английский)",
    "немецкий язык": "Иностранный язык (немецкий)",
    "французский язык": "Иностранный язык (французский)",
}


def text(value) -> str:
    """A cell as one line of text: 107.0 → «107», a date → «18.04.2024», None → «»."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return SPACES.sub(" ", str(value).replace("\xa0", " ")).strip()


def key(value) -> str:
    """Text for comparing headings and names: lower case, ё → е, no quotes or dots."""
    found = text(value).lower().replace("ё", "е")
    found = re.sub(r"[«»\"“”„'`]", "", found)
    found = re.sub(r"\s*№\s*", " № ", found)
    return SPACES.sub(" ", re.sub(r"[.,;:()\[\]]", " ", found)).strip()


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


def canonical_subject(value) -> str:
    """The project's name of a subject («английский язык» → «Иностранный язык (английский)»)."""
    found = key(value)
    if not found:
        return ""
    for name in VPR_SUBJECTS:
        if key(name) == found:
            return name
    for word in sorted(SUBJECT_WORDS, key=len, reverse=True):
        if word in found:
            return SUBJECT_WORDS[word]
    return text(value)[:1].upper() + text(value)[1:100]


def subject_in(line: str) -> str:
    """A subject named in a title line («Предмет: Математика», «ВПР по математике, 5 класс»)."""
    match = SUBJECT_LINE.search(line)
    if match:
        return canonical_subject(match.group(1).split("  ")[0])
    lowered = key(line)
    for word in sorted(SUBJECT_WORDS, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return SUBJECT_WORDS[word]
    return ""


def grade_in(line: str) -> int | None:
    for pattern in GRADE:
        match = pattern.search(line)
        if match:
            return int(match.group(1))
    return None


def year_in(line: str) -> int | None:
    match = YEAR.search(line)
    return int(match.group(1)) if match else None


def split_login(label: str) -> tuple[str, str]:
    """«(sch243012) МБОУ СОШ № 1» → («sch243012», «МБОУ СОШ № 1»)."""
    match = LOGIN_IN_LABEL.match(label)
    return (match.group(1).lower(), match.group(2).strip()) if match else ("", label)


def as_int(value: float) -> int:
    return int(round(value))


def counts_from_percent(percents: list[float], participants: int) -> list[int]:
    """Percentages of `participants` as whole counts that add up (largest remainder)."""
    raw = [p * participants / 100.0 for p in percents]
    counts = [int(r) for r in raw]
    target = round(sum(raw))
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: max(0, target - sum(counts))]:
        counts[i] += 1
    return counts


def read_workbook(content: bytes) -> list[tuple[str, list[tuple[int, list]]]]:
    """Every sheet as (title, [(row number, cells)]), empty rows dropped. Whatever openpyxl trips
    on while reading (a DTD, a shared string past the table, a cell claiming a type it is not,
    a truncated part) is a DomainError with a Russian message."""
    try:
        return _read_workbook(content)
    except DomainError:
        raise
    except Exception as exc:  # BadZipFile, KeyError, ParseError, ValueError, IndexError…
        raise DomainError(NOT_READABLE) from exc


def _read_workbook(content: bytes) -> list[tuple[str, list[tuple[int, list]]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise DomainError("Файл слишком велик в распакованном виде: это не обычная таблица Excel.")
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheets, total = [], 0
    try:
        for sheet in workbook.worksheets:
            rows, empty = [], 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not any(text(v) for v in values):
                    empty += 1
                    if empty >= EMPTY_ROWS_TO_STOP:
                        break
                    continue
                empty = 0
                rows.append((number, [cell(v) for v in values]))
                total += 1
                if total > MAX_ROWS:
                    raise DomainError(f"В файле больше {MAX_ROWS} строк: разделите его.")
            sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    return sheets
