"""Reading the calendar shapes of a deadline text: dates, months, ranges, parts of a year.

Shared with `parser.py`: the canonical tag patterns, the «every year» and «within a year»
modifiers and the `Reading` a rule returns.
"""

import re
from dataclasses import dataclass, field

from activities.choices import DeadlineKind
from activities.deadlines.text import MONTH_NAMES, Phrase

# Canonical tags (see text.py), without groups.
M = r"<m:\d{1,2}>"
Y = r"<y:\d{4}>"
DATE = r"<date:\d{4}-\d\d-\d\d>"
DM = r"<dm:\d\d-\d\d>"
YEARS = rf"(?: ,)? {Y}(?: (?:,|и|-) {Y})*"

# «ежегодно», «каждого учебного года», «в течение всего периода»: every year of the plan, which is
# what a date or month without a year means anyway.
EVERY_YEAR = (
    r"ежегодн\w*|кажд\w+ (?:учгод|год\w*)"
    r"|(?:в течение|на протяжении) (?:всего )?(?:планового )?периода|весь (?:плановый )?период"
)
ACADEMIC_SCOPE = rf"(?:в течение |на протяжении |в |на )?({Y}) - ({Y}) учгод"
YEAR_SCOPE = rf"(?:в течение |на протяжении |в |на )?({Y})(?: - ({Y}))?"


@dataclass
class Reading:
    """What a rule read: a kind, its parameters and the doubts the coordinator is warned of."""

    kind: str
    params: dict
    doubts: list[str] = field(default_factory=list)


def _year(tag: str) -> int:
    return int(re.search(r"\d{4}", tag).group(0))


def _year_list(text: str) -> list[int]:
    """«2023, 2024» → [2023, 2024]; «2023-2025» → [2023, 2024, 2025]."""
    years: set[int] = set()
    for first, last in re.findall(r"<y:(\d{4})>(?: - <y:(\d{4})>)?", text):
        years.update(range(int(first), int(last or first) + 1))
    return sorted(years)


def take_within(phrase: Phrase, *, calendar_years: bool) -> list[str] | None:
    """The span the text limits itself to: «в течение 2023-2024 учебного года», «в 2023 году»."""
    if match := phrase.take(ACADEMIC_SCOPE):
        start, end = sorted((_year(match[1]), _year(match[2])))
        return [f"{start}-09-01", f"{end}-08-31"]
    if calendar_years and (match := phrase.take(YEAR_SCOPE)):
        start, end = sorted((_year(match[1]), _year(match[2] or match[1])))
        return [f"{start}-01-01", f"{end}-12-31"]
    return None


def _point(tag: str, *, fallback_month: int | None = None) -> dict:
    """A date tag as parts: "<date:2024-03-15>" → {"day": 15, "month": 3, "year": 2024}."""
    if match := re.fullmatch(r"<date:(\d{4})-(\d\d)-(\d\d)>", tag):
        year, month, day = (int(part) for part in match.groups())
        return {"day": day, "month": month, "year": year}
    if match := re.fullmatch(r"<dm:(\d\d)-(\d\d)>", tag):
        return {"day": int(match[2]), "month": int(match[1]), "year": None}
    return {"day": int(tag), "month": fallback_month, "year": None}


def _range(start: dict, end: dict, end_years: list[int], *, doubts: list[str]) -> Reading:
    """A range from its two ends; the years kept are those of the END (see rule.py)."""
    wraps = (start["month"], start.get("day") or 1) > (end["month"], end.get("day") or 31)
    start_year = start.pop("year", None)
    end.pop("year", None)
    if not end_years and start_year:
        end_years = [start_year + wraps]
    params = {"start": start, "end": end, "years": end_years}
    if start_year and end_years and start_year != end_years[0] - wraps:
        params["start_year"] = start_year
    if wraps and len(end_years) == 1 and not start_year:
        year = end_years[0]
        first, last = MONTH_NAMES[start["month"]], MONTH_NAMES[end["month"]]
        doubts.append(f"Год {year} отнесён к концу периода: {first} {year - 1} – {last} {year}.")
    return Reading(DeadlineKind.RANGE, params, doubts)


def _date_range(phrase: Phrase) -> Reading | None:
    """«с 01.03.2024 по 15.04.2024», «1-15 марта», «01.11 – 15.03»."""
    match = phrase.take(rf"(?:(?:с|со) )?({DATE}|{DM}|\d{{1,2}}) (?:-|по|до) ({DATE}|{DM})")
    if not match:
        return None
    end = _point(match[2])
    start = _point(match[1], fallback_month=end["month"])
    if start["day"] > 31:
        return None
    return _range(start, end, [end["year"]] if end["year"] else [], doubts=[])


