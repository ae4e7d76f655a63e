"""`manage.py parse_deadline TEXT… [--period-start D --period-end D] [--event NAME=D] [--json]`.

Shows how the deadline parser reads each text and the due dates it gives inside the period.
With --json, one object a line: {"text": …, "kind": …, "due": ["YYYY-MM-DD", …], "warning": …}.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activities.deadlines import CalendarEvents, describe, due_dates, parse_deadline

EVENT_NAMES = ("vpr_start", "vpr_end", "results_date", "flag_date", "session", "term_end")


def academic_year(today: date) -> tuple[date, date]:
    """1 September to 31 August of the academic year `today` falls in."""
    start_year = today.year if today.month >= 9 else today.year - 1
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Не дата ГГГГ-ММ-ДД: {value!r}") from error


class Command(BaseCommand):
    help = "Разбирает тексты сроков и показывает даты в периоде плана."

    def add_arguments(self, parser):
        parser.add_argument("texts", nargs="+", metavar="TEXT", help="текст срока, как в документе")
        parser.add_argument("--period-start", help="начало периода, ГГГГ-ММ-ДД (по умолчанию 1 сентября)")
        parser.add_argument("--period-end", help="конец периода, ГГГГ-ММ-ДД (по умолчанию 31 августа)")
        parser.add_argument(
            "--event",
            action="append",
            default=[],
            metavar="NAME=YYYY-MM-DD",
            help=f"событие календаря ({', '.join(EVENT_NAMES)} или другое имя); можно повторять",
        )
        parser.add_argument("--json", action="store_true", help="по объекту JSON на строку")

    def handle(self, *args, **options):
        default_start, default_end = academic_year(timezone.localdate())
        start = _date(options["period_start"]) if options["period_start"] else default_start
        end = _date(options["period_end"]) if options["period_end"] else default_end
        if start > end:
            raise CommandError("Начало периода позже его конца.")
        events = self._events(options["event"])
        rows = []
        for text in options["texts"]:
            rule = parse_deadline(text, period_start=start, period_end=end)
            due = due_dates(rule, period_start=start, period_end=end, events=events)
            if options["json"]:
                row = {
                    "text": text,
                    "kind": rule.kind,
                    "due": [d.isoformat() for d in due],
                    "warning": rule.warning,
                }
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                rows.append(
                    (
                        text,
                        rule.kind,
                        describe(rule, period_start=start, period_end=end, events=events),
                        rule.warning,
                    )
                )
        if rows:
            self._table(rows, start, end)

    def _table(self, rows: list[tuple[str, str, str, str]], start: date, end: date) -> None:
        width = min(max(len("Срок"), *(len(text) for text, *_ in rows)), 50)
        self.stdout.write(f"Период плана: {start:%d.%m.%Y}–{end:%d.%m.%Y}")
        self.stdout.write(f"{'Срок':<{width}}  {'Вид':<10}  Даты")
        for text, kind, explained, warning in rows:
            shown = text if len(text) <= width else text[: width - 1] + "…"
            self.stdout.write(f"{shown:<{width}}  {kind:<10}  {explained}")
            if warning:
                self.stdout.write(f"{'':<{width}}  {'':<10}  ⚠ {warning}")

    def _events(self, pairs: list[str]) -> CalendarEvents:
        events = CalendarEvents()
        for pair in pairs:
            name, _, value = pair.partition("=")
            day = _date(value)
            if name == "session":
                events.sessions.append(day)
            elif name == "term_end":
                events.term_ends.append(day)
            elif name in EVENT_NAMES:
                setattr(events, name, day)
            elif name:
                events.other[name] = day
            else:
                raise CommandError(f"Событие без имени: {pair!r}")
        return events
