"""Writes of the observers app: the schedule, the registry, assignments and acts.

Each is keyword-only, atomic and audited, and refuses with a DomainError whose text is the
Russian reason. Assignment rules live in observers.rules and are checked here on every write
that could break them: assigning, moving a session, changing an observer.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from observers import planner, rules
from observers.choices import ACTIVE_STATUSES, TRANSITIONS, ActStage, AssignmentStatus
from observers.files import check_scan
from observers.models import Act, Assignment, Observer, act_due_on
from observers.selectors import can_manage_observers
from schools.models import Organization, VprCampaign, VprSession
from vprplan.audit import audit
from vprplan.errors import DomainError
from vprplan.wording import gendered

NOT_MANAGER = "Этим занимается муниципальный координатор ВПР этого муниципалитета."


def _require_manager(actor: User, municipality_id: int) -> None:
    if not can_manage_observers(actor, municipality_id):
        raise DomainError(NOT_MANAGER)


def _busy_slots(observer: Observer, *, exclude: int | None = None) -> list[rules.Slot]:
    others = (
        Assignment.objects.filter(observer=observer, status__in=ACTIVE_STATUSES)
        .exclude(pk=exclude)
        .select_related("session", "session__school")
    )
    return [rules.Slot.of(a.session) for a in others]


def assignment_problems(assignment: Assignment) -> list[str]:
    """What, if anything, now forbids an existing assignment (after a change to either side)."""
    observer = Observer.objects.prefetch_related("children_schools").get(pk=assignment.observer_id)
    session = VprSession.objects.select_related("school").get(pk=assignment.session_id)
    return rules.reasons(
        rules.Slot.of(session),
        rules.Candidate.of(observer),
        _busy_slots(observer, exclude=assignment.pk),
        school_name=str(session.school),
    )


def _recheck(assignments) -> None:
    for a in assignments:
        problems = assignment_problems(a)
        if problems:
            raise DomainError(
                f"Изменение противоречит назначению «{a.observer} → {a.session}»: {' '.join(problems)}"
            )


# The schedule ----------------------------------------------------------------------------------------


def session_assignments_hold(sender, *, session: VprSession, **kwargs) -> None:
    """A changed session (schools.signals.session_changed) keeps its assignments valid, or the
    change is refused with the reason."""
    _recheck(session.assignments.filter(status__in=ACTIVE_STATUSES).select_related("observer", "session"))


# The registry ----------------------------------------------------------------------------------------


@transaction.atomic
def observer_save(
    *, actor: User, municipality: Organization, observer: Observer | None = None, children_schools=(), **values
) -> Observer:
    """Add an observer to a municipality's registry or change him. A change that would break one
    of his assignments (a new workplace, a child's school, a later accreditation) is refused."""
    _require_manager(actor, municipality.pk)
    creating = observer is None
    observer = observer or Observer(municipality=municipality)
    for name, value in values.items():
        setattr(observer, name, value)
    observer.full_clean()
    observer.save()
    observer.children_schools.set(children_schools)
    if not creating:
        _recheck(
            observer.assignments.filter(status__in=ACTIVE_STATUSES).select_related("observer", "session")
        )
    audit(actor, "observer.created" if creating else "observer.changed", observer, organization=municipality)
    return observer


# Assignments -----------------------------------------------------------------------------------------


@transaction.atomic
def observer_assign(*, session: VprSession, observer: Observer, actor: User, auditorium: str = "") -> Assignment:
    """Assign an observer to a session, if every rule allows it; else DomainError with the reasons."""
    session = VprSession.objects.select_related("school").get(pk=session.pk)
    _require_manager(actor, session.school.municipality_id)
    # Locked, so two coordinators cannot put him in two places at the same moment.
    observer = Observer.objects.select_for_update().prefetch_related("children_schools").get(pk=observer.pk)
    if Assignment.objects.filter(session=session, observer=observer).exists():
        raise DomainError(f"{observer} уже {gendered('назначен', observer.full_name)} на эту работу.")
    problems = rules.reasons(
        rules.Slot.of(session),
        rules.Candidate.of(observer),
        _busy_slots(observer),
        school_name=str(session.school),
    )
    if problems:
        raise DomainError(" ".join(problems))
    assignment = Assignment(session=session, observer=observer, auditorium=auditorium, assigned_by=actor)
    assignment.full_clean()
    assignment.save()
    audit(actor, "observer.assigned", assignment, organization=observer.municipality,
          session=session.pk, observer=observer.pk)  # fmt: skip
    return assignment


@transaction.atomic
def assignment_set_status(*, assignment: Assignment, status: str, actor: User) -> Assignment:
    """planned → confirmed → attended / absent. The observer may confirm his own assignment."""
    assignment = Assignment.objects.select_for_update().select_related("observer").get(pk=assignment.pk)
    own = assignment.observer.user_id == actor.pk
    if not can_manage_observers(actor, assignment.observer.municipality_id) and not (
        own and status == AssignmentStatus.CONFIRMED
    ):
        raise DomainError(NOT_MANAGER)
    if status not in TRANSITIONS[AssignmentStatus(assignment.status)]:
        raise DomainError(
            f"Из состояния «{assignment.get_status_display()}» нельзя перейти в "
            f"«{AssignmentStatus(status).label}»."
        )
    previous = assignment.status
    assignment.status, assignment.status_changed_at = status, timezone.now()
    assignment.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit(actor, "assignment.status_changed", assignment, organization=assignment.observer.municipality,
          before=previous, after=status)  # fmt: skip
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor: User) -> None:
    _require_manager(actor, assignment.observer.municipality_id)
    if assignment.acts.exists():
        raise DomainError("По назначению уже подан акт: снять наблюдателя нельзя, отметьте «не явился».")
    audit(actor, "assignment.removed", assignment, organization=assignment.observer.municipality,
          session=assignment.session_id, observer=assignment.observer_id)  # fmt: skip
    assignment.delete()