def _month_range(phrase: Phrase) -> Reading | None:
    """«Февраль-май 2024 года», «Сентябрь – февраль», «с сентября 2023 по май 2024»."""
    match = phrase.take(rf"(?:(?:с|со) )?({M})((?: {Y})?) (?:-|по|до) ({M})((?:{YEARS})?)")
    if not match:
        return None
    start = {"month": int(match[1][3:-1]), "day": None, "year": _year(match[2]) if match[2] else None}
    end = {"month": int(match[3][3:-1]), "day": None}
    return _range(start, end, _year_list(match[4]), doubts=[])


def _single_date(phrase: Phrase) -> Reading | None:
    """«До 25.01.2023», «15 марта 2024 г.», «не позднее 1 сентября», «до 31 августа»."""
    if not (match := phrase.take(rf"(?:(с|со|начиная с) )?({DATE}|{DM})")):
        return None
    point = _point(match[2])
    if match[1]:
        shown = f"{point['day']:02d}.{point['month']:02d}" + (f".{point['year']}" if point["year"] else "")
        doubt = f"Указано только начало срока (с {shown}). Задайте срок вручную."
        return Reading(DeadlineKind.MANUAL, {"reason": "unreadable"}, [doubt])
    return Reading(DeadlineKind.FIXED, point)


def _months(phrase: Phrase) -> Reading | None:
    """«Февраль 2024 года», «Октябрь, май», «Август 2023, 2024 гг», «в январе»."""
    match = phrase.take(rf"{M}(?:{YEARS})?(?: (?:,|и|;) {M}(?:{YEARS})?)*")
    if not match:
        return None
    entries = [
        (int(month), _year_list(tail))
        for month, tail in re.findall(r"<m:(\d+)>((?:(?!<m:).)*)", match.group(0))
    ]
    doubts = []
    with_years = [bool(years) for _, years in entries]
    if len(entries) > 1 and with_years == [False] * (len(entries) - 1) + [True]:
        # «Октябрь, май 2024»: the trailing year belongs to all, as in «Февраль-май 2024».
        shared = entries[-1][1]
        months = [month for month, _ in entries]
        entries = [(month, shared) for month in months]
        if months != sorted(months):
            doubts.append(f"Год {', '.join(map(str, shared))} отнесён ко всем названным месяцам.")
    elif any(with_years) and not all(with_years):
        doubts.append("У части месяцев год не указан: они взяты в каждом году периода.")
    items = []
    for month, years in entries:
        for year in years or [None]:
            item = {"month": month, "year": year}
            if item not in items:
                items.append(item)
    return Reading(DeadlineKind.MONTHS, {"months": items}, doubts)


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _part_of_year(phrase: Phrase) -> Reading | None:
    """«III квартал 2024», «1 полугодие»: a range of whole months."""
    match = phrase.take(rf"\b(iv|i{{1,3}}|[1-4]) (квартал|полугоди)\w*((?:{YEARS})?)")
    if not match:
        return None
    number = ROMAN.get(match[1]) or int(match[1])
    size = 3 if match[2] == "квартал" else 6
    if number * size > 12:
        return None
    start, end = {"month": number * size - size + 1, "day": None}, {"month": number * size, "day": None}
    return _range(start, end, _year_list(match[3]), doubts=[])


def _year_edge(phrase: Phrase) -> Reading | None:
    """«к началу учебного года» (1 сентября), «до конца 2023 года», «до конца года» (31 декабря)."""
    if phrase.take(r"(?:к|до) (?:началу|начала) учгод"):
        return Reading(DeadlineKind.FIXED, {"day": 1, "month": 9, "year": None})
    if match := phrase.take(rf"(?:к|до) (?:конц|окончани)\w* (?:({Y})|года|календарного года)"):
        return Reading(
            DeadlineKind.FIXED, {"day": 31, "month": 12, "year": _year(match[1]) if match[1] else None}
        )
    return None


def read_calendar(phrase: Phrase) -> Reading | None:
    within = take_within(phrase, calendar_years=False)
    phrase.take_all(EVERY_YEAR)
    for read in (_year_edge, _part_of_year, _date_range, _month_range, _single_date, _months):
        if reading := read(phrase):
            if within and reading.kind != DeadlineKind.MANUAL:
                reading.params["within"] = within
            return reading
    return None
