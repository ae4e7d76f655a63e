"""Two people doing the same thing at the same moment, on PostgreSQL with real threads released
together by a barrier: nothing is silently lost, and every rule still holds."""

import pytest

from activities import services
from activities.choices import ExecutionStatus, PlanStatus
from activities.models import Activity, Evidence, Execution
from observers.models import Assignment
from observers.services import observer_assign
from schools.choices import Role
from tests.activities.conftest import execution_of, make_plan, tiny_pdf, upload
from tests.factories import MembershipFactory, UserFactory
from tests.reliability.conftest import race
from vprplan.errors import DomainError, EditConflict
from vprplan.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def events(obj, action: str) -> int:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


@pytest.fixture
def deputy(world):
    """A second school coordinator of S1 (the director and his deputy, in two browsers)."""
    user = UserFactory(username="deputy")
    MembershipFactory(user=user, organization=world.s1, role=Role.SCHOOL_COORDINATOR)
    return user


def test_two_coordinators_report_the_same_execution_at_once(
    postgres, world, approved, deputy, record_property
):
    e = execution_of(approved, "1.2", world.s1)  # evidence required
    stale = [execution_of(approved, "1.2", world.s1) for _ in range(2)]  # each read before the other saved
    outcomes = race(
        lambda: services.execution_complete(
            execution=stale[0], actor=world.school, comment="Протокол № 1",
            files=[upload("Протокол 1.pdf", tiny_pdf("one"), "application/pdf")],
        ),
        lambda: services.execution_complete(
            execution=stale[1], actor=deputy, comment="Протокол № 2",
            files=[upload("Протокол 2.pdf", tiny_pdf("two"), "application/pdf")],
        ),
    )  # fmt: skip
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    e.refresh_from_db()
    assert e.status == ExecutionStatus.DONE
    assert e.comment in {"Протокол № 1", "Протокол № 2"}
    # Both files are kept and both reports are in the history: the later one did not erase the first.
    assert sorted(Evidence.objects.filter(execution=e).values_list("original_name", flat=True)) == [
        "Протокол 1.pdf",
        "Протокол 2.pdf",
    ]
    assert events(e, "execution.completed") == 2
    record_property("race_execution_reports", 2)


def test_two_people_add_evidence_at_once_and_both_files_are_kept(postgres, world, approved, deputy):
    e = execution_of(approved, "1.1", world.s1)
    outcomes = race(
        *[
            (lambda who=who, n=n: services.execution_start(
                execution=e, actor=who, comment=f"Черновик {n}",
                files=[upload(f"Файл {n}.pdf", tiny_pdf(str(n)), "application/pdf")],
            ))
            for n, who in enumerate([world.school, deputy, world.school, deputy], start=1)
        ]
    )  # fmt: skip
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert Evidence.objects.filter(execution=e).count() == 4
    assert events(e, "execution.in_progress") == 4
    e.refresh_from_db()
    assert e.status == ExecutionStatus.IN_PROGRESS


def test_a_review_racing_the_schools_take_back_lets_exactly_one_through(postgres, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=e, actor=world.school, comment="Сделано")
    stale = [execution_of(approved, "1.1", world.s1) for _ in range(2)]  # both read the sent report
    outcomes = race(
        lambda: services.execution_review(execution=stale[0], actor=world.coordinator, decision="accept"),
        lambda: services.execution_start(execution=stale[1], actor=world.school, comment="Дополню"),
    )
    done = [o for o in outcomes if isinstance(o, Execution)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(done), len(refused)) == (1, 1), outcomes
    e.refresh_from_db()
    if done[0].review_status:  # the review came first: accepted, and the school was told so
        assert (e.status, e.review_status) == (ExecutionStatus.DONE, "accepted")
        assert "уже принято" in str(refused[0])
    else:  # the school took it back first: nothing left to review
        assert (e.status, e.review_status, e.comment) == (ExecutionStatus.IN_PROGRESS, "", "Дополню")
        assert "Проверить можно только" in str(refused[0])


def test_two_coordinators_edit_the_same_activity_one_wins_the_other_gets_the_conflict(
    postgres, world, record_property
):
    plan = make_plan(world, status=PlanStatus.DRAFT)
    activity = Activity.objects.select_related("plan", "section").get(plan=plan, number="1.1")
    version = activity.version
    copies = [Activity.objects.select_related("plan", "section").get(pk=activity.pk) for _ in range(2)]
    titles = ["Приказ ОО о проведении ВПР (ред. 1)", "Приказ ОО о проведении ВПР (ред. 2)"]
    outcomes = race(
        *[
            (lambda a=a, t=t: services.activity_update(
                activity=a, data={"title": t}, expected_version=version, actor=world.coordinator
            ))
            for a, t in zip(copies, titles, strict=True)
        ]
    )  # fmt: skip
    won = [o for o in outcomes if isinstance(o, Activity)]
    conflicts = [o for o in outcomes if isinstance(o, EditConflict)]
    assert (len(won), len(conflicts)) == (1, 1), outcomes
    activity.refresh_from_db()
    assert activity.version == version + 1
    assert activity.title == won[0].title  # the saved text is the winner's, whole
    assert conflicts[0].current.title == won[0].title  # the loser is shown what won, to choose
    assert events(activity, "activity.changed") == 1
    record_property("race_activity_edits_conflicts", len(conflicts))


