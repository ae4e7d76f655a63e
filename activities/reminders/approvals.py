"""The head's part of the reminders: municipal plans waiting for his approval (his order).

A plan submitted for approval puts a line into its heads' notification of the day at once
(`notify_plan_submitted`), and every daily digest repeats it while the plan waits
(`approval_rows` for the sweep's candidates, `describe` for its lines)."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from activities.choices import PlanStatus
from activities.models import Notification, Plan, ReminderKind
from activities.reminders import bell
from activities.reminders.digest import Digest
from schools.choices import OrgKind, Role
from schools.models import Membership

BY_ORDER = "утверждается приказом органа управления образованием"


def heads_of(plan: Plan) -> QuerySet[Membership]:
    """The heads who approve the plan: those of its municipality (a school or regional plan is
    approved by its own organisation, not by an order of the head)."""
    return Membership.objects.filter(
        role=Role.HEAD,
        organization_id=plan.owner_id,
        organization__kind=OrgKind.MUNICIPALITY,
        user__is_active=True,
    )


def _line(plan: Plan, *, since: date, by: str = "") -> dict:
    detail = f"на утверждении с {since:%d.%m.%Y}"
    if by:
        detail += f", отправил(а) {by}"
    return {
        "kind": ReminderKind.APPROVAL.value,
        "text": Truncator(plan.title).chars(180),
        "detail": f"{detail}; {BY_ORDER}",
        "url": reverse("activities:plan_detail", args=[plan.pk]),
    }


def notify_plan_submitted(*, plan: Plan, actor) -> int:
    """Tell the plan's heads in the app that it waits for them. Returns how many were told."""
    if plan.owner.kind != OrgKind.MUNICIPALITY:
        return 0
    today = timezone.localdate(timezone=plan.owner.tz)
    by = (actor.get_full_name() or actor.username) if getattr(actor, "is_authenticated", False) else ""
    item = _line(plan, since=today, by=by)
    told = []
    for user_id in heads_of(plan).values_list("user_id", flat=True).distinct():
        notification, created = Notification.objects.get_or_create(
            user_id=user_id,
            day=today,
            defaults={"title": f"Ожидает утверждения: {Truncator(plan.title).chars(150)}", "items": [item]},
        )
        if not created:
            notification.items = [*notification.items, item]
            notification.title = Digest(user_id, today, notification.items).title
            notification.read_at = None
            notification.save(update_fields=["items", "title", "read_at", "updated_at"])
        told.append(user_id)
    bell.forget(user_ids=told)
    return len(told)


def approval_rows(*, region_id: int, user_ids: list[int]) -> list[tuple[int, int]]:
    """(head id, plan id): the page's heads in the region and their municipalities' plans on approval."""
    seats = list(
        Membership.objects.filter(
            role=Role.HEAD,
            user_id__in=user_ids,
            organization__region_id=region_id,
            organization__kind=OrgKind.MUNICIPALITY,
            organization__is_active=True,
        ).values_list("user_id", "organization_id")
    )
    if not seats:
        return []
    plans: dict[int, list[int]] = {}
    for pk, owner in Plan.objects.filter(
        owner_id__in={org for _, org in seats}, status=PlanStatus.ON_APPROVAL
    ).values_list("pk", "owner_id"):
        plans.setdefault(owner, []).append(pk)
    return [(user, plan) for user, org in seats for plan in plans.get(org, ())]


def describe(ids) -> dict[int, dict]:
    """The digest's lines of plans still on approval (one approved since has no line)."""
    found = {}
    for plan in Plan.objects.filter(pk__in=ids, status=PlanStatus.ON_APPROVAL).select_related("owner"):
        line = _line(plan, since=timezone.localdate(plan.updated_at, plan.owner.tz))
        found[plan.pk] = {**line, "sort": plan.updated_at.isoformat()}
    return found
