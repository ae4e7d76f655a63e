"""Reading a Russian deadline text («Февраль-май 2024 года», «в течение трех рабочих дней»…) into a
DeadlineRule.

The text is first made canonical (`text.py`), then ordered rules try to read it and the first
one that reads it wins: a date that does not exist (manual), dates and months (`shapes.py`),
an offset from an event (relative), «по мере необходимости» and the like (manual), a
recurrence, a continuous span. Each rule takes the parts it understands; whatever it left is
shown back in the warning, so a partly readable text keeps what is certain and says what is
not. Text that nothing reads is `manual` with a warning, never a guess. `activity_rule` gives an
activity's stored rule, reading its text again when the rule was stored without parameters.
"""

import copy
import functools
import re
from collections.abc import Callable
from datetime import date

from activities.choices import DeadlineKind
from activities.deadlines.rule import DeadlineRule
from activities.deadlines.schedule import due_dates
from activities.deadlines.shapes import EVERY_YEAR, Reading, read_calendar, take_within
from activities.deadlines.text import Phrase

WARNING_MAX = 300  # Activity.deadline_warning's max_length

# Words that carry no meaning of their own once the rest is read («до», «не позднее», «в срок»).
FILLERS = frozenset("в во до к ко по с со на не позднее позже чем и а срок сроки срока течение".split())

VPR = r"впр(?: в (?:оо|школе))?"  # «проведения ВПР в ОО»


# --- unreadable dates ---------------------------------------------------------------------------


def read_bad_date(phrase: Phrase) -> Reading | None:
    """«До 113.01.2023», «31.02.2024», «32 марта»: a date that does not exist is never guessed."""
    if not (match := phrase.take(r"<bad:([^>]*)>")):
        return None
    return Reading(
        DeadlineKind.MANUAL,
        {"reason": "unreadable"},
        [f"Нет такой даты: «{match[1]}». Задайте срок вручную."],
    )


# --- relative to an event -----------------------------------------------------------------------

# «10 календарных дней» are plain days; «5 рабочих дней» are working days.
UNIT = r"(?:календарн\w+ )?(рабоч\w+ )?(день|дн\w*|сут\w*|час\w*|недел\w+|месяц\w*)"
OFFSET_BEFORE = (
    rf"(?:не (?:менее|позднее|позже)(?: чем)? )?за (?:(\d+) )?{UNIT}(?: \w+)? до"  # «за 2 недели до»
)
OFFSET_AFTER = rf"(?:в течение|через|спустя|не позднее|не позже|в срок не позднее)(?: чем)? (?:(\d+) )?{UNIT}"
OFFSET_TERM = r"в (\d+) дневн\w* срок\w*"  # «в 30-и дневный срок», «в тридцатидневный срок»

# (event, its own direction or None, pattern), most specific first.
EVENT_PATTERNS = [
    (
        "flag",
        "after",
        r"(?:в случае |при |после )?(?:(?:выявлени|обнаружени|установлени)\w* )?(?:\w+ )?"
        rf"признак\w* необъективн\w*(?: результат\w*)?(?: {VPR})?",
    ),
    (
        "results",
        "after",
        r"(?:после |с момента |по )?(?:получени|поступлени|объявлени|публикаци)\w* (?:\w+ )?результат\w*"
        rf"(?: {VPR})?|(?:по|после) (?:итогам|результатам) (?:проведения )?{VPR}",
    ),
    ("sessions", None, rf"(?:в соответствии с |согласно |по )?график\w* (?:проведения )?{VPR}"),
    ("sessions", None, rf"в (?:день|дни) проведения(?: {VPR}| работ\w*)?"),
    (
        "sessions",
        "after",
        r"(?:по |после )(?:окончани|завершени)\w* (?:проведения )?работ\w*|после (?:проведения )?работ\w*",
    ),
    (
        "vpr_end",
        "after",
        rf"(?:по |после )?(?:окончани|завершени)\w* (?:проведения )?{VPR}|после (?:проведения )?{VPR}"
        rf"|в (?:период|ходе|время) проведения {VPR}",
    ),
    ("vpr_start", "before", rf"(?:до|перед) (?:начал\w* )?(?:проведени\w* )?{VPR}"),
    (
        "procedure",
        None,
        r"(?:(?:до|перед|после) )?(?:кажд\w* )?(?:проведени\w* )?(?:соответствующ\w* )?(?:оценочн\w* )?"
        r"(?:процедур\w*|кдр)",
    ),
    ("vpr", None, rf"(?:начал\w* )?(?:проведени\w* )?{VPR}"),
]


