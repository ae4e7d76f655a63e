"""Reading the ФИС ОКО statistics exports: «Статистика по отметкам», «Распределение первичных
баллов», «Сравнение отметок с отметками по журналу».

Tolerant of how they come: the header is found by its words («ОО», «Кол-во участников» and
synonyms) wherever it stands, a merged group heading over «2 3 4 5» or «0 1 2 … 38» is read as
two header rows, values may be percentages or counts, the year, subject and grade come from the
title lines, the sheet's columns or the upload form. Nothing here touches the database: the rows
go to results.importing.service for matching and writing.
"""

import re
from dataclasses import dataclass, field

from results.choices import ResultKind
from schools import spreadsheet as cells
from schools.spreadsheet import read_workbook
from vprplan.importing import ImportRejected

HEADER_SEARCH_ROWS = 40

ORG_HEADINGS = {
    "оо", "образовательная организация", "наименование оо", "наименование организации", "организация",
    "группы участников", "территория", "наименование", "оо территория", "участники", "ату",
}  # fmt: skip
PARTICIPANT_WORDS = ("кол-во уч", "количество уч", "кол уч", "число уч", "участников", "кол-во чел")
JOURNAL_WORDS = {"понизил": 0, "подтвердил": 1, "повысил": 2}
SKIP_LABELS = ("вся выборка", "российская федерация", "рф", "итого по рф")


@dataclass
class ParsedRow:
    sheet: str
    number: int  # the sheet's row, as the user sees it
    label: str
    login: str
    kind: str
    year: int | None
    subject: str
    grade: int | None
    participants: int | None
    values: list[int]
    errors: list[str] = field(default_factory=list)


@dataclass
class Defaults:
    """What the upload form says when the file does not."""

    year: int | None = None
    subject: str = ""
    grade: int | None = None


@dataclass
class Columns:
    org: int | None = None
    login: int | None = None
    participants: int | None = None
    percent_col: int | None = None  # the «%» column of the vertical journal layout
    subject: int | None = None
    grade: int | None = None
    year: int | None = None
    values: dict[int, int] = field(default_factory=dict)  # column → mark, score or journal group
    percent: set[int] = field(default_factory=set)  # value columns in percent
    scores_heading: bool = False
    kind: str = ""


def _is_header(row: list) -> bool:
    keys = [cells.key(v) for v in row]
    return any(_is_org_heading(k) for k in keys) and (
        any(any(w in k for w in PARTICIPANT_WORDS) for k in keys) or sum(1 for k in keys if k) >= 3
    )


VALUE_LABEL = re.compile(r"^(?:отметка |доля )?(\d{1,3})(?: ?%| ?б| ?балл\w*)?$")


def _value_label(label: str) -> int | None:
    """«2», «"2"», «Отметка «2»», «2 (%)», «14 б.» → the number; anything else → None."""
    match = VALUE_LABEL.match(cells.key(label))
    return int(match.group(1)) if match else None


def _is_org_heading(k: str) -> bool:
    return k in ORG_HEADINGS or k.startswith("наименование") or ("образовательн" in k and "организац" in k)


def classify(top: list[str], sub: list[str] | None) -> Columns:
    """Roles of the columns from one header row, or two (a merged group heading over its parts)."""
    width = max(len(top), len(sub or []))
    top = top + [""] * (width - len(top))
    sub = (sub or []) + [""] * (width - len(sub or []))
    cols, group = Columns(), ""
    for j in range(width):
        head = top[j]
        if head:
            group = head
        elif sub[j]:
            head = group  # under a merged heading
        k, s = cells.key(head), cells.key(sub[j])
        both = f"{k} {s}".strip()
        if not both:
            continue
        if _is_org_heading(k) and cols.org is None and not s:
            cols.org = j
        elif "логин" in both:
            cols.login = j
        elif k == "предмет":
            cols.subject = j
        elif k in ("класс", "параллель"):
            cols.grade = j
        elif k in ("год", "год впр", "год проведения"):
            cols.year = j
        elif "кол-во оо" in both or "количество оо" in both:
            continue
        elif any(w in both for w in JOURNAL_WORDS):
            cols.values[j] = next(v for w, v in JOURNAL_WORDS.items() if w in both)
            cols.kind = ResultKind.JOURNAL
            if "%" in both and not (s and "%" not in s and "кол" in s):
                cols.percent.add(j)
        elif any(w in both for w in PARTICIPANT_WORDS) and _value_label(sub[j] or head) is None:
            cols.participants = j
        elif both in ("%", "доля", "доля участников", "процент"):
            cols.percent_col = j
        else:
            value = _value_label(sub[j] or head)
            if value is not None:
                cols.values[j] = value
                if "%" in both or "процент" in both or "доля" in both:
                    cols.percent.add(j)
                cols.scores_heading |= "первичн" in both
    if not cols.kind:
        found = set(cols.values.values())
        if cols.scores_heading or (0 in found and len(found) >= 6):
            cols.kind = ResultKind.SCORES
        elif found == {2, 3, 4, 5} and len(cols.values) == 4:
            cols.kind = ResultKind.MARKS
    return cols


