"""Due dates of a deadline rule inside a plan period.

What counts as due, by kind: a fixed date; a range's last day; a named month's last day; the
end of each period of a recurring rule (the last day of each month, quarter, school quarter,
half-year, week (Sunday), each working day, or the end of each plan year for «ежегодно»); the
anchor event shifted by the offset for a relative rule; the end of the period for a continuous
one (the report at the end); nothing for a manual one. A year the text leaves out is each year
of the period.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from activities.choices import DeadlineKind
from activities.deadlines.rule import CalendarEvents, DeadlineRule
from vprplan.calendar import add_months, add_working_days, is_working_day, month_end, safe_date

# A plan period is at most a few years (activities.models.plans.PLAN_PERIOD_MAX_YEARS); a longer one
# (a plan saved before the bound) is cut to this many days from its start, so that no rule ever
# walks through 0001–9999 day by day.
MAX_SPAN_DAYS = 6 * 366

# When the school's own quarter ends are not in the calendar: the months they end in.
DEFAULT_SCHOOL_QUARTER_MONTHS = (10, 12, 3, 5)


def _years(start: date, end: date) -> range:
    # One year either side: a range may start the year before its end, and clipping sorts it out.
    return range(start.year - 1, end.year + 2)


def _month_ends(start: date, end: date, months: Iterable[int] = range(1, 13)) -> list[date]:
    return [month_end(year, month) for year in _years(start, end) for month in months]


def _plan_year_ends(start: date, end: date) -> list[date]:
    """The last day of each twelve months from the period's start; a short last year ends with it."""
    ends, k = [], 1
    while (year_end := add_months(start, 12 * k) - timedelta(days=1)) < end:
        ends.append(year_end)
        k += 1
    return [*ends, end]


def _fixed(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    years = [params["year"]] if params.get("year") else _years(start, end)
    return [safe_date(year, params["month"], params["day"]) for year in years]


def _range(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    last = params["end"]
    years = params.get("years") or _years(start, end)
    return [safe_date(year, last["month"], last.get("day")) for year in years]


def _months(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    found = []
    for item in params["months"]:
        years = [item["year"]] if item.get("year") else _years(start, end)
        found.extend(month_end(year, item["month"]) for year in years)
    return found


def _recurring(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    every = params["every"]
    if every == "year":
        return _plan_year_ends(start, end)
    if every == "half_year":
        return _month_ends(start, end, (6, 12))
    if every == "quarter":
        return _month_ends(start, end, (3, 6, 9, 12))
    if every == "school_quarter":
        return list(events.term_ends) or _month_ends(start, end, DEFAULT_SCHOOL_QUARTER_MONTHS)
    if every == "month":
        if params.get("day"):
            return [safe_date(y, m, params["day"]) for y in _years(start, end) for m in range(1, 13)]
        return _month_ends(start, end)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if every == "week":
        return [day for day in days if day.weekday() == 6]
    if every == "day":
        return [day for day in days if is_working_day(day)]
    raise ValueError(f"unknown recurrence {every!r}")


def shift(anchor: date, amount: int, unit: str) -> date:
    """The anchor moved by a signed amount of days, working days, weeks or months."""
    if unit == "working_day":
        return add_working_days(anchor, amount)
    if unit == "week":
        return anchor + timedelta(weeks=amount)
    if unit == "month":
        return add_months(anchor, amount)
    if unit == "day":
        return anchor + timedelta(days=amount)
    raise ValueError(f"unknown unit {unit!r}")


def _relative(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    sign = -1 if params["direction"] == "before" else 1
    amount = sign * int(params.get("amount") or 0)
    return [
        shift(anchor, amount, params.get("unit") or "day")
        for anchor in events.anchors(params["event"], params["direction"])
    ]


def _continuous(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    return [end]


def _manual(params: dict, start: date, end: date, events: CalendarEvents) -> list[date]:
    return []


_COMPUTE: dict[str, Callable[[dict, date, date, CalendarEvents], list[date]]] = {
    DeadlineKind.FIXED: _fixed,
    DeadlineKind.RANGE: _range,
    DeadlineKind.MONTHS: _months,
    DeadlineKind.RECURRING: _recurring,
    DeadlineKind.RELATIVE: _relative,
    DeadlineKind.CONTINUOUS: _continuous,
    DeadlineKind.MANUAL: _manual,
}


def window(params: dict, period_start: date, period_end: date) -> tuple[date, date] | None:
    """The period narrowed to the span the text limits itself to («в течение 2023 года»)."""
    start, end = period_start, period_end
    if within := params.get("within"):
        start = max(start, date.fromisoformat(within[0]))
        end = min(end, date.fromisoformat(within[1]))
    return (start, end) if start <= end else None


def due_dates(
    rule: DeadlineRule,
    *,
    period_start: date,
    period_end: date,
    events: CalendarEvents | None = None,
) -> list[date]:
    """Every due date of the rule inside [period_start, period_end], sorted, without repeats.

    A rule whose parameters do not make sense (edited by hand, or a kind without parameters)
    has no dates rather than an error; `describe()` says so.
    """
    try:
        bounds = window(rule.params, period_start, period_end)
        compute = _COMPUTE.get(rule.kind)
        if bounds is None or compute is None:
            return []
        start, end = bounds
        end = min(end, start + timedelta(days=MAX_SPAN_DAYS))
        found = compute(rule.params, start, end, events or CalendarEvents())
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return []
    return sorted({day for day in found if start <= day <= end})
