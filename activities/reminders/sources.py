"""Who is owed which reminder on a day: the candidates for one page of recipients.

The task reminders mirror «Мои задачи» (activities.selectors.tasks_for_user) for a whole page of
people at once instead of one query per user: a school coordinator gets his school's work, a
named specialist the authority's work on activities naming him, a municipal coordinator the
authority's work of his role or naming no one with an account, a regional administrator the
region's own work; the apps above add theirs through activities.reminders.registry (tests/activities/test_reminders.py checks the two agree for every role).

Everything is read for a page of recipients (keyset over user ids), so memory holds one page
whatever the size of the region.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.choices import PlanStatus
from activities.models import OPEN_STATUSES, Activity, Execution, ReminderKind
from activities.reminders import approvals
from activities.reminders.registry import reminder_sources
from schools.choices import OrgKind, Role
from schools.models import Membership, Organization
from vprplan import access

LOOKAHEAD_DAYS = 7
# Days left → the kind of reminder; each kind is keyed on due date − its days, so it comes once.
WINDOWS = ((1, ReminderKind.DUE_1), (3, ReminderKind.DUE_3), (7, ReminderKind.DUE_7))


class Candidate(NamedTuple):
    recipient_id: int
    kind: str
    subject_id: int
    day: date


def overdue_since(today: date) -> date:
    return today - timedelta(days=settings.REMINDER_OVERDUE_DAYS)


def kind_for(due: date, today: date) -> tuple[str, date] | None:
    """The reminder an execution due on `due` gets on `today`, with the day it is keyed on:
    overdue (every day), or due in 0–1, 2–3, 4–7 days (once each)."""
    left = (due - today).days
    if left < 0:
        return ReminderKind.OVERDUE, today
    for days, kind in WINDOWS:
        if left <= days:
            return kind, due - timedelta(days=days)
    return None


def due_executions(*, region_id: int, today: date) -> QuerySet[Execution]:
    """Open work of approved plans in the region (its schools, authorities and its own) due within
    a week or overdue within REMINDER_OVERDUE_DAYS: what the bench's anchor counts."""
    return Execution.objects.filter(
        Q(organization__region_id=region_id) | Q(organization_id=region_id),
        organization__is_active=True,
        activity__plan__status=PlanStatus.APPROVED,
        status__in=OPEN_STATUSES,
        due_date__gte=overdue_since(today),
        due_date__lte=today + timedelta(days=LOOKAHEAD_DAYS),
    )


