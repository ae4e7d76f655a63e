"""Celery tasks of the activities app: thin, they take ids and call a service."""

from celery import shared_task
from django.contrib.auth import get_user_model

from activities.choices import PlanStatus
from activities.models import Plan


@shared_task(name="activities.sync_executions", ignore_result=True)
def sync_executions(plan_id: int, actor_id: int | None = None) -> int:
    """The executions of a big plan, created after its approval committed. Safe to run twice."""
    from activities.services.executions import executions_sync

    plan = Plan.objects.filter(pk=plan_id, status=PlanStatus.APPROVED).first()
    if plan is None:  # archived or replaced meanwhile: its successor's approval syncs instead
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return executions_sync(plan=plan, actor=actor).created
