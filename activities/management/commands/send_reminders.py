"""`python manage.py send_reminders [--today YYYY-MM-DD] [--json]`: the reminder sweep, once.

Prints how many reminders were sent (lines of digests) and to how many people; `--json` prints
`{"sent": N, "recipients": M}`. A second run for the same day sends nothing new (DESIGN.md §4).
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from activities.reminders.services import reminders_sweep


class Command(BaseCommand):
    help = (
        "Рассылает напоминания о сроках: ежедневная сводка каждому ответственному, сводка просрочек "
        "муниципальному координатору, напоминания наблюдателям. Повторный запуск за тот же день "
        "ничего не отправляет."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="день рассылки, ГГГГ-ММ-ДД (по умолчанию — сегодняшняя дата в часовом поясе каждого региона)",
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help='вывести {"sent": N, "recipients": M}'
        )

    def handle(self, *args, today=None, as_json=False, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as e:
                raise CommandError(f"--today: дата в виде ГГГГ-ММ-ДД, получено {today!r}.") from e
        summary = reminders_sweep(today=day)
        if as_json:
            self.stdout.write(json.dumps({"sent": summary.sent, "recipients": summary.recipients}))
            return
        self.stdout.write(
            f"Отправлено напоминаний: {summary.sent}; получателей: {summary.recipients}; "
            f"писем: {summary.mails}"
            + (f"; повторно после сбоя: {summary.retried}" if summary.retried else "")
            + (f"; отклонено почтовым сервером: {summary.refused}" if summary.refused else "")
        )