def recipient_pages(*, region_id: int, size: int) -> Iterator[list[int]]:
    """Ids of the active users who work in the region (or observe in it), a page at a time."""
    in_region = Q(organization__region_id=region_id) | Q(organization_id=region_id)
    members = Membership.objects.filter(in_region, user_id=OuterRef("pk"), organization__is_active=True)
    anyone = Q(Exists(members))
    for source in reminder_sources():  # observers who are no members of the region's organisations
        anyone |= Q(source.recipients(region_id=region_id))
    users = get_user_model().objects.filter(anyone, is_active=True)
    last = 0
    while True:
        page = list(users.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not page:
            return
        yield page
        last = page[-1]


CHUNK = 500  # ids per IN (…): well under every database's limit on query parameters


def chunks(ids, size: int = CHUNK):
    ids = sorted(set(ids))
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# Every read below is driven by explicit ids through an index (a membership by user, an execution
# by organisation, status and due date, an activity by its key), never by «plans that are
# approved»: without statistics SQLite would start there and walk every execution of five years
# (bench: 2.6 s a page instead of milliseconds).


def seats(*, region_id: int, user_ids: list[int]) -> list[tuple[int, int, str, int | None]]:
    """(user id, organisation id, role, its municipality id) of the page's users in the region,
    for the roles that have tasks."""
    return list(
        Membership.objects.filter(
            Q(organization__region_id=region_id) | Q(organization_id=region_id),
            user_id__in=user_ids,
            role__in=access.READ_TASKS.roles,
            organization__is_active=True,
        ).values_list("user_id", "organization_id", "role", "organization__kind")
    )


def _open_work(org_ids, *, since: date, until: date) -> list[tuple[int, int, int, date]]:
    """(execution id, organisation id, activity id, due date) of open work of approved plans."""
    rows = []
    for part in chunks(org_ids):
        rows += (
            Execution.objects.filter(
                organization_id__in=part, status__in=OPEN_STATUSES, due_date__range=(since, until)
            )
            .values_list("pk", "organization_id", "activity_id", "due_date")
            .order_by()
        )
    approved = set()
    for part in chunks({r[2] for r in rows}):
        statuses = Activity.objects.filter(pk__in=part).values_list("pk", "plan__status").order_by()
        approved |= {pk for pk, status in statuses if status == PlanStatus.APPROVED}
    return [r for r in rows if r[2] in approved]


def task_rows(*, region_id: int, user_ids: list[int], today: date) -> list[tuple[int, int, date]]:
    """(user id, execution id, due date) of the page's users' tasks in the reminder window, by the
    rules of tasks_for_user."""
    mine = seats(region_id=region_id, user_ids=user_ids)
    work = _open_work(
        {org for _, org, _, _ in mine},
        since=overdue_since(today),
        until=today + timedelta(days=LOOKAHEAD_DAYS),
    )
    by_org: dict[int, list] = {}
    for row in work:
        by_org.setdefault(row[1], []).append(row)
    authority = {a for _, org, role, _ in mine if role not in access.COMPLETE_ALL_WORK
                 for _, _, a, _ in by_org.get(org, ())}  # fmt: skip
    persons = Activity.responsible_persons.through.objects
    named, of_role, with_account = set(), set(), set()
    for part in chunks(authority):
        named |= set(
            persons.filter(activity_id__in=part, responsibleperson__user_id__in=user_ids).values_list(
                "activity_id", "responsibleperson__user_id"
            )
        )
        of_role |= set(
            Activity.responsible_roles.through.objects.filter(
                activity_id__in=part, responsiblerole__acting_role=Role.MUNICIPAL_COORDINATOR
            ).values_list("activity_id", flat=True)
        )
        with_account |= set(
            persons.filter(activity_id__in=part, responsibleperson__user__isnull=False).values_list(
                "activity_id", flat=True
            )
        )
    rows = []
    for user, org, role, _ in mine:
        for execution, _, activity, due in by_org.get(org, ()):
            if (
                role in access.COMPLETE_ALL_WORK
                or (role == Role.SPECIALIST and (activity, user) in named)
                or (
                    role == Role.MUNICIPAL_COORDINATOR
                    and (activity in of_role or activity not in with_account)
                )
            ):
                rows.append((user, execution, due))
    return rows


def school_overdue(school_ids, *, today: date) -> dict[int, tuple[int, date]]:
    """{school id: (how many executions are overdue in the window, the earliest due date)}."""
    found: dict[int, tuple[int, date]] = {}
    for _, school, _, due in _open_work(
        school_ids, since=overdue_since(today), until=today - timedelta(days=1)
    ):
        n, oldest = found.get(school, (0, due))
        found[school] = (n + 1, min(oldest, due))
    return found


def escalation_rows(*, region_id: int, user_ids: list[int], today: date) -> list[tuple[int, int]]:
    """(municipal coordinator id, school id): the page's coordinators' schools with overdue work."""
    coordinators: dict[int, set[int]] = {}
    for user, org, role, kind in seats(region_id=region_id, user_ids=user_ids):
        if role == Role.MUNICIPAL_COORDINATOR and kind == OrgKind.MUNICIPALITY:
            coordinators.setdefault(org, set()).add(user)
    if not coordinators:
        return []
    schools = dict(
        Organization.objects.schools()
        .filter(municipality_id__in=list(coordinators), is_active=True)
        .values_list("pk", "municipality_id")
    )
    late = school_overdue(schools, today=today)
    return [(user, school) for school in late for user in coordinators[schools[school]]]


def candidates(*, region_id: int, user_ids: list[int], today: date) -> list[Candidate]:
    """Every reminder the page's users are owed today, once each."""
    found: set[Candidate] = set()
    for user, execution, due in task_rows(region_id=region_id, user_ids=user_ids, today=today):
        kind = kind_for(due, today)
        if kind is not None:
            found.add(Candidate(user, kind[0], execution, kind[1]))
    for user, school in escalation_rows(region_id=region_id, user_ids=user_ids, today=today):
        found.add(Candidate(user, ReminderKind.ESCALATION, school, today))
    for source in reminder_sources():
        for user, kind, subject, day in source.candidates(
            region_id=region_id, user_ids=user_ids, today=today, since=overdue_since(today)
        ):
            found.add(Candidate(user, kind, subject, day))
    for user, plan in approvals.approval_rows(region_id=region_id, user_ids=user_ids):
        found.add(Candidate(user, ReminderKind.APPROVAL, plan, today))  # every day while it waits
    return sorted(found)
