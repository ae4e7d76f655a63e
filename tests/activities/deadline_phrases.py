"""Deadline phrases of real municipal plans, with how a person classifies them and their dates.

Dates are for the 2023/2024 academic year (01.09.2023–31.08.2024) and the campaign calendar
`EVENTS` below unless a case says otherwise. `due` is a list of ISO dates, a count of dates, or
None where the dates are not the point; `warns` says whether the coordinator must see a warning.
"""

from dataclasses import dataclass
from datetime import date

from activities.deadlines import CalendarEvents

ACADEMIC_YEAR = ("2023-09-01", "2024-08-31")

EVENTS = CalendarEvents(
    vpr_start=date(2024, 4, 2),
    vpr_end=date(2024, 5, 17),
    results_date=date(2024, 6, 3),
    flag_date=date(2024, 4, 26),  # a Friday before the 27 April working Saturday
    sessions=[date(2024, 4, 10), date(2024, 4, 17), date(2024, 4, 24)],
    other={"procedure": date(2024, 2, 15)},
)


@dataclass(frozen=True)
class Case:
    text: str
    kind: str
    due: list[str] | int | None = None
    warns: bool = False
    period: tuple[str, str] = ACADEMIC_YEAR


SCHOOL_QUARTERS = ["2023-10-31", "2023-12-31", "2024-03-31", "2024-05-31"]
SESSIONS = ["2024-04-10", "2024-04-17", "2024-04-24"]

