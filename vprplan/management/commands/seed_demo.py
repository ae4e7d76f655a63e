from django.core.management.base import BaseCommand

from vprplan.demo import seed_demo


class Command(BaseCommand):
    help = "Загружает демонстрационные данные (повторный запуск ничего не меняет)."

    def handle(self, *args, **options):
        summary = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Демо-данные готовы. Организаций: {organizations}, пользователей: {users}, "
                "планов: {plans}, мероприятий: {activities}.".format(**summary)
            )
        )
        self.stdout.write(
            "Пароль демо-пользователей: vprplan-demo (admin, head, coordinator, "
            "specialist, school, observer)."
        )