def _offset(match: re.Match) -> tuple[int, str]:
    amount = int(match[1] or 1)
    working, noun = match[2], match[3]
    if noun.startswith("недел"):
        return amount, "week"
    if noun.startswith("месяц"):
        return amount, "month"
    if noun.startswith("час"):  # «в течение 24 часов»: whole days, rounded up
        return -(-amount // 24), "day"
    return amount, "working_day" if working else "day"


def _take_event(phrase: Phrase) -> tuple[str, str | None] | None:
    for event, direction, pattern in EVENT_PATTERNS:
        if match := phrase.take(pattern):
            if direction is None and re.match(r"(?:до|перед) ", match.group(0)):
                direction = "before"
            return event, direction
    return None


def read_relative(phrase: Phrase) -> Reading | None:
    """«за месяц до проведения ВПР», «после получения результатов, в 60-и дневный срок»…"""
    direction, amount, unit = None, 0, "day"
    if match := phrase.take(OFFSET_BEFORE):
        direction, (amount, unit) = "before", _offset(match)
    elif match := phrase.take(OFFSET_AFTER):
        direction, (amount, unit) = "after", _offset(match)
    elif match := phrase.take(OFFSET_TERM):
        direction, amount = "after", int(match[1])
    found = _take_event(phrase)
    if direction is None and found is None:
        return None
    event, implied = found or ("", None)
    direction = direction or implied or "after"
    if event == "vpr":
        event = "vpr_start" if direction == "before" else "vpr_end"
    phrase.take_all(EVERY_YEAR)  # «Ежегодно, не менее чем за 2 недели до…»: every time anyway
    doubts = [] if event else ["Не указано событие, от которого отсчитывается срок: выберите его."]
    params = {"event": event, "direction": direction, "amount": amount, "unit": unit}
    if within := take_within(phrase, calendar_years=True):
        params["within"] = within
    return Reading(DeadlineKind.RELATIVE, params, doubts)


# --- manual by nature ---------------------------------------------------------------------------

MANUAL_PATTERNS = [
    ("as_needed", r"по мере (?:необходимости|потребности)|при необходимости|по необходимости"),
    (
        "on_request",
        r"по (?:отдельн\w+ )?(?:заявк\w*|запрос\w*|требовани\w*)|по согласовани\w*",
    ),
    (
        "external",
        r"(?:согласно|в соответствии с\w*|исходя (?:из|от)|в установленн\w+|в сроки"
        r"|по (?:отдельн\w+ |утвержденн\w+ |установленн\w+ )?(?:плану|графику|срокам|приказу))\b.*",
    ),
]


def read_manual(phrase: Phrase) -> Reading | None:
    """«По мере необходимости», «по отдельной заявке», «Согласно Плана работы РУО»."""
    for reason, pattern in MANUAL_PATTERNS:
        if phrase.take(pattern):
            return Reading(DeadlineKind.MANUAL, {"reason": reason})
    return None


# --- recurring and continuous -------------------------------------------------------------------

_AT_END = r"(?:в конце|по итогам|по окончании|по завершении) (?:кажд\w+ )?"
EVERY_PATTERNS = [
    ("school_quarter", rf"(?:1 )?раз в четверть|по четвертям|ежечетвертн\w*|{_AT_END}четверти"),
    ("quarter", rf"ежеквартальн\w*|поквартальн\w*|(?:1 )?раз в квартал|4 раза в год|{_AT_END}квартала"),
    (
        "half_year",
        rf"(?:1 )?раз в (?:полугодие|полгода)|по полугодиям|2 раза в (?:год|учгод)|{_AT_END}полугодия",
    ),
    ("month", rf"ежемесячн\w*|(?:1 )?раз в месяц|помесячн\w*|{_AT_END}месяца|кажд\w+ месяц\w*"),
    ("week", r"еженедельн\w*|(?:1 )?раз в неделю"),
    ("day", r"ежедневн\w*"),
    ("year", r"ежегодн\w*|(?:1 )?раз в (?:год|учгод)|кажд\w+ (?:учгод|год)"),
]


def read_recurring(phrase: Phrase) -> Reading | None:
    """«Ежегодно», «1 раз в четверть в течение 2023 года», «ежемесячно до 5 числа»."""
    every = next((name for name, pattern in EVERY_PATTERNS if phrase.take(pattern)), None)
    if every is None:
        return None
    params: dict = {"every": every}
    if every == "month" and (match := phrase.take(r"(?:до |не позднее |к )?(\d{1,2}) числа")):
        params["day"] = int(match[1])
    phrase.take_all(EVERY_YEAR)
    if within := take_within(phrase, calendar_years=True):
        params["within"] = within
    return Reading(DeadlineKind.RECURRING, params)


CONTINUOUS = (
    r"постоянн\w*|на постоянной основе|систематическ\w*|круглогодичн\w*"
    r"|(?:в течение|на протяжении) (?:всего )?(?:учгод|года|периода|планового периода)"
    r"|весь (?:учгод|год|период|плановый период)|в период (?:реализации|действия) \w+"
)


def read_continuous(phrase: Phrase) -> Reading | None:
    """«Постоянно», «В течение учебного года», «В течение 2023-2024 учебного года»."""
    found = phrase.take_all(CONTINUOUS)
    within = take_within(phrase, calendar_years=True)
    if not found and not within:
        return None
    return Reading(DeadlineKind.CONTINUOUS, {"within": within} if within else {})


# A date or month named in the text is the most certain part, so it is read before an event.
RULES: list[Callable[[Phrase], Reading | None]] = [
    read_bad_date,
    read_calendar,
    read_relative,
    read_manual,
    read_recurring,
    read_continuous,
]


DEADLINE_TEXT_MAX = 1000
LONG_NUMBER = re.compile(r"\d{9,}")


def _warning(doubts: list[str]) -> str:
    text = " ".join(doubts)
    return text if len(text) <= WARNING_MAX else text[: WARNING_MAX - 1] + "…"


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_deadline(
    text: str, *, period_start: date | None = None, period_end: date | None = None
) -> DeadlineRule:
    """The rule a deadline text means; with the plan period, dates outside it are warned about.
    A text no plan has (longer than DEADLINE_TEXT_MAX, or with a number of more than 8 digits,
    which Python would refuse to convert past 4,300) is left to the user, never parsed."""
    text = text or ""
    if len(text) > DEADLINE_TEXT_MAX or LONG_NUMBER.search(text):
        warning = (
            f"Срок не распознан («{_quote(text)}»): слишком длинный текст или число. Задайте его вручную."
        )
        return DeadlineRule(DeadlineKind.MANUAL, {"reason": "unreadable"}, _warning([warning]))
    try:
        rule = _parse(text, period_start, period_end)
    except (ValueError, OverflowError, RecursionError):  # a date out of range in a hostile text
        warning = f"Срок не распознан («{_quote(text)}»): задайте его вручную."
        return DeadlineRule(DeadlineKind.MANUAL, {"reason": "unreadable"}, _warning([warning]))
    # Parsing is pure and plans repeat their deadline texts: cached, handed out as a fresh copy.
    return DeadlineRule(rule.kind, copy.deepcopy(rule.params), rule.warning)


def activity_rule(activity) -> DeadlineRule:
    """The rule an activity holds; its text is parsed again when the stored rule is empty.

    Imported or seeded activities may carry a human-chosen kind without parameters: then the
    parser's parameters are used if it reads the same kind, otherwise the kind stays as the
    person chose it, with no parameters (then only a continuous rule yields a date).
    """
    kind = activity.deadline_kind or DeadlineKind.MANUAL
    params = activity.deadline_rule or {}
    if "kind" in params and "params" in params:  # a whole to_json() stored by mistake
        params = params["params"] or {}
    warning = activity.deadline_warning or ""
    if not params and kind != DeadlineKind.MANUAL:
        parsed = parse_deadline(activity.deadline_text or "")
        if parsed.kind == kind:
            params = parsed.params
            warning = warning or parsed.warning
    return DeadlineRule(kind=kind, params=dict(params), warning=warning)


@functools.lru_cache(maxsize=4096)
def _parse(text: str, period_start: date | None, period_end: date | None) -> DeadlineRule:
    phrase = Phrase.of(text)
    if not phrase.canon:
        return DeadlineRule(DeadlineKind.MANUAL, {"reason": "empty"}, "Срок не указан: задайте его вручную.")
    for read in RULES:
        attempt = phrase.fresh()
        if reading := read(attempt):
            break
    else:
        warning = f"Срок не распознан («{_quote(text)}»): задайте его вручную."
        return DeadlineRule(DeadlineKind.MANUAL, {"reason": "unreadable"}, _warning([warning]))

    doubts = list(reading.doubts)
    if reading.kind != DeadlineKind.MANUAL and (leftover := attempt.leftover(FILLERS)):
        shown = "», «".join(_quote(fragment, 60) for fragment in leftover)
        doubts.append(f"Не разобрано: «{shown}» — проверьте срок.")
    rule = DeadlineRule(reading.kind, reading.params)
    dated = reading.kind not in (DeadlineKind.MANUAL, DeadlineKind.RELATIVE)
    if dated and period_start and period_end:
        if not due_dates(rule, period_start=period_start, period_end=period_end):
            span = f"{period_start:%d.%m.%Y}–{period_end:%d.%m.%Y}"
            doubts.append(f"В периоде плана ({span}) по этому сроку нет ни одной даты: проверьте год.")
    return DeadlineRule(rule.kind, rule.params, _warning(doubts))
