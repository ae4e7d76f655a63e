"""Reads of the VPR schedule, observers, assignments and acts, always scoped by the user.

Who sees what (on top of vprplan.access):
- the schedule: schools.selectors (imported here for the observers' pages);
- the observers' registry with contacts: the municipal staff (head, coordinator, specialist);
  the municipal coordinator keeps it and assigns;
- the board, the coverage report and the «График распределения»: the municipal staff and the
  regional admin (names, no contacts);
- an observer: his own assignments and acts only. A scan: its observer and the municipal staff.
"""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from observers import rules
from observers.choices import ACTIVE_STATUSES
from observers.models import Act, Assignment, Observer
from schools.models import Organization, UnobjectivityFlag, VprCampaign, VprSession
from vprplan import access
from vprplan.wording import gendered

# Who may do what is vprplan.access's: READ_OBSERVERS, MANAGE_OBSERVERS, READ_OBSERVER_REPORTS,
# READ_SCANS (and READ_SCHEDULE, EDIT_SCHEDULE for the schedule, which is schools').


def municipality_for_user(*, user, code: str, roles_=access.READ_OBSERVER_REPORTS) -> Organization:
    """A municipality the user holds one of `roles_` over (in it or its region), or 404."""
    return get_object_or_404(
        Organization.objects.municipalities().filter(access.managed_q(user, roles_=roles_)), code=code
    )


def report_municipalities(*, user, campaign: VprCampaign | None = None) -> QuerySet[Organization]:
    """The municipalities whose board, coverage and schedule the user reads."""
    found = Organization.objects.municipalities().filter(access.managed_q(user, roles_=access.READ_OBSERVER_REPORTS))
    if campaign is not None:
        found = found.filter(region_id=campaign.region_id)
    return found.order_by("name")


def can_manage_observers(user, municipality_id: int) -> bool:
    return access.holds_role_in(user, municipality_id, access.MANAGE_OBSERVERS)


# The schedule ------------------------------------------------------------------------------------


def flagged_q(campaign: VprCampaign, field: str = "school_id"):
    """Exists: the school (through `field`) has признаки необъективности of the campaign's year."""
    return Exists(UnobjectivityFlag.objects.filter(school_id=OuterRef(field), year=campaign.year))


# Observers ------------------------------------------------------------------------------------------


def observers_for_user(*, user) -> QuerySet[Observer]:
    return Observer.objects.filter(
        access.managed_q(user, "municipality", roles_=access.READ_OBSERVERS)
    ).select_related("municipality", "workplace_school", "user")


def managed_observers(*, user) -> QuerySet[Observer]:
    return observers_for_user(user=user).filter(
        access.managed_q(user, "municipality", roles_=access.MANAGE_OBSERVERS)
    )


# Assignments and acts -------------------------------------------------------------------------------


def assignments_for_user(*, user) -> QuerySet[Assignment]:
    """Assignments in the municipalities the user reports on, and his own as an observer."""
    q = access.managed_q(user, "session__school", roles_=access.READ_OBSERVER_REPORTS) | Q(observer__user=user)
    return Assignment.objects.filter(q).select_related(
        "session", "session__school", "session__campaign", "observer", "observer__municipality"
    )


def managed_assignments(*, user) -> QuerySet[Assignment]:
    return assignments_for_user(user=user).filter(
        access.managed_q(user, "observer__municipality", roles_=access.MANAGE_OBSERVERS)
    )


def actionable_assignments(*, user) -> QuerySet[Assignment]:
    """Assignments whose status the user may change: the coordinator's, and the observer's own."""
    q = access.managed_q(user, "observer__municipality", roles_=access.MANAGE_OBSERVERS) | Q(observer__user=user)
    return Assignment.objects.filter(q).select_related("observer", "session", "session__school")


