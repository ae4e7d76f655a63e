"""The Russian deadline parser, due dates and the production calendar (activities.deadlines)."""

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from activities.choices import DeadlineKind
from activities.deadlines import (
    CalendarEvents,
    DeadlineRule,
    activity_rule,
    describe,
    due_dates,
    parse_deadline,
)
from activities.management.commands.parse_deadline import academic_year
from tests.activities.deadline_phrases import EVENTS, PHRASES
from vprplan.calendar import add_working_days, is_working_day

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans"
ACCURACY_THRESHOLD = 0.9


def _seed_activities() -> list[tuple[str, str, str, date, date]]:
    """(plan, deadline_text, human deadline_kind, period_start, period_end) of every seed activity."""
    rows = []
    for path in sorted(PLANS.glob("*.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        start, end = date.fromisoformat(plan["period_start"]), date.fromisoformat(plan["period_end"])
        for section in plan["sections"]:
            for activity in section["activities"]:
                rows.append((path.stem, activity["deadline_text"], activity["deadline_kind"], start, end))
    return rows


SEED = _seed_activities()

# The campaign calendar of each seed plan's year, for its relative deadlines.
SEED_EVENTS = {
    "inta-2023-2024": CalendarEvents(flag_date=date(2024, 4, 26)),
    "school-107-2020": CalendarEvents(sessions=[date(2021, 3, 16), date(2021, 4, 20)]),
    "severo-eniseysky-2023-2024": CalendarEvents(other={"procedure": date(2024, 4, 10)}),
}

# Due dates inside each seed plan's period, and whether the coordinator is warned.
SEED_EXPECTED = {
    (
        "inta-2023-2024",
        "В случае выявления признаков необъективности результатов в течение трех рабочих дней",
    ): (
        ["2024-05-03"],  # Fri 26.04 → Sat 27.04 (working), 2.05, 3.05: 29.04–1.05 are days off
        False,
    ),
    ("inta-2023-2024", "В случае выявления признаков необъективности результатов в течение двух недель"): (
        ["2024-05-10"],
        False,
    ),
    ("inta-2023-2024", "В случае выявления признаков необъективности результатов по предложенному графику"): (
        ["2024-04-26"],
        True,  # «по предложенному графику» is not a date: said in the warning
    ),
    ("inta-2023-2024", "В течение 2023-2024 учебного года"): (["2024-08-31"], False),
    ("inta-2023-2024", "Февраль 2024 года"): (["2024-02-29"], False),
    ("inta-2023-2024", "Февраль-май 2024 года"): (["2024-05-31"], False),
    ("school-107-2020", "В соответствии с графиком проведения ВПР"): (["2021-03-16", "2021-04-20"], False),
    ("school-107-2020", "по графику проведения ВПР"): (["2021-03-16", "2021-04-20"], False),
    ("school-107-2020", "до 01.01.2020"): ([], True),  # before the plan's period: a typo, probably
    ("school-107-2020", "Сентябрь- март"): (["2021-03-31"], False),
    ("school-107-2020", "В течение всего периода"): (["2021-08-31"], False),
    ("school-107-2020", "до 31 августа"): (["2021-08-31"], False),
    ("school-107-2020", "Февраль 2019 года"): ([], True),
    ("severo-eniseysky-2023-2024", "До 113.01.2023"): ([], True),
    ("severo-eniseysky-2023-2024", "До 25.01.2023"): (["2023-01-25"], False),
    ("severo-eniseysky-2023-2024", "Ежегодно, исходя от сроков получения приказов МОКк"): ([], False),
    (
        "severo-eniseysky-2023-2024",
        "Ежегодно, не менее чем за 2 недели до проведения соответствующей процедуры",
    ): (["2024-03-27"], False),
    ("severo-eniseysky-2023-2024", "Ежегодно"): (["2023-12-31", "2024-12-31"], False),
    ("severo-eniseysky-2023-2024", "ежегодно"): (["2023-12-31", "2024-12-31"], False),
    ("severo-eniseysky-2023-2024", "Ежегодно, в течение всего периода"): (
        ["2023-12-31", "2024-12-31"],
        False,
    ),
    ("severo-eniseysky-2023-2024", "На постоянной основе в течение планового периода"): (
        ["2024-12-31"],
        False,
    ),
    ("severo-eniseysky-2023-2024", "в течение планового периода"): (["2024-12-31"], False),
    ("severo-eniseysky-2023-2024", "Ноябрь-март, в течение всего периода"): (
        ["2023-03-31", "2024-03-31"],
        False,
    ),
    ("severo-eniseysky-2023-2024", "Согласно графика проведения РМО"): ([], False),
    ("severo-eniseysky-2023-2024", "Согласно Плана работы РУО"): ([], False),
    ("severo-eniseysky-2023-2024", "По мере необходимости"): ([], False),
    ("severo-eniseysky-2023-2024", "Март, 2023, 2024 гг"): (["2023-03-31", "2024-03-31"], False),
    ("severo-eniseysky-2023-2024", "декабрь, февраль в течение всего периода"): (
        ["2023-02-28", "2023-12-31", "2024-02-29", "2024-12-31"],
        False,
    ),
    ("severo-eniseysky-2023-2024", "Август 2023, 2024 гг"): (["2023-08-31", "2024-08-31"], False),
    ("severo-eniseysky-2023-2024", "июль-август"): (["2023-08-31", "2024-08-31"], False),
    ("severo-eniseysky-2023-2024", "ежегодно (январь)"): (["2023-01-31", "2024-01-31"], False),
    ("severo-eniseysky-2023-2024", "ежегодно (январь-февраль)"): (["2023-02-28", "2024-02-29"], False),
    ("severo-eniseysky-2023-2024", "До 15 августа, в течение планового периода"): (
        ["2023-08-15", "2024-08-15"],
        False,
    ),
}


def _iso(days: list[date]) -> list[str]:
    return [day.isoformat() for day in days]


# --- the seed plans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan", "text", "human_kind", "start", "end"), SEED, ids=[f"{r[0]}-{i}" for i, r in enumerate(SEED)]
)
def test_seed_phrase_reads_as_the_human_kind(plan, text, human_kind, start, end):
    rule = parse_deadline(text, period_start=start, period_end=end)
    assert rule.kind == human_kind, f"{text!r}: parser {rule.kind}, person {human_kind} ({rule.warning})"


@pytest.mark.parametrize(
    ("key", "expected"), SEED_EXPECTED.items(), ids=[f"{k[0]}-{i}" for i, k in enumerate(SEED_EXPECTED)]
)
def test_seed_phrase_due_dates_and_warning(key, expected):
    plan, text = key
    start, end = next((s, e) for p, t, _, s, e in SEED if p == plan and t == text)
    due, warns = expected
    rule = parse_deadline(text, period_start=start, period_end=end)
    assert _iso(due_dates(rule, period_start=start, period_end=end, events=SEED_EVENTS[plan])) == due
    assert bool(rule.warning) == warns, rule.warning


def test_every_distinct_seed_phrase_has_expected_dates():
    assert {(plan, text) for plan, text, *_ in SEED} == set(SEED_EXPECTED)


def test_seed_accuracy(record_property):
    agree = sum(
        parse_deadline(text, period_start=s, period_end=e).kind == kind for _, text, kind, s, e in SEED
    )
    share = agree / len(SEED)
    figure = f"deadline parser: {agree}/{len(SEED)} seed phrases agree ({share:.0%})"
    print(figure)
    record_property("deadline_parser_seed_accuracy", figure)
    assert share >= ACCURACY_THRESHOLD, figure


# --- the phrase table ---------------------------------------------------------------------------


def _period(case) -> tuple[date, date]:
    return date.fromisoformat(case.period[0]), date.fromisoformat(case.period[1])


@pytest.mark.parametrize("case", PHRASES, ids=[f"{i:03d}-{c.kind}" for i, c in enumerate(PHRASES)])
def test_phrase(case):
    start, end = _period(case)
    rule = parse_deadline(case.text, period_start=start, period_end=end)
    assert rule.kind == case.kind, f"{case.text!r} → {rule.kind} {rule.params} ({rule.warning})"
    due = _iso(due_dates(rule, period_start=start, period_end=end, events=EVENTS))
    if isinstance(case.due, int):
        assert len(due) == case.due, due
    elif case.due is not None:
        assert due == case.due, rule.params
    assert bool(rule.warning) == case.warns, rule.warning


def test_phrase_table_is_large_and_covers_every_kind(record_property):
    assert len(PHRASES) >= 80
    assert {case.kind for case in PHRASES} == set(DeadlineKind.values)
    agree = sum(
        parse_deadline(case.text, period_start=_period(case)[0], period_end=_period(case)[1]).kind
        == case.kind
        for case in PHRASES
    )
    figure = f"deadline parser: {agree}/{len(PHRASES)} own phrases agree ({agree / len(PHRASES):.0%})"
    print(figure)
    record_property("deadline_parser_own_accuracy", figure)
    assert agree / len(PHRASES) >= ACCURACY_THRESHOLD, figure


def test_years_left_out_are_kept_out_of_the_rule():
    rule = parse_deadline("До 15 августа")
    assert rule.params == {"day": 15, "month": 8, "year": None}
    assert parse_deadline("Сентябрь каждого учебного года").params == {"months": [{"month": 9, "year": None}]}


def test_mixed_text_keeps_the_certain_part_and_warns_about_the_rest():
    rule = parse_deadline("Апрель-май (по графику проведения ВПР)")
    assert rule.kind == DeadlineKind.RANGE
    assert "по графику проведения впр" in rule.warning


def test_unreadable_date_is_never_guessed():
    rule = parse_deadline("До 113.01.2023")
    assert rule.kind == DeadlineKind.MANUAL and rule.params == {"reason": "unreadable"}
    assert "113.01.2023" in rule.warning


# --- properties over everything -------------------------------------------------------------------

PERIODS = [
    (date(2023, 9, 1), date(2024, 8, 31)),
    (date(2023, 1, 1), date(2024, 12, 31)),
    (date(2020, 9, 1), date(2021, 8, 31)),
    (date(2024, 3, 10), date(2024, 4, 20)),
]
ALL_TEXTS = sorted({text for _, text, *_ in SEED} | {case.text for case in PHRASES})


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_due_dates_are_inside_the_period_sorted_and_unique(start, end):
    for text in ALL_TEXTS:
        rule = parse_deadline(text, period_start=start, period_end=end)
        for events in (None, EVENTS):
            due = due_dates(rule, period_start=start, period_end=end, events=events)
            assert due == sorted(set(due)), text
            assert all(start <= day <= end for day in due), (text, due)
            if rule.kind == DeadlineKind.MANUAL:
                assert due == [], text
            assert describe(rule, period_start=start, period_end=end, events=events)
        assert len(rule.warning) <= 300
        assert DeadlineRule.from_json(json.loads(json.dumps(rule.to_json()))) == rule
        assert rule.kind in DeadlineKind.values
        if rule.kind == DeadlineKind.MANUAL and rule.params.get("reason") in ("unreadable", "empty"):
            assert rule.warning, text


def test_relative_rule_without_its_event_has_no_dates_and_says_why():
    rule = parse_deadline("в течение трех рабочих дней после выявления признаков необъективности")
    period = {"period_start": date(2023, 9, 1), "period_end": date(2024, 8, 31)}
    assert due_dates(rule, **period) == []
    assert describe(rule, **period) == (
        "через 3 рабочих дня после выявления признаков необъективности: "
        "дата появится, когда событие будет в календаре"
    )
    assert describe(rule, **period, events=EVENTS).endswith(": 03.05.2024")


def test_describe():
    period = {"period_start": date(2023, 1, 1), "period_end": date(2024, 12, 31)}
    assert describe(parse_deadline("До 25.01.2023"), **period) == "до 25.01.2023"
    assert describe(parse_deadline("ежегодно (январь)"), **period) == "январь: до 31.01.2023, 31.01.2024"
    assert describe(parse_deadline("Ежегодно"), **period) == "ежегодно: 31.12.2023, 31.12.2024"
    assert describe(parse_deadline("Постоянно"), **period) == "постоянно, отчёт к 31.12.2024"
    assert describe(parse_deadline("По мере необходимости"), **period).startswith("срок задаётся вручную")
    assert describe(DeadlineRule(DeadlineKind.MANUAL, {}), **period) == "срок задаётся вручную"


def test_broken_rule_has_no_dates_rather_than_an_error():
    rule = DeadlineRule(DeadlineKind.FIXED, {"month": "x"})
    period = {"period_start": date(2023, 9, 1), "period_end": date(2024, 8, 31)}
    assert due_dates(rule, **period) == []
    assert describe(rule, **period) == "правило срока не заполнено: задайте срок вручную"


def test_rule_from_activity():
    stored = SimpleNamespace(
        deadline_text="Февраль-май 2024 года",
        deadline_kind="months",
        deadline_rule={"months": [{"month": 2, "year": 2024}]},
        deadline_warning="проверено",
    )
    assert activity_rule(stored) == DeadlineRule(
        "months", {"months": [{"month": 2, "year": 2024}]}, "проверено"
    )
    # A seeded activity has the person's kind and no parameters: the text is read again.
    seeded = SimpleNamespace(
        deadline_text="Февраль-май 2024 года", deadline_kind="range", deadline_rule={}, deadline_warning=""
    )
    rule = activity_rule(seeded)
    assert rule.kind == "range" and rule.params["years"] == [2024]
    # The person's kind wins over the parser's; without parameters there are no dates.
    corrected = SimpleNamespace(
        deadline_text="Февраль-май 2024 года", deadline_kind="fixed", deadline_rule={}, deadline_warning=""
    )
    assert activity_rule(corrected) == DeadlineRule("fixed", {}, "")


# --- the production calendar ----------------------------------------------------------------------


def test_new_year_holidays_are_days_off():
    assert not any(is_working_day(date(2024, 1, day)) for day in range(1, 9))
    assert is_working_day(date(2024, 1, 9))


@pytest.mark.parametrize(
    "day",
    ["2024-04-27", "2024-11-02", "2024-12-28", "2025-11-01"],  # Saturdays worked for a transfer
)
def test_transferred_working_saturdays(day):
    assert date.fromisoformat(day).weekday() == 5
    assert is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(
    "day",
    ["2023-02-24", "2023-05-08", "2023-11-06", "2024-04-29", "2024-04-30", "2024-05-10", "2024-12-30",
     "2024-12-31", "2025-05-02", "2025-05-08", "2025-11-03", "2025-12-31", "2026-01-09", "2026-03-09"],
)  # fmt: skip
def test_transferred_days_off(day):
    assert date.fromisoformat(day).weekday() < 5
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize(("year", "count"), [(2023, 247), (2024, 248), (2025, 247)])
def test_working_days_in_a_year_match_the_published_calendar(year, count):
    days = (date(year, 1, 1) + timedelta(days=n) for n in range(366))
    assert sum(is_working_day(day) for day in days if day.year == year) == count


def test_add_working_days():
    assert add_working_days(date(2024, 4, 26), 1) == date(2024, 4, 27)  # the working Saturday
    assert add_working_days(date(2024, 4, 26), 2) == date(2024, 5, 2)
    assert add_working_days(date(2024, 5, 2), -1) == date(2024, 4, 27)
    assert add_working_days(date(2024, 5, 2), -2) == date(2024, 4, 26)
    assert add_working_days(date(2023, 12, 29), 1) == date(2024, 1, 9)
    assert add_working_days(date(2024, 1, 3), 0) == date(2024, 1, 3)


# --- the command -------------------------------------------------------------------------------------


def test_command_json():
    out = StringIO()
    call_command(
        "parse_deadline",
        "Февраль-май 2024 года",
        "До 113.01.2023",
        "в течение трех рабочих дней после выявления признаков необъективности",
        "--period-start", "2023-09-01", "--period-end", "2024-08-31",
        "--event", "flag_date=2024-04-26",
        "--json",
        stdout=out,
    )  # fmt: skip
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {"text": "Февраль-май 2024 года", "kind": "range", "due": ["2024-05-31"], "warning": ""}
    assert rows[1]["kind"] == "manual" and rows[1]["due"] == [] and "113.01.2023" in rows[1]["warning"]
    assert rows[2]["due"] == ["2024-05-03"]


def test_command_table():
    out = StringIO()
    call_command(
        "parse_deadline",
        "Сентябрь – февраль",
        "--period-start",
        "2023-09-01",
        "--period-end",
        "2024-08-31",
        stdout=out,
    )
    assert "сентябрь–февраль: до 29.02.2024" in out.getvalue()


def test_default_period_is_the_current_academic_year():
    assert academic_year(date(2024, 3, 5)) == (date(2023, 9, 1), date(2024, 8, 31))
    assert academic_year(date(2024, 9, 1)) == (date(2024, 9, 1), date(2025, 8, 31))
