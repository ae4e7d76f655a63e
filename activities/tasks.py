"""Celery tasks of the activities app: thin, they take ids and call a service."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model

from activities.choices import PlanStatus
from activities.models import Plan
from activities.reminders.services import reminders_dispatch, reminders_region_sweep, reminders_sweep
from activities.services.executions import executions_sync


@shared_task(name="activities.sync_executions", ignore_result=True)
def sync_executions(plan_id: int, actor_id: int | None = None) -> int:
    """The executions of a big plan, created after its approval committed. Safe to run twice."""
    plan = Plan.objects.filter(pk=plan_id, status=PlanStatus.APPROVED).first()
    if plan is None:  # archived or replaced meanwhile: its successor's approval syncs instead
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return executions_sync(plan=plan, actor=actor).created


@shared_task(name="activities.send_reminders", ignore_result=True)
def send_reminders(today: str | None = None, regions: list[int] | None = None) -> dict:
    """The reminder sweep (the command's work) as a job: `today` as YYYY-MM-DD, or each region's own
    date. Safe to run twice (acks_late may): the ledger sends each reminder once."""
    day = date.fromisoformat(today) if today else None
    return reminders_sweep(today=day, regions=regions).as_dict()


@shared_task(name="activities.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """Celery beat, every hour: one job per region whose local time has reached
    REMINDER_LOCAL_HOUR and whose day is not swept yet (send_region_reminders), and whatever an
    interrupted run left unsent. Returns how many region jobs were asked for."""
    return reminders_dispatch()


@shared_task(name="activities.send_region_reminders", ignore_result=True)
def send_region_reminders(region_id: int, day: str) -> dict:
    """One region's sweep of its day (YYYY-MM-DD). Safe to run twice: the ledger sends once."""
    return reminders_region_sweep(region_id=region_id, day=date.fromisoformat(day)).as_dict()
