"""What an import proposes when the file does not say it: the plan's period and its title.

The Тайшет plan's title has no year and some files have no title at all. Such a file is not
refused: the period is the academic year of the dates its deadlines name (else of the document's
date, else the current one), the title is made of the plan's kind and that period, and both are
shown as warnings the user checks before loading the plan.
"""

import re
from collections import Counter
from datetime import date

from django.utils import timezone

MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
FULL_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(20\d\d)(?!\d)")
MONTH_YEAR = re.compile(
    r"\b(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*\s+(20\d\d)(?!\d)",
    re.IGNORECASE,
)


def academic_year_of(day: date) -> int:
    """The first calendar year of the academic year (1 September – 31 August) holding `day`."""
    return day.year if day.month >= 9 else day.year - 1


def dates_named(texts: list[str]) -> list[date]:
    """The days and months with a year that the texts name («до 15.10.2024», «февраль 2024»)."""
    found: list[date] = []
    for text in texts:
        for d, m, y in FULL_DATE.findall(text or ""):
            try:
                found.append(date(int(y), int(m), int(d)))
            except ValueError:
                continue
        for month, year in MONTH_YEAR.findall(text or ""):
            stem = month.lower()
            number = MONTHS.get(stem[:2] if stem.startswith("ма") else stem)
            if number:
                found.append(date(int(year), number, 1))
    return found


def propose_period(texts: list[str], today: date | None = None) -> tuple[date, date, str]:
    """The academic year most of the dates in `texts` fall in, else the current one.
    Returns (start, end, where it comes from: "dates" or "current")."""
    years = Counter(academic_year_of(d) for d in dates_named(texts))
    if years:
        year = max(years.items(), key=lambda item: (item[1], item[0]))[0]
        source = "dates"
    else:
        year = academic_year_of(today or timezone.localdate())
        source = "current"
    return date(year, 9, 1), date(year + 1, 8, 31), source


def period_label(start: date, end: date) -> str:
    if (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1:
        return f"{start.year}-{end.year} учебный год"
    return f"{start:%d.%m.%Y} — {end:%d.%m.%Y}"


def propose_title(kind: str, start: date, end: date) -> str:
    head = "Дорожная карта" if kind == "roadmap" else "План мероприятий"
    label = period_label(start, end)
    return f"{head} на {label}" if "учебный год" in label else f"{head} на период {label}"


PERIOD_WARNINGS = {
    "document date": "Период в заголовке не указан: предложен {label} по дате документа. Проверьте его.",
    "dates": "Период в заголовке не указан: предложен {label} по датам в сроках мероприятий. Проверьте его.",
    "current": "Период в заголовке не указан, дат в сроках нет: предложен текущий {label}. Проверьте его.",
}
TITLE_WARNING = "Наименования плана в файле нет: предложено «{title}». Проверьте его."
