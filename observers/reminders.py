"""What the observers app owes its observers in the daily reminder digest (activities.reminders):
a reminder the day before a session, and one when an act is late. Each hook takes a page of user
ids and answers (user id, assignment id, reminder day) for the sweep's ledger; `describe` turns
assignments into the digest's lines. SOURCE is registered with the reminders in ObserversConfig.ready().
"""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from activities.models import ReminderKind
from activities.models.notifications import ASSIGNMENT_KINDS
from activities.reminders.registry import ReminderSource
from observers.choices import AssignmentStatus
from observers.models import Act, Assignment, Observer, act_due_on


def observer_users(*, region_id: int):
    """Exists: the user (OuterRef "pk") is an active observer of the region's registry."""
    return Exists(
        Observer.objects.filter(user_id=OuterRef("pk"), municipality__region_id=region_id, is_active=True)
    )


def _assignments(*, region_id: int, user_ids):
    return Assignment.objects.filter(
        observer__user_id__in=user_ids, observer__is_active=True, session__school__region_id=region_id
    )


def sessions_tomorrow(*, region_id: int, user_ids, today: date) -> list[tuple[int, int, date]]:
    """Sessions tomorrow (or today, when yesterday's sweep did not run): keyed on the day before
    the session, so the reminder comes once."""
    rows = (
        _assignments(region_id=region_id, user_ids=user_ids)
        .filter(
            status__in=(AssignmentStatus.PLANNED, AssignmentStatus.CONFIRMED),
            session__date__range=(today, today + timedelta(days=1)),
        )
        .values_list("observer__user_id", "pk", "session__date")
        .order_by()
    )
    return [(user, pk, day - timedelta(days=1)) for user, pk, day in rows]


def acts_late(*, region_id: int, user_ids, today: date, since: date) -> list[tuple[int, int, date]]:
    """Sessions since `since` whose act is past due (the next working day) and not filed, unless
    the observer was marked absent: keyed on the act's due day, so the reminder comes once."""
    rows = (
        _assignments(region_id=region_id, user_ids=user_ids)
        .exclude(status=AssignmentStatus.ABSENT)
        .filter(session__date__gte=since, session__date__lt=today)
        .exclude(Exists(Act.objects.filter(assignment_id=OuterRef("pk"))))
        .values_list("observer__user_id", "pk", "session__date")
        .order_by()
    )
    return [(user, pk, act_due_on(day)) for user, pk, day in rows if act_due_on(day) < today]


def candidates(*, region_id: int, user_ids, today: date, since: date) -> list[tuple[int, str, int, date]]:
    """(user id, kind, assignment id, reminder day): the sessions of tomorrow and the late acts."""
    found = [
        (user, ReminderKind.SESSION, pk, day)
        for user, pk, day in sessions_tomorrow(region_id=region_id, user_ids=user_ids, today=today)
    ]
    found += [
        (user, ReminderKind.ACT_LATE, pk, day)
        for user, pk, day in acts_late(region_id=region_id, user_ids=user_ids, today=today, since=since)
    ]
    return found


def describe(assignment_ids) -> dict[int, dict]:
    """The digest's line of each assignment: {id: {"text", "detail", "url", "sort", "by_kind"}},
    a late act's line saying when it was due and linking to its filing; one query."""
    found = {}
    for a in Assignment.objects.filter(pk__in=assignment_ids).select_related("session", "session__school"):
        s = a.session
        when = f"{s.date:%d.%m.%Y} {s.time_label}".strip()
        place = f", ауд. {a.auditorium}" if a.auditorium else ""
        detail = f"{s.school}, {when}{place}"
        act_due = act_due_on(s.date)
        found[a.pk] = {
            "text": f"ВПР: {s.subject}, {s.classes_label}",
            "detail": detail,
            "url": reverse("observers:my_assignments"),
            "sort": act_due.isoformat(),
            "by_kind": {
                ReminderKind.ACT_LATE: {
                    "detail": f"{detail}; акт нужно было сдать до {act_due:%d.%m.%Y}",
                    "url": reverse("observers:act_file", args=[a.pk]),
                }
            },
        }
    return found


SOURCE = ReminderSource(
    name="observers",
    kinds=ASSIGNMENT_KINDS,
    recipients=observer_users,
    candidates=candidates,
    describe=describe,
)
