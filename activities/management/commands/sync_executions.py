"""`manage.py sync_executions [--plan ID]`: create the executions of approved plans (those approved
before executions existed, or after a school joined). Safe to run again: it changes nothing twice."""

from django.core.management.base import BaseCommand, CommandError

from activities.choices import PlanStatus
from activities.models import Plan
from activities.services import executions_sync


class Command(BaseCommand):
    help = "Создаёт исполнение мероприятий утверждённых планов (повторный запуск ничего не меняет)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, default=None, help="Только этот план (id).")

    def handle(self, *args, **options):
        plans = Plan.objects.filter(status=PlanStatus.APPROVED).order_by("pk")
        if options["plan"] is not None:
            plans = plans.filter(pk=options["plan"])
            if not plans.exists():
                raise CommandError("Нет утверждённого плана с таким id.")
        for plan in plans:
            result = executions_sync(plan=plan, actor=None)
            self.stdout.write(
                f"{plan.pk} {plan.owner}: создано {result.created}, перенесено {result.moved}, "
                f"сроки изменены {result.rescheduled}, не применимо {result.not_applicable}"
            )
