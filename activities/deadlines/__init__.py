"""Deadlines of plan activities: the Russian text parser and due dates.

    parse_deadline("Февраль-май 2024 года")          → DeadlineRule(kind="range", …)
    due_dates(rule, period_start=…, period_end=…)    → [date(2024, 5, 31)]
    describe(rule, period_start=…, period_end=…)     → «февраль–май 2024: до 31.05.2024»

Modules: text (normalising and tokenising), parser (ordered reading rules), rule (DeadlineRule,
CalendarEvents), schedule (due dates), describe (Russian explanation). The production calendar
(working days) is the ground's: vprplan.calendar.
"""

from activities.deadlines.describe import describe
from activities.deadlines.parser import activity_rule, parse_deadline
from activities.deadlines.rule import CalendarEvents, DeadlineRule
from activities.deadlines.schedule import due_dates

__all__ = [
    "CalendarEvents",
    "DeadlineRule",
    "activity_rule",
    "describe",
    "due_dates",
    "parse_deadline",
]
