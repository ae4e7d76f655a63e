"""The Russian production calendar (производственный календарь) and small date arithmetic.

Working days come from python-holidays (`holidays.country_holidays("RU")`). Read from its
source (holidays 0.109, `holidays/countries/russia.py`) and checked in the tests, it knows:
- the federal public holidays (1–8 January, 23 February, 8 March, 1 and 9 May, 12 June,
  4 November) and the days off moved onto weekdays by the government's yearly decree
  (2024-04-29, 2024-12-31, 2023-11-06…);
- the weekend days made working days by those transfers (`weekend_workdays`): 2024-04-27,
  2024-11-02, 2024-12-28, 2025-11-01 were working Saturdays.
What it cannot know: a year whose decree is newer than the installed version (0.109 has
transfers to 2027; later years get the fixed holidays and weekends only, so upgrade the package
each autumn when the next decree is out), and regional days off (Tatarstan, Bashkortostan…),
which it has no subdivisions for in Russia. Shortened pre-holiday days do not matter for dates.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _production_calendar(year: int) -> holidays.HolidayBase:
    # Neighbouring years too: a decree may move a day off across New Year, and a populated
    # instance is never mutated by lookups, so the cached one is safe to share between threads.
    return holidays.country_holidays("RU", years=range(year - 1, year + 2))


def is_working_day(d: date) -> bool:
    """A working day under the Russian production calendar (weekends, holidays and transfers)."""
    return _production_calendar(d.year).is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (before it for negative n); `start` itself for 0."""
    step = timedelta(days=1 if n >= 0 else -1)
    current, left = start, abs(n)
    while left:
        current += step
        if is_working_day(current):
            left -= 1
    return current


def month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """The same day n months later (earlier for negative n), clamped to the month's last day."""
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    return safe_date(year, month + 1, d.day)


def safe_date(year: int, month: int, day: int | None) -> date:
    """The date, with a missing day or one past the month's end («29 февраля» in 2023) clamped."""
    last = month_end(year, month)
    return last if day is None or day > last.day else date(year, month, day)
