from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.demo import seed_demo


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (повторный запуск ничего не меняет)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="день, вокруг которого строится текущий учебный год (ГГГГ-ММ-ДД; по умолчанию сегодня)",
        )

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today: дата в виде ГГГГ-ММ-ДД") from exc
        summary = seed_demo(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                "Демо-данные готовы. Организаций: {organizations}, пользователей: {users}, "
                "планов: {plans}, мероприятий: {activities}.".format(**summary)
            )
        )
        self.stdout.write(
            "Текущий учебный год на {today:%d.%m.%Y}: «{plan}», исполнений {executions}; "
            "работ ВПР {sessions}; результатов ВПР загружено {results}, признаков отмечено {flags}.".format(
                plan=summary["current_plan"].title, **summary
            )
        )
        self.stdout.write(
            "Пароль демо-пользователей: vprplan-demo (admin, head, coordinator, "
            "specialist, school, observer)."
        )
