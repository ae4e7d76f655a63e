"""The title block above a plan's table: its title, kind, period, goals and tasks.

«ПЛАН МЕРОПРИЯТИЙ / («Дорожная карта») по обеспечению… / на территории МО «Инта» в 2023-2024
учебном году» becomes one title in sentence case, a road map, for the academic year 2023/2024.
"""

import re
from dataclasses import dataclass, field
from datetime import date

TITLE_START = re.compile(r"^[«\"(]*(план\b|план-|дорожная\s+карта|комплекс\s+мер|мероприятия\s+по)", re.I)
STAMP = re.compile(r"^[«\"]*(утвержд|рассмотрен|согласован|приложение|принят|от\s|№|директор)", re.I)
GOALS = re.compile(r"^(цел[ьи])\s*:?", re.I)
TASKS = re.compile(r"^(задач[аи])\s*:?", re.I)
LIST_MARK = re.compile(r"^(\d{1,2}[.)]|[-–—•·*])\s*")
ABBREVIATIONS = {
    "ВПР",
    "МО",
    "ОО",
    "РУО",
    "УО",
    "ФИС",
    "ОКО",
    "МКУ",
    "ГУНО",
    "МБОУ",
    "МАОУ",
    "МКОУ",
    "ГБОУ",
    "СОШ",
    "ООШ",
    "ОГЭ",
    "ЕГЭ",
    "ГИА",
    "КДР",
    "ШМО",
    "РМО",
    "ИМО",
    "РФ",
    "НОКО",
    "ВСОКО",
    "ШСОКО",
}
MAX_TITLE_LINES = 6


@dataclass
class TitleBlock:
    title: str = ""
    kind: str = "plan"
    period_text: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_source: str = ""  # title | document date | "" (not found)
    goals: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


def _lines(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        out.extend(line.strip() for line in (paragraph or "").split("\n"))
    return out


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _decap(line: str, first: bool) -> str:
    words = []
    for word in line.split(" "):
        core = word.strip('«»"(),.;:')
        words.append(word if core in ABBREVIATIONS else word.lower())
    text = " ".join(words)
    return text[:1].upper() + text[1:] if first else text


def title_lines(paragraphs: list[str]) -> list[str]:
    lines = _lines(paragraphs)
    start = next((i for i, line in enumerate(lines) if TITLE_START.match(line)), None)
    if start is None:
        # No «План…»: the first block of text that is neither a stamp nor goals and tasks.
        blocks, current = [], []
        for line in [*lines, ""]:
            if line:
                current.append(line)
            elif current:
                blocks.append(current)
                current = []
        for candidate in blocks:
            if any(GOALS.match(line) or TASKS.match(line) for line in candidate):
                break
            text = [line for line in candidate if not STAMP.match(line)]
            if text:
                return text[:MAX_TITLE_LINES]
        return []
    block = []
    for line in lines[start:]:
        stop = GOALS.match(line) or TASKS.match(line) or (block and STAMP.match(line))
        if not line or stop or len(block) >= MAX_TITLE_LINES:
            break
        block.append(line)
    return block


def make_title(lines: list[str]) -> str:
    parts = [_decap(line, i == 0) if _is_caps(line) else line for i, line in enumerate(lines)]
    title = re.sub(r"\s+", " ", " ".join(parts)).strip(" :")
    return title[:1].upper() + title[1:]


def _period_from_title(title: str) -> tuple[date, date, str] | None:
    academic = "учебн" in title.lower() or re.search(r"\bуч\.?\s*г", title.lower())
    years = re.search(r"(20\d\d)\s*[-–—/]\s*(20\d\d|\d\d)(?!\d)", title)
    if years:
        first, second = int(years.group(1)), years.group(2)
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last < first or last - first > 5:
            return None
        if academic:
            label = "учебный год" if last == first + 1 else "учебные годы"
            return date(first, 9, 1), date(last, 8, 31), f"{first}-{last} {label}"
        return date(first, 1, 1), date(last, 12, 31), f"{first}-{last} годы"
    single = re.search(r"(?<!\d)(20\d\d)(?!\d)", title)
    if single:
        year = int(single.group(1))
        if academic:
            return date(year, 9, 1), date(year + 1, 8, 31), f"{year}-{year + 1} учебный год"
        return date(year, 1, 1), date(year, 12, 31), f"{year} год"
    return None


def _document_date(lines: list[str]) -> date | None:
    for line in lines:
        match = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b", line)
        if match:
            try:
                return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                continue
    return None


def _list_after(lines: list[str], head: re.Pattern) -> list[str]:
    items: list[str] = []
    for index, line in enumerate(lines):
        match = head.match(line)
        if not match:
            continue
        rest = line[match.end() :].strip()
        if rest:
            items.append(rest)
        for following in lines[index + 1 :]:
            if not following:
                if items:
                    break
                continue
            if GOALS.match(following) or TASKS.match(following) or TITLE_START.match(following):
                break
            if following.endswith(":") and items:
                break
            items.append(LIST_MARK.sub("", following))
        break
    return items


def read_title_block(paragraphs: list[str]) -> TitleBlock:
    block = TitleBlock()
    lines = title_lines(paragraphs)
    block.title = make_title(lines)
    block.kind = "roadmap" if "дорожн" in block.title.lower() else "plan"
    period = _period_from_title(block.title)
    all_lines = _lines(paragraphs)
    if period:
        block.period_start, block.period_end, block.period_text = period
        block.period_source = "title"
    else:
        found = _document_date(all_lines)
        if found:
            year = found.year if found.month >= 9 else found.year - 1
            block.period_start, block.period_end = date(year, 9, 1), date(year + 1, 8, 31)
            block.period_source = "document date"
    block.goals = _list_after(all_lines, GOALS)
    block.tasks = _list_after(all_lines, TASKS)
    return block
