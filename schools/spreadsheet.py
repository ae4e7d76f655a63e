"""Reading the VPR's spreadsheets (.xlsx): sheets of rows (vprplan.importing reads them safely,
with its cells as text and numbers «4,1 %», 12.0), subjects, grades, years and organisation names
as the ФИС ОКО writes them («(sch243012) МБОУ СОШ № 1»). Shared by the flag list import
(schools.flag_import) and the VPR results import (results.importing)."""

import re

from schools.models.vpr import VPR_SUBJECTS
from vprplan.importing import SPACES, Sheet, cell, number, read_sheets, text

__all__ = ["cell", "number", "text"]  # the cells of vprplan.importing, used through this module

MAX_ROWS = 20000
EMPTY_ROWS_TO_STOP = 100

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


def key(value) -> str:
    """Text for comparing headings and names: lower case, ё → е, no quotes or dots."""
    found = text(value).lower().replace("ё", "е")
    found = re.sub(r"[«»\"“”„'`]", "", found)
    found = re.sub(r"\s*№\s*", " № ", found)
    return SPACES.sub(" ", re.sub(r"[.,;:()\[\]]", " ", found)).strip()


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


def read_workbook(content: bytes) -> list[Sheet]:
    """Every sheet as (title, [(row number, cells)]), empty rows dropped; a file that is no readable
    workbook is ImportRejected (a DomainError) with a Russian message (vprplan.importing)."""
    return read_sheets(content, max_rows=MAX_ROWS, empty_rows_to_stop=EMPTY_ROWS_TO_STOP)
