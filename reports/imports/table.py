"""Finding the plan table in a document and reading its rows into sections and activities.

Real plans (fixtures/demo/source) differ in everything: the header row is somewhere in the first
rows, columns come in any order and wording, sections are merged or bold rows or «1.» / «I»
headers, activities are numbered or not, and a row broken across a page arrives as a second row
without a number whose text goes on in lower case. The rules below are written for those cases.
"""

import re
from dataclasses import dataclass, field

from reports.imports.errors import ImportFileError
from reports.imports.grid import Cell, Grid, SourceDocument

HEADER_SEARCH_ROWS = 15
CONTENT_KEYS = ("deadline", "responsible", "expected_result", "note")
TEXT_KEYS = ("title", *CONTENT_KEYS)
MAX_DEADLINE = 500

SECTION_NUMBER = re.compile(r"^(?:[IVXLC]+|\d{1,2})\.?$")
ACTIVITY_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")
# «I. Анализ…», «II Организация…», «1. Мероприятия…», «Раздел 2. …» at the start of a section row.
SECTION_PREFIX = re.compile(r"^(?:раздел\s+)?([IVXLC]+(?=[.)\s])|\d{1,2}(?=[.)]))[.)]?\s*", re.IGNORECASE)
ACTIVITY_PREFIX = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+\.?)\s+")
LOWER_START = re.compile(r"^[a-zа-яё(«\"',;:–—\-]")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("ё", "е").replace("Ё", "Е").lower()).strip(" :*.")


def heading_key(text: str) -> str | None:
    """Which plan column a header cell names, if any. The order of the checks matters:
    «Срок проведения мероприятия» is a deadline, not a title."""
    t = norm(text)
    if not t:
        return None
    if re.fullmatch(r"(№|n|no|номер)?\s*(п\s*/\s*п|п\.?\s*п|пп)?", t) or t in ("№", "номер"):
        return "number"
    for key, stems in (
        ("responsible", ("ответствен", "исполнител")),
        ("deadline", ("срок", "дата", "период")),
        ("expected_result", ("результат",)),
        ("note", ("примечан", "комментар")),
        ("title", ("мероприят", "наименовани", "содержани", "меры", "направлени")),
    ):
        if any(stem in t for stem in stems):
            return key
    return None


@dataclass
class Issue:
    row: int | None
    message: str


@dataclass
class ParsedActivity:
    row: int
    source_number: str = ""
    title: str = ""
    deadline: str = ""
    responsible: str = ""
    expected_result: str = ""
    note: str = ""


@dataclass
class ParsedSection:
    row: int | None
    source_number: str
    title: str
    activities: list[ParsedActivity] = field(default_factory=list)


@dataclass
class ParsedTable:
    grid_name: str
    columns: list[list[str]]  # [[key, heading as written], …] in the document's order
    sections: list[ParsedSection] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    lines_above: list[str] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        return sum(len(s.activities) for s in self.sections)


def find_header(grid: Grid) -> tuple[int, dict[str, tuple[int, int]], list[list[str]]] | None:
    """(row index, {key: (first col, last col)}, columns) of the header row, or None."""
    for index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        ranges: dict[str, tuple[int, int]] = {}
        columns: list[list[str]] = []
        for col, cell in enumerate(row):
            key = None if cell.covered else heading_key(cell.text)
            if key and key not in ranges:
                ranges[key] = (col, col + cell.span - 1)
                columns.append([key, re.sub(r"\s+", " ", cell.text).strip()])
        if "title" in ranges and len(ranges) >= 2:
            return index, ranges, columns
    return None


def choose_table(document: SourceDocument) -> ParsedTable:
    """The plan table of the document, or ImportFileError when there is none or it is ambiguous."""
    parsed = [p for p in (parse_grid(g) for g in document.grids) if p is not None]
    if not parsed:
        raise ImportFileError(
            "Не найдена строка заголовков таблицы плана. Ожидаются столбцы «Наименование мероприятия» "
            "(или «Мероприятия»), «Сроки реализации», «Ответственные», «Ожидаемый результат»."
        )
    with_rows = [p for p in parsed if p.activity_count] or parsed[:1]
    first = with_rows[0]
    if len(with_rows) > 1:
        keys = {tuple(k for k, _ in p.columns) for p in with_rows}
        if len(keys) > 1:
            names = ", ".join(p.grid_name for p in with_rows)
            raise ImportFileError(
                f"В файле несколько таблиц плана с разными столбцами ({names}). "
                "Оставьте в файле одну таблицу плана и загрузите его снова."
            )
        for other in with_rows[1:]:  # one plan split into several tables (a page break in Word)
            first.notes.append(Issue(None, f"Таблица продолжается: {other.grid_name} добавлена к плану."))
            if other.sections and first.sections and other.sections[0].row is None:
                first.sections[-1].activities.extend(other.sections.pop(0).activities)
            first.sections.extend(other.sections)
            first.errors.extend(other.errors)
            first.notes.extend(other.notes)
    if not first.activity_count:
        first.errors.append(Issue(None, "В таблице плана нет ни одного мероприятия."))
    return first


