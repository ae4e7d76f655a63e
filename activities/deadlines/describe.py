"""A short Russian explanation of a deadline rule and its dates, for the plan editor."""

from datetime import date

from activities.choices import DeadlineKind
from activities.deadlines.rule import CalendarEvents, DeadlineRule
from activities.deadlines.schedule import due_dates
from activities.deadlines.text import MONTH_NAMES
from vprplan.wording import plural

SHOWN_DATES = 6

EVERY_LABELS = {
    "year": "ежегодно",
    "half_year": "раз в полугодие",
    "quarter": "ежеквартально",
    "school_quarter": "раз в четверть",
    "month": "ежемесячно",
    "week": "еженедельно",
    "day": "ежедневно",
}

# The event in the genitive: «после выявления признаков необъективности», «до начала ВПР».
EVENT_NAMES = {
    "flag": "выявления признаков необъективности",
    "results": "получения результатов",
    "sessions": "проведения ВПР в ОО",
    "vpr_start": "начала ВПР",
    "vpr_end": "окончания ВПР",
    "procedure": "проведения процедуры",
    "": "события (не указано)",
}

MANUAL_REASONS = {
    "as_needed": "по мере необходимости",
    "on_request": "по запросу",
    "external": "по срокам другого документа",
}


UNIT_FORMS = {
    "day": ("день", "дня", "дней"),
    "working_day": ("рабочий день", "рабочих дня", "рабочих дней"),
    "week": ("неделю", "недели", "недель"),
    "month": ("месяц", "месяца", "месяцев"),
}


def _amount(amount: int, unit: str) -> str:
    forms = UNIT_FORMS.get(unit, UNIT_FORMS["day"])
    if amount == 1 and unit != "working_day":
        return forms[0]  # «за месяц», «через неделю»
    return f"{amount} {plural(amount, *forms)}"


def _dates(days: list[date]) -> str:
    shown = ", ".join(f"{day:%d.%m.%Y}" for day in days[:SHOWN_DATES])
    return shown + (f" … (всего {len(days)})" if len(days) > SHOWN_DATES else "")


def _year_suffix(years: list[int]) -> str:
    return " " + ", ".join(map(str, years)) if years else ""


def _label(rule: DeadlineRule) -> str:
    """What the rule says, without dates: «февраль–май 2024», «октябрь, май»."""
    params = rule.params
    if rule.kind == DeadlineKind.FIXED:
        day = f"{params['day']:02d}.{params['month']:02d}"
        return f"до {day}.{params['year']}" if params.get("year") else f"до {day} ежегодно"
    if rule.kind == DeadlineKind.RANGE:
        start, end = params["start"], params["end"]
        if end.get("day"):
            first = f"{start.get('day') or 1:02d}.{start['month']:02d}"
            return f"{first}–{end['day']:02d}.{end['month']:02d}{_year_suffix(params.get('years'))}"
        return f"{MONTH_NAMES[start['month']]}–{MONTH_NAMES[end['month']]}{_year_suffix(params.get('years'))}"
    if rule.kind == DeadlineKind.MONTHS:
        names = []
        for item in params["months"]:
            name = MONTH_NAMES[item["month"]] + (f" {item['year']}" if item.get("year") else "")
            if name not in names:
                names.append(name)
        return ", ".join(names)
    if rule.kind == DeadlineKind.RECURRING:
        return EVERY_LABELS[params["every"]]
    if rule.kind == DeadlineKind.CONTINUOUS:
        return "постоянно"
    raise ValueError(rule.kind)


def _relative(rule: DeadlineRule) -> str:
    params = rule.params
    event, amount, unit = params["event"], int(params.get("amount") or 0), params.get("unit") or "day"
    name = EVENT_NAMES.get(event, event)
    if amount == 0:
        if event == "sessions" and params["direction"] != "before":
            return "в дни проведения ВПР в ОО (по графику)"
        return f"{'до' if params['direction'] == 'before' else 'после'} {name}"
    if params["direction"] == "before":
        return f"за {_amount(amount, unit)} до {name}"
    return f"через {_amount(amount, unit)} после {name}"


def calendar_dates(
    rule: DeadlineRule,
    *,
    period_start: date,
    period_end: date,
    events: CalendarEvents | list[CalendarEvents] | None = None,
) -> list[date]:
    """The rule's dates against one calendar, or against each VPR year's (a plan of several years
    has a campaign per year: activities.services.executions.Calendars)."""
    if not isinstance(events, list):
        return due_dates(rule, period_start=period_start, period_end=period_end, events=events)
    found = set()
    for one in events or [None]:
        found.update(due_dates(rule, period_start=period_start, period_end=period_end, events=one))
    return sorted(found)


def describe(
    rule: DeadlineRule,
    *,
    period_start: date,
    period_end: date,
    events: CalendarEvents | list[CalendarEvents] | None = None,
) -> str:
    """«до 25.01.2023», «ежегодно: 31.12.2023, 31.12.2024», «срок задаётся вручную»…"""
    if rule.kind == DeadlineKind.MANUAL:
        reason = MANUAL_REASONS.get(rule.params.get("reason", ""))
        return f"срок задаётся вручную ({reason})" if reason else "срок задаётся вручную"
    days = calendar_dates(rule, period_start=period_start, period_end=period_end, events=events)
    term_ends = any(e.term_ends for e in (events if isinstance(events, list) else [events]) if e)
    try:
        if rule.kind == DeadlineKind.RELATIVE:
            text = _relative(rule)
            if not days:
                return f"{text}: дата появится, когда событие будет в календаре"
            return f"{text}: {_dates(days)}"
        label = _label(rule)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return "правило срока не заполнено: задайте срок вручную"
    if rule.kind == DeadlineKind.FIXED and days and len(days) == 1:
        return f"до {days[0]:%d.%m.%Y}"
    if not days:
        return f"{label}: в периоде плана дат нет"
    if rule.kind == DeadlineKind.CONTINUOUS:
        return f"постоянно, отчёт к {days[-1]:%d.%m.%Y}"
    if rule.kind == DeadlineKind.RECURRING and rule.params["every"] == "school_quarter" and not term_ends:
        return f"{label}: {_dates(days)} (конец четверти — по умолчанию, уточните в календаре)"
    if rule.kind in (DeadlineKind.RANGE, DeadlineKind.MONTHS):
        return f"{label}: до {_dates(days)}"
    return f"{label}: {_dates(days)}"