def _sub_header(row: list, org: int | None) -> bool:
    """The row under the header is its second row: nothing in the organisation column, and only
    short labels (2, 3, 4, 5 / 0…38 / «%» / «Кол-во»)."""
    texts = [cells.text(v) for v in row]
    if org is not None and org < len(texts) and texts[org]:
        return False
    filled = [t for t in texts if t]
    return len(filled) >= 2 and all(len(t) <= 40 for t in filled)


def parse_workbook(content: bytes, defaults: Defaults | None = None) -> tuple[list[ParsedRow], list[str]]:
    """All rows of all sheets, and notes about sheets that were skipped. Raises ImportRejected (a
    DomainError) with a Russian message when no sheet is a ФИС ОКО statistics export."""
    defaults = defaults or Defaults()
    rows, notes = [], []
    for title, sheet_rows in read_workbook(content):
        found, note = parse_sheet(title, sheet_rows, defaults)
        rows += found
        if note:
            notes.append(note)
    if not rows:
        raise ImportRejected(
            " ".join(notes)
            or "В файле нет данных. Ожидается выгрузка ФИС ОКО: «Статистика по отметкам», «Распределение "
            "первичных баллов» или «Сравнение отметок с отметками по журналу»."
        )
    return rows, notes


def parse_sheet(title: str, rows: list[tuple[int, list]], defaults: Defaults) -> tuple[list[ParsedRow], str]:
    at = next((i for i, (_n, r) in enumerate(rows[:HEADER_SEARCH_ROWS]) if _is_header(r)), None)
    if at is None:
        return [], (
            f"Лист «{title}»: не найдена строка заголовков (ожидаются столбцы «ОО» и «Кол-во участников» "
            "или их синонимы) — лист пропущен."
        )
    top = [cells.text(v) for v in rows[at][1]]
    cols = classify(top, None)
    first_data = at + 1
    if first_data < len(rows) and _sub_header(rows[first_data][1], cols.org):
        cols = classify(top, [cells.text(v) for v in rows[first_data][1]])
        first_data += 1
    if cols.org is None and cols.login is None:
        return [], f"Лист «{title}»: нет столбца с наименованием ОО — лист пропущен."
    title_lines = [title] + [" ".join(cells.text(v) for v in r if cells.text(v)) for _n, r in rows[:at]]
    context = Defaults(
        year=next((y for line in title_lines if (y := cells.year_in(line))), None) or defaults.year,
        subject=next((s for line in title_lines if (s := cells.subject_in(line))), "") or defaults.subject,
        grade=next((g for line in title_lines if (g := cells.grade_in(line))), None) or defaults.grade,
    )
    vertical_journal = (
        not cols.kind
        and cols.org is not None
        and (
            cells.key(top[cols.org]) == "группы участников"
            or any(
                any(w in cells.key(_cell(r, cols.org)) for w in JOURNAL_WORDS) for _n, r in rows[first_data:]
            )
        )
    )
    if vertical_journal:
        return _vertical_journal(title, rows[first_data:], cols, context), ""
    if not cols.kind:
        return [], (
            f"Лист «{title}»: не понятно, что в нём — нет столбцов отметок «2»–«5», первичных баллов "
            "или сравнения с журналом (понизили / подтвердили / повысили). Лист пропущен."
        )
    return [_row(title, n, r, cols, context) for n, r in rows[first_data:] if _label(r, cols)], ""


def _cell(row: list, j: int | None):
    return row[j] if j is not None and j < len(row) else None


def _label(row: list, cols: Columns) -> str:
    return cells.text(_cell(row, cols.org)) or cells.text(_cell(row, cols.login))