def assignments_suggest(*, campaign: VprCampaign, municipality: Organization) -> list[tuple[int, int]]:
    """(session id, observer id) pairs the planner proposes; nothing is written."""
    return planner.plan(campaign=campaign, municipality_ids=[municipality.pk])


@transaction.atomic
def assignments_apply_suggestions(
    *, campaign: VprCampaign, municipality: Organization, actor: User
) -> list[Assignment]:
    """Compute the suggestions again, under a lock on the registry, and write them all."""
    _require_manager(actor, municipality.pk)
    list(Observer.objects.select_for_update().filter(municipality=municipality).values_list("pk"))
    pairs = assignments_suggest(campaign=campaign, municipality=municipality)
    created = Assignment.objects.bulk_create(
        [Assignment(session_id=s, observer_id=o, assigned_by=actor) for s, o in pairs]
    )
    audit(actor, "assignment.suggestions_applied", None, organization=municipality, campaign=campaign.pk,
          count=len(created), pairs=[list(p) for p in pairs])  # fmt: skip
    return created


# Acts ------------------------------------------------------------------------------------------------


@transaction.atomic
def act_submit(
    *,
    assignment: Assignment,
    actor: User,
    stage: str = ActStage.CONDUCT,
    violations_found: bool = False,
    violations: str = "",
    comment: str = "",
    scan: File | None = None,
    now: datetime | None = None,
) -> Act:
    """The observer files (or corrects) his act for a stage of the session; it marks him attended.
    Due by the end of the next working day after the session; a later one is kept and shown late."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("observer", "session__school")
        .get(pk=assignment.pk)
    )
    if assignment.observer.user_id != actor.pk:
        raise DomainError("Акт подаёт сам наблюдатель, назначенный на эту работу.")
    if assignment.status == AssignmentStatus.ABSENT:
        raise DomainError("Вы отмечены как не явившийся на эту работу: акт не принимается.")
    session = assignment.session
    now = now or timezone.now()
    if session.date > timezone.localdate(now, session.school.tz):
        raise DomainError(f"Акт подаётся после проведения работы ({session.date:%d.%m.%Y}).")
    act = Act.objects.filter(assignment=assignment, stage=stage).first() or Act(
        assignment=assignment, stage=stage
    )
    act.violations_found, act.violations, act.comment = violations_found, violations.strip(), comment.strip()
    act.submitted_at, act.submitted_by = now, actor
    replaced = act.scan.name if scan is not None else ""
    if scan is not None:
        kind = check_scan(scan)
        act.scan_name, act.scan_type = (
            kind.name,  # the display name: no path, no control characters (vprplan.uploads)
            kind.content_type,
        )
        act.scan.save(f"scan{kind.extension}", scan, save=False)
    act.full_clean()
    act.save()
    if replaced and replaced != act.scan.name:  # the earlier scan: no row names it any more
        storage = act.scan.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    if assignment.status in (AssignmentStatus.PLANNED, AssignmentStatus.CONFIRMED):
        assignment.status, assignment.status_changed_at = AssignmentStatus.ATTENDED, timezone.now()
        assignment.save(update_fields=["status", "status_changed_at", "updated_at"])
    audit(actor, "act.submitted", act, organization=assignment.observer.municipality, stage=stage,
          late=act.is_late, due=f"{act_due_on(session.date):%d.%m.%Y}", violations=violations_found)  # fmt: skip
    return act