def parse_grid(grid: Grid) -> ParsedTable | None:
    header = find_header(grid)
    if header is None:
        return None
    h_index, ranges, columns = header
    if grid.formula_cells:
        cells = ", ".join(grid.formula_cells[:5])
        raise ImportFileError(
            f"На листе есть формулы (ячейки {cells}). Замените их значениями "
            "(Копировать → Специальная вставка → Значения) и загрузите файл снова."
        )
    table = ParsedTable(grid_name=grid.name, columns=columns)
    table.lines_above = list(grid.before) + [
        " ".join(c.text for c in row if c.text) for row in grid.rows[:h_index]
    ]
    known = {c for a, b in ranges.values() for c in range(a, b + 1)}
    for col, cell in enumerate(grid.rows[h_index]):
        if cell.text and not cell.covered and col not in known:
            table.notes.append(
                Issue(grid.row_numbers[h_index], f"Столбец «{cell.text}» не распознан и не будет загружен.")
            )
    _RowReader(table, grid, ranges, h_index).read()
    return table


class _RowReader:
    def __init__(self, table: ParsedTable, grid: Grid, ranges, h_index: int):
        self.table, self.grid, self.ranges, self.h_index = table, grid, ranges, h_index
        self.header_texts = [c.text for c in grid.rows[h_index]]
        self.section: ParsedSection | None = None

    def values(self, row: list[Cell]) -> tuple[dict[str, str], set[str]]:
        values, repeated = {}, set()
        for key, (a, b) in self.ranges.items():
            cells = [c for c in row[a : b + 1] if c.text and not c.covered]
            values[key] = "\n".join(c.text for c in cells)
            if cells and all(c.from_above for c in cells):
                repeated.add(key)
        return values, repeated

    def read(self) -> None:
        for index in range(self.h_index + 1, len(self.grid.rows)):
            row, number = self.grid.rows[index], self.grid.row_numbers[index]
            if not any(c.text for c in row) or self.is_repeat(row):
                continue
            values, repeated = self.values(row)
            if not any(values.values()):
                continue  # text only in columns that are not imported
            if self.read_section(row, values, number):
                continue
            self.read_activity(values, repeated, number)
        for section in self.table.sections:
            for activity in section.activities:
                if len(activity.deadline) > MAX_DEADLINE:
                    self.table.errors.append(
                        Issue(activity.row, f"Срок длиннее {MAX_DEADLINE} символов: сократите его.")
                    )
        self.table.errors.sort(key=lambda issue: issue.row or 0)

    def is_repeat(self, row: list[Cell]) -> bool:
        """A header repeated on a new page, or the «1 2 3 4 5» row under the header."""
        texts = [c.text for c in row]
        if texts == self.header_texts:
            return True
        filled = [t for t in texts if t]
        return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]

    def read_section(self, row: list[Cell], values: dict[str, str], number: int) -> bool:
        filled = [c for c in row if c.text and not c.covered]
        content = any(values.get(k) for k in CONTENT_KEYS)
        num, title = values.get("number", "").strip(), values.get("title", "")
        text = None
        if len(filled) == 1 and filled[0].span >= 2 and len(row) >= 2:
            text = filled[0].text  # merged across the table
        elif content or not (num or title) or ACTIVITY_NUMBER.match(num):
            return False
        elif num and SECTION_NUMBER.match(num):
            text = f"{num.rstrip('.')}. {title}" if title else num
        elif all(c.bold for c in filled):
            text = " ".join(c.text for c in filled)
        elif not num and not ACTIVITY_PREFIX.match(title) and not LOWER_START.match(title):
            text = title  # a row with nothing but a title: a section heading, «I. …» or plain
        if text is None:
            return False
        text = " ".join(text.split("\n")).strip()
        match = SECTION_PREFIX.match(text)
        source_number = match.group(1) if match else ""
        title = text[match.end() :].strip() if match else text
        if not title:
            self.table.errors.append(Issue(number, "Строка раздела без наименования."))
            return True
        self.section = ParsedSection(row=number, source_number=source_number, title=title)
        self.table.sections.append(self.section)
        return True

    def current_section(self, number: int) -> ParsedSection:
        if self.section is None:
            # A plan without sections (or the rows above its first heading): an implicit section
            # with no title and no row of its own; its activities keep the numbers 1, 2, 3.
            self.section = ParsedSection(row=None, source_number="", title="")
            self.table.sections.append(self.section)
        return self.section

    def previous(self) -> ParsedActivity | None:
        return self.section.activities[-1] if self.section and self.section.activities else None

    def read_activity(self, values: dict[str, str], repeated: set[str], number: int) -> None:
        num, title = values.get("number", "").strip(), values.get("title", "")
        if not num and "number" not in self.ranges:
            match = ACTIVITY_PREFIX.match(title)
            if match:
                num, title = match.group(1), title[match.end() :]
        previous = self.previous()
        continues = not num and (
            "title" in repeated or not title or self.lower_continues(title, values, previous)
        )
        if continues and previous is not None:
            for key in TEXT_KEYS:
                if values.get(key) and key not in repeated:
                    old = getattr(previous, key)
                    setattr(previous, key, f"{old} {values[key]}" if old else values[key])
            self.table.notes.append(
                Issue(number, f"Продолжение строки {previous.row} (разрыв страницы): тексты объединены.")
            )
            return
        if not title:
            self.table.errors.append(Issue(number, "Нет наименования мероприятия."))
            return
        activity = ParsedActivity(row=number, source_number=num, title=title)
        for key in CONTENT_KEYS:
            setattr(activity, key, values.get(key, ""))
        self.current_section(number).activities.append(activity)

    def lower_continues(self, title: str, values: dict[str, str], previous: ParsedActivity | None) -> bool:
        """A row that goes on in lower case continues the row above (a page break). When the rows
        are unnumbered, one with a deadline of its own (not going on in lower case) is an activity."""
        if not LOWER_START.match(title):
            return False
        numbered = previous is not None and bool(previous.source_number)
        deadline = values.get("deadline", "")
        return numbered or not deadline or bool(LOWER_START.match(deadline))