def _context(title: str, number: int, row: list, cols: Columns, context: Defaults, kind: str) -> ParsedRow:
    label = cells.text(_cell(row, cols.org))
    login, name = cells.split_login(label)
    login = cells.text(_cell(row, cols.login)).lower() or login
    parsed = ParsedRow(
        title, number, name or login, login, kind, context.year, context.subject, context.grade, None, []
    )
    try:
        if cols.year is not None and cells.text(_cell(row, cols.year)):
            parsed.year = cells.as_int(cells.number(_cell(row, cols.year)))
        if cols.grade is not None and cells.text(_cell(row, cols.grade)):
            parsed.grade = cells.grade_in(f"{cells.text(_cell(row, cols.grade))} класс")
        if cols.subject is not None and cells.text(_cell(row, cols.subject)):
            parsed.subject = cells.canonical_subject(_cell(row, cols.subject))
    except (TypeError, ValueError):
        parsed.errors.append("Год или класс не число.")
    for missing, what in ((parsed.year, "год"), (parsed.subject, "предмет"), (parsed.grade, "класс")):
        if not missing:
            parsed.errors.append(f"Не указан {what}: его нет ни в файле, ни в форме загрузки.")
    return parsed


def _row(title: str, number: int, row: list, cols: Columns, context: Defaults) -> ParsedRow:
    parsed = _context(title, number, row, cols, context, cols.kind)
    try:
        participants = cells.number(_cell(row, cols.participants))
        raw = {v: cells.number(_cell(row, j)) for j, v in cols.values.items()}
    except ValueError:
        parsed.errors.append("В строке есть нечисловые значения там, где ожидаются числа.")
        return parsed
    parsed.participants = cells.as_int(participants) if participants is not None else None
    size = max(raw) + 1 if cols.kind == ResultKind.SCORES else (3 if cols.kind == ResultKind.JOURNAL else 4)
    base = 2 if cols.kind == ResultKind.MARKS else 0
    values = [raw.get(i + base) or 0.0 for i in range(size)]
    if all(v is None for v in raw.values()):
        parsed.errors.append("Нет значений.")
        return parsed
    in_percent = bool(cols.percent) or any(not float(v).is_integer() for v in values)
    total = sum(values)
    n = parsed.participants
    if not in_percent and n is not None and round(total) != n and abs(total - 100) <= 1.5:
        in_percent = True  # «%» lost from the heading: the values add up to 100, not to the participants
    if in_percent:
        if n is None:
            parsed.errors.append(
                "Значения в процентах, но не указано число участников («Кол-во участников»)."
            )
            return parsed
        if cols.kind != ResultKind.JOURNAL and abs(total - 100) > 1.5 and total > 0:
            parsed.errors.append(f"Проценты в строке дают в сумме {cells.text(round(total, 1))}, а не 100.")
            return parsed
        parsed.values = cells.counts_from_percent(values, n)
    else:
        parsed.values = [cells.as_int(v) for v in values]
        if n is None:
            parsed.participants = sum(parsed.values)
        elif cols.kind != ResultKind.JOURNAL and sum(parsed.values) != n:
            what = "отметок" if cols.kind == ResultKind.MARKS else "по баллам"
            parsed.errors.append(f"Сумма {what} ({sum(parsed.values)}) не равна числу участников ({n}).")
    return parsed


def _vertical_journal(
    title: str, rows: list[tuple[int, list]], cols: Columns, context: Defaults
) -> list[ParsedRow]:
    """«Группы участников | Кол-во участников | %»: an organisation's row, then its three groups
    («Понизили (Отметка < Отметка по журналу) %» …) with a count, a percentage or both."""
    found: list[ParsedRow] = []
    percents: dict[int, float] = {}
    for number, row in rows:
        label = cells.key(_cell(row, cols.org))
        group = next((v for w, v in JOURNAL_WORDS.items() if w in label), None)
        current = found[-1] if found else None
        try:
            count = cells.number(_cell(row, cols.participants))
            share = cells.number(_cell(row, cols.percent_col))
        except ValueError:
            if current is not None:
                current.errors.append(f"Строка {number}: нечисловое значение.")
            continue
        if group is None:
            if label.startswith("всего") or not label:
                continue
            if current is not None:
                _finish_journal(current, percents)
            current = _context(title, number, row, cols, context, ResultKind.JOURNAL)
            current.values, percents = [-1, -1, -1], {}
            current.participants = cells.as_int(count) if count is not None else None
            found.append(current)
        elif current is not None:
            if count is not None:
                current.values[group] = cells.as_int(count)
            elif share is not None:
                percents[group] = share
    if found:
        _finish_journal(found[-1], percents)
    return found


def _finish_journal(row: ParsedRow, percents: dict[int, float]) -> None:
    for group, share in percents.items():
        if row.values[group] < 0 and row.participants:
            row.values[group] = cells.as_int(share * row.participants / 100)
    if any(v < 0 for v in row.values):
        row.errors.append("Нет числа «понизили», «подтвердили» или «повысили».")
        row.values = [max(v, 0) for v in row.values]
    if row.participants is None:
        row.participants = sum(row.values)