def test_two_coordinators_add_activities_and_sections_at_once_and_every_one_is_kept(postgres, world):
    plan = make_plan(world, status=PlanStatus.DRAFT)
    section = plan.sections.order_by("position").first()
    before = (section.activities.count(), plan.sections.count())
    outcomes = race(
        *[
            (lambda n=n: services.activity_add(section=section, actor=world.coordinator, title=f"Новое {n}"))
            for n in range(3)
        ],
        *[
            (lambda n=n: services.section_add(plan=plan, actor=world.coordinator, title=f"Раздел {n}"))
            for n in range(2)
        ],
    )
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    assert (section.activities.count(), plan.sections.count()) == (before[0] + 3, before[1] + 2)
    positions = list(section.activities.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))  # no gap, no duplicate
    numbers = list(Activity.objects.filter(plan=plan).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_one_plan_approved_twice_at_once_is_approved_once(postgres, world, record_property):
    plan = make_plan(world, status=PlanStatus.ON_APPROVAL)
    from activities.models import Plan

    copies = [Plan.objects.get(pk=plan.pk) for _ in range(2)]
    outcomes = race(*[(lambda p=p: services.plan_approve(plan=p, actor=world.head)) for p in copies])
    assert sum(isinstance(o, Plan) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, DomainError) for o in outcomes) == 1, outcomes
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert events(plan, "plan.approved") == 1
    # The executions were made once: one per school, activity and occurrence.
    rows = list(
        Execution.objects.filter(activity__plan=plan).values_list("activity", "organization", "occurrence")
    )
    assert rows and len(rows) == len(set(rows))
    record_property("race_plan_approvals", sum(isinstance(o, Plan) for o in outcomes))


def test_one_observer_assigned_at_once_to_the_same_and_to_overlapping_sessions(postgres, vpr, world):
    w = vpr
    neighbour = UserFactory(username="coordinator2")
    MembershipFactory(user=neighbour, organization=w.m1, role=Role.MUNICIPAL_COORDINATOR)
    # The same observer, the same session and auditorium, from two coordinators' screens.
    same = race(
        *[
            (lambda who=who: observer_assign(session=w.rus_s1, observer=w.free, actor=who, auditorium="12"))
            for who in (w.coordinator, neighbour)
        ]
    )
    assert sum(isinstance(o, Assignment) for o in same) == 1, same
    assert sum(isinstance(o, DomainError) for o in same) == 1, same
    assert Assignment.objects.filter(session=w.rus_s1, observer=w.free).count() == 1
    # The same observer at the same hour in two schools: one place only.
    both = race(
        *[
            (lambda s=s, who=who: observer_assign(session=s, observer=w.mine, actor=who))
            for s, who in ((w.rus_s1, w.coordinator), (w.rus_s2, neighbour))
        ]
    )
    assert sum(isinstance(o, Assignment) for o in both) == 1, both
    assert sum(isinstance(o, DomainError) for o in both) == 1, both
    assert Assignment.objects.filter(observer=w.mine).count() == 1


def test_an_edit_waits_for_the_plan_being_approved_and_then_is_refused(postgres, world):
    """The plan's row lock (services.editor.lock_status, FOR UPDATE): a save that starts while
    the head's approval holds the lock waits for it, then reads the plan as the approval left it.
    Without the lock it would read the draft of before and write into the approved plan."""
    import threading
    import time

    from django.db import transaction

    from activities.models import Plan
    from activities.services.editor import lock_status

    plan = make_plan(world, status=PlanStatus.DRAFT)
    activity = Activity.objects.select_related("plan", "plan__owner", "section").get(plan=plan, number="1.1")
    held = threading.Event()

    def approval():
        with transaction.atomic():
            locked = Plan.objects.get(pk=plan.pk)
            lock_status(locked)
            held.set()
            time.sleep(0.5)
            Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ON_APPROVAL)

    def edit():
        assert held.wait(10)
        started = time.monotonic()
        try:
            services.activity_update(
                activity=activity, data={"title": "Поздняя правка"}, expected_version=activity.version,
                actor=world.coordinator,
            )
        except DomainError as error:
            return error, time.monotonic() - started
        return None, time.monotonic() - started

    outcomes = race(approval, edit)
    assert outcomes[0] is None, outcomes
    error, waited = outcomes[1]
    assert isinstance(error, DomainError) and "черновика" in str(error), outcomes
    assert waited >= 0.3, f"the edit did not wait for the lock ({waited:.2f} s)"
    activity.refresh_from_db()
    assert activity.title != "Поздняя правка"