PHRASES = [
    # fixed: a date, with or without its year
    Case("до 15.03.2024", "fixed", ["2024-03-15"]),
    Case("до 15.03.24", "fixed", ["2024-03-15"]),
    Case("15 марта 2024 г.", "fixed", ["2024-03-15"]),
    Case("не позднее 1 сентября", "fixed", ["2023-09-01"]),
    Case("до 01.05.2024 г.", "fixed", ["2024-05-01"]),
    Case("До 25 декабря", "fixed", ["2023-12-25"]),
    Case("к 1 октября 2023 года", "fixed", ["2023-10-01"]),
    Case("в срок до 20.09.2023", "fixed", ["2023-09-20"]),
    Case("не позднее 30 мая 2024 г.", "fixed", ["2024-05-30"]),
    Case("до 5.9.2023", "fixed", ["2023-09-05"]),
    Case("29 февраля", "fixed", ["2024-02-29"]),
    Case("до 31 декабря 2023 г.", "fixed", ["2023-12-31"]),
    Case("До 10-го сентября", "fixed", ["2023-09-10"]),
    Case("до 15.01.2024г.", "fixed", ["2024-01-15"]),
    Case("до конца 2023 года", "fixed", ["2023-12-31"]),
    Case("к началу учебного года", "fixed", ["2023-09-01"]),
    Case("Ежегодно до 1 мая", "fixed", ["2024-05-01"]),
    Case("до 15.03.2023", "fixed", [], warns=True),  # the year before the plan's
    Case("до 01.05.2023 г.", "fixed", ["2023-05-01"], period=("2023-01-01", "2024-12-31")),
    # range: from a month (or date) to another; due on the last day
    Case("Март-май 2024", "range", ["2024-05-31"]),
    Case("Март-май 2023", "range", ["2023-05-31"], period=("2023-01-01", "2024-12-31")),
    Case("Январь-февраль каждого учебного года", "range", ["2024-02-29"]),
    Case("Сентябрь – февраль", "range", ["2024-02-29"]),
    Case("Сентябрь—февраль", "range", ["2024-02-29"]),
    Case("Сентябрь-февраль", "range", ["2024-02-29"]),
    Case("Сентябрь -февраль", "range", ["2024-02-29"]),
    Case("сентябрь -октябрь", "range", ["2023-10-31"]),
    Case("Октябрь - ноябрь 2023 г.", "range", ["2023-11-30"]),
    Case("с сентября по май", "range", ["2024-05-31"]),
    Case("с 01.03.2024 по 15.04.2024", "range", ["2024-04-15"]),
    Case("01.10.2023 - 31.10.2023", "range", ["2023-10-31"]),
    Case("1-15 марта", "range", ["2024-03-15"]),
    Case("сентябрь 2023 – май 2024", "range", ["2024-05-31"]),
    Case("апрель-май", "range", ["2024-05-31"]),
    Case("в течение сентября-октября", "range", ["2023-10-31"]),
    Case("Ноябрь-декабрь 2023 года", "range", ["2023-12-31"]),
    Case("март\u2011апрель 2024 г.", "range", ["2024-04-30"]),
    Case("Сентябрь-май 2023-2024 учебного года", "range", ["2024-05-31"]),
    Case("в феврале-марте", "range", ["2024-03-31"]),
    Case("Февраль-май 2024 года", "range", ["2024-05-31"]),
    Case("Ноябрь-март 2024", "range", ["2024-03-31"], warns=True),  # which winter is meant?
    Case("01.09.2023-31.10.2023", "range", ["2023-10-31"]),
    Case("в IV квартале 2023 г.", "range", ["2023-12-31"]),
    Case("1 полугодие 2024 года", "range", ["2024-06-30"]),
    # months: the last day of each named month
    Case("в январе", "months", ["2024-01-31"]),
    Case("январь", "months", ["2024-01-31"]),
    Case("В январе 2024 года", "months", ["2024-01-31"]),
    Case("Октябрь, май", "months", ["2023-10-31", "2024-05-31"]),
    Case("Ежегодно (сентябрь)", "months", ["2023-09-30"]),
    Case("Сентябрь каждого учебного года", "months", ["2023-09-30"]),
    Case("Апрель 2024 г.", "months", ["2024-04-30"]),
    Case("декабрь", "months", ["2023-12-31"]),
    Case("Май 2024", "months", ["2024-05-31"]),
    Case("в мае", "months", ["2024-05-31"]),
    Case("октябрь и март", "months", ["2023-10-31", "2024-03-31"]),
    Case("Сентябрь, январь, май", "months", ["2023-09-30", "2024-01-31", "2024-05-31"]),
    Case("Март 2023", "months", [], warns=True),
    Case("сент. 2023", "months", ["2023-09-30"]),
    Case("ноябрь 2023 г., апрель 2024 г.", "months", ["2023-11-30", "2024-04-30"]),
    Case("Август 2023, 2024 гг", "months", ["2023-08-31", "2024-08-31"], period=("2023-01-01", "2024-12-31")),
    Case("ежегодно (январь)", "months", ["2024-01-31"]),
    Case("Сентябрь, если позволит погода", "months", ["2023-09-30"], warns=True),
    # recurring
    Case("1 раз в четверть", "recurring", SCHOOL_QUARTERS),
    Case("один раз в четверть", "recurring", SCHOOL_QUARTERS),
    Case("по четвертям", "recurring", SCHOOL_QUARTERS),
    Case("в конце каждой четверти", "recurring", SCHOOL_QUARTERS),
    Case("по итогам четверти", "recurring", SCHOOL_QUARTERS),
    Case("ежеквартально", "recurring", ["2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30"]),
    Case("ежеквартально в течение 2024 года", "recurring", ["2024-03-31", "2024-06-30"]),
    Case("1 раз в четверть в течение 2023 года", "recurring", ["2023-10-31", "2023-12-31"]),
    Case("ежемесячно", "recurring", 12),
    Case("раз в месяц", "recurring", 12),
    Case("ежемесячно до 5 числа", "recurring", 12),
    Case("еженедельно", "recurring", 52),
    Case("1 раз в полугодие", "recurring", ["2023-12-31", "2024-06-30"]),
    Case("2 раза в год", "recurring", ["2023-12-31", "2024-06-30"]),
    Case("ежегодно", "recurring", ["2024-08-31"]),
    Case("Ежегодно", "recurring", ["2023-12-31", "2024-12-31"], period=("2023-01-01", "2024-12-31")),
    # 247 working days from 01.09.2023 to 31.08.2024 by the published production calendars:
    # 2023: Sep 21, Oct 22, Nov 21, Dec 21; 2024: Jan 17, Feb 20, Mar 20, Apr 21, May 20, Jun 19,
    # Jul 23, Aug 22.
    Case("ежедневно", "recurring", 247),
    # relative to an event of the campaign calendar
    Case("за месяц до проведения ВПР", "relative", ["2024-03-02"]),
    Case("за 2 недели до начала ВПР", "relative", ["2024-03-19"]),
    Case("не менее чем за 2 недели до проведения соответствующей процедуры", "relative", ["2024-02-01"]),
    Case("за две недели до проведения КДР", "relative", ["2024-02-01"]),
    Case("в течение 10 календарных дней после каждой оценочной процедуры", "relative", ["2024-02-25"]),
    Case("в течение 5 рабочих дней после каждой процедуры", "relative", ["2024-02-22"]),
    Case("за 2 недели до", "relative", [], warns=True),
    Case("в 30-и дневный срок", "relative", [], warns=True),
    Case("в течение двух недель", "relative", [], warns=True),
    Case("После получения результатов, в 60-и дневный срок", "relative", ["2024-08-02"]),
    Case("По окончании проведения работы", "relative", SESSIONS),
    Case("в течение трех рабочих дней после выявления признаков необъективности", "relative", ["2024-05-03"]),
    Case(
        "В случае выявления признаков необъективности в течение 5 рабочих дней",
        "relative",
        ["2024-05-07"],
    ),
    Case("в 30-дневный срок после выявления признаков необъективности", "relative", ["2024-05-26"]),
    Case("согласно графику проведения ВПР", "relative", SESSIONS),
    Case("в день проведения ВПР", "relative", SESSIONS),
    Case("до начала ВПР", "relative", ["2024-04-02"]),
    Case("после проведения ВПР", "relative", ["2024-05-17"]),
    Case("По окончании ВПР", "relative", ["2024-05-17"]),
    Case("в период проведения ВПР", "relative", ["2024-05-17"]),
    Case("по итогам ВПР", "relative", ["2024-06-03"]),
    Case("в течение 10 дней после получения результатов", "relative", ["2024-06-13"]),
    Case("в десятидневный срок после получения результатов ВПР", "relative", ["2024-06-13"]),
    Case("не позднее 5 рабочих дней после получения результатов", "relative", ["2024-06-10"]),
    Case("через неделю после окончания ВПР", "relative", ["2024-05-24"]),
    Case("за 3 дня до проведения ВПР", "relative", ["2024-03-30"]),
    Case("за 1 рабочий день до проведения ВПР", "relative", ["2024-04-01"]),
    Case("в течение месяца после получения результатов", "relative", ["2024-07-03"]),
    # continuous: the report is due at the end of the period (or of the span the text names)
    Case("Постоянно", "continuous", ["2024-08-31"]),
    Case("постоянно", "continuous", ["2024-08-31"]),
    Case("В течение учебного года", "continuous", ["2024-08-31"]),
    Case("в течение 2023/2024 учебного года", "continuous", ["2024-08-31"]),
    Case("на постоянной основе", "continuous", ["2024-08-31"]),
    Case("в течение года", "continuous", ["2024-08-31"]),
    Case("в течение 2023 года", "continuous", ["2023-12-31"]),
    Case("систематически", "continuous", ["2024-08-31"]),
    Case("весь период", "continuous", ["2024-08-31"]),
    Case("В течение 2024-2025 учебного года", "continuous", [], warns=True),
    Case("2023-2024 уч. год", "continuous", ["2024-08-31"]),
    Case("в течение всего учебного года", "continuous", ["2024-08-31"]),
    Case("На постоянной основе в течение планового периода", "continuous", ["2024-08-31"]),
    # manual by nature: the date is set elsewhere or when needed
    Case("Согласно установленным на муниципальном уровне срокам", "manual", []),
    Case("по отдельной заявке", "manual", []),
    Case("По мере необходимости", "manual", []),
    Case("по запросу", "manual", []),
    Case("при необходимости", "manual", []),
    Case("в сроки, установленные Рособрнадзором", "manual", []),
    Case("в установленные сроки", "manual", []),
    Case("По плану работы ОО", "manual", []),
    Case("По отдельному графику", "manual", []),
    # unreadable: manual with a warning, never a guess
    Case("31.02.2024", "manual", [], warns=True),
    Case("до 31.02.2024", "manual", [], warns=True),
    Case("32 марта", "manual", [], warns=True),
    Case("до 15.13.2023", "manual", [], warns=True),
    Case("До 113.01.2023", "manual", [], warns=True),
    Case("абракадабра", "manual", [], warns=True),
    Case("", "manual", [], warns=True),
    Case("с 01.03.2024", "manual", [], warns=True),
    Case("тогда, когда будет удобно", "manual", [], warns=True),
]