def my_assignments(*, user) -> QuerySet[Assignment]:
    """The observer's own assignments with their acts, by date."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(observer__user=user, observer__is_active=True)
        .select_related("session", "session__school", "session__campaign", "observer")
        .prefetch_related(Prefetch("acts", queryset=Act.objects.order_by("stage")))
        .order_by("-session__campaign__year", "session__date", "session__starts_at")
    )


def acts_for_user(*, user) -> QuerySet[Act]:
    """Acts (and their scans) for their observer and the municipal staff of the session's place."""
    q = Q(assignment__observer__user=user) | access.managed_q(
        user, "assignment__session__school", roles_=access.READ_SCANS
    )
    return Act.objects.filter(q).select_related("assignment__session__school", "assignment__observer")


def board_sessions(*, campaign: VprCampaign, municipality: Organization) -> list[VprSession]:
    """The sessions of a municipality with their assignments, observers and acts: three queries."""
    return list(
        VprSession.objects.filter(campaign=campaign, school__municipality=municipality)
        .annotate(flagged=flagged_q(campaign))
        .select_related("school", "campaign")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("observer")
                .prefetch_related("acts")
                .order_by("observer__full_name"),
            )
        )
        .order_by("date", "starts_at", "school__name", "grade", "subject")
    )


def coverage(*, campaign: VprCampaign, municipality: Organization) -> dict:
    """How many sessions have an observer: all of them and those of flagged schools; per school."""
    covered = Exists(Assignment.objects.filter(session_id=OuterRef("pk"), status__in=ACTIVE_STATUSES))
    rows = list(
        VprSession.objects.filter(campaign=campaign, school__municipality=municipality)
        .annotate(flagged=flagged_q(campaign), covered=covered)
        .select_related("school")
        .order_by("school__name", "date", "starts_at", "grade")
    )
    schools: dict[int, dict] = {}
    for s in rows:
        row = schools.setdefault(
            s.school_id, {"school": s.school, "flagged": s.flagged, "total": 0, "covered": 0}
        )
        row["total"] += 1
        row["covered"] += int(s.covered)
    total, done = len(rows), sum(1 for s in rows if s.covered)
    flagged = [s for s in rows if s.flagged]
    return {
        "total": total,
        "covered": done,
        "share": round(100 * done / total, 1) if total else 0.0,
        "flagged_total": len(flagged),
        "flagged_covered": sum(1 for s in flagged if s.covered),
        "flagged_uncovered": [s for s in flagged if not s.covered],
        "uncovered": [s for s in rows if not s.covered],
        "schools": list(schools.values()),
    }


def schedule_rows(*, campaign: VprCampaign, municipality: Organization) -> list[dict]:
    """The «График распределения общественных наблюдателей»: one row per session and observer
    (a session without one is a row too), by date; what the .xlsx and the PDF print."""
    rows = []
    for session in board_sessions(campaign=campaign, municipality=municipality):
        active = [a for a in session.assignments.all() if a.status in ACTIVE_STATUSES]
        for a in active or [None]:
            rows.append({"session": session, "assignment": a, "observer": a.observer if a else None})
    return rows


def assignment_candidates(*, session: VprSession) -> tuple[list[Observer], dict[int, list[str]]]:
    """The active observers of the session's municipality, each with the reasons he may not go
    (observers.rules, and «already assigned»): those who may go first, then the others, so that
    the list reads as a suggestion. The caller has checked that the user assigns there."""
    observers = list(
        Observer.objects.filter(municipality_id=session.school.municipality_id, is_active=True)
        .prefetch_related("children_schools")
        .order_by("full_name")
    )
    busy: dict[int, list[rules.Slot]] = {}
    for a in Assignment.objects.filter(
        observer__in=observers, status__in=ACTIVE_STATUSES, session__date=session.date
    ).select_related("session", "session__school"):
        busy.setdefault(a.observer_id, []).append(rules.Slot.of(a.session))
    slot = rules.Slot.of(session)
    taken = set(session.assignments.values_list("observer_id", flat=True))
    problems = {
        o.pk: ([f"{o.full_name} уже {gendered('назначен', o.full_name)} на эту работу."] if o.pk in taken else [])
        + rules.reasons(slot, rules.Candidate.of(o), busy.get(o.pk, []), school_name=str(session.school))
        for o in observers
    }
    observers.sort(key=lambda o: (bool(problems[o.pk]), o.full_name))
    return observers, problems
