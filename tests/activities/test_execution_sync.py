"""Approving a plan creates its executions; a new version takes the work done over without losing any."""

from datetime import date

import pytest

from activities import services
from activities.choices import ExecutionStatus, PlanStatus, ReviewStatus
from activities.models import Activity, Evidence, Execution, Plan
from activities.selectors import target_schools
from activities.services.executions import planned_slots
from tests.activities.conftest import execution_of, make_plan
from tests.factories import SchoolFactory
from vprplan.errors import DomainError
from vprplan.models import AuditEvent, Job

pytestmark = pytest.mark.django_db


def slots(plan) -> set[tuple[str, str, int, date | None]]:
    return {
        (e.activity.number, e.organization.code, e.occurrence, e.due_date)
        for e in Execution.objects.filter(activity__plan=plan).select_related("activity", "organization")
    }


def test_approval_creates_one_execution_per_target_and_due_date(world, approved):
    assert slots(approved) == {
        ("1.1", "s1", 1, date(2025, 10, 15)),
        ("1.1", "s2", 1, date(2025, 10, 15)),
        ("1.2", "s1", 1, date(2025, 10, 31)),  # «Октябрь, май»: two occurrences per school
        ("1.2", "s1", 2, date(2026, 5, 31)),
        ("1.2", "s2", 1, date(2025, 10, 31)),
        ("1.2", "s2", 2, date(2026, 5, 31)),
        ("1.3", "m1", 1, date(2026, 8, 31)),  # the authority: once, at the period's end
        ("1.4", "m1", 1, date(2025, 12, 1)),
        ("2.1", "s2", 1, date(2026, 3, 31)),  # flagged in 2025: only S2
        ("2.2", "s1", 1, None),  # chosen: S1; «по мере необходимости»: no date
    }
    assert all(e.status == ExecutionStatus.NOT_STARTED for e in Execution.objects.all())
    event = AuditEvent.objects.get(action="plan.executions_synced")
    assert event.data["created"] == 10 and event.actor == world.head


def test_targets_agree_with_the_editors_target_schools(world, approved):
    for activity in Activity.objects.filter(plan=approved, execution_level="school"):
        planned = {org for (a, org, _occ) in planned_slots(approved) if a == activity.pk}
        assert planned == set(target_schools(activity=activity).values_list("pk", flat=True)), activity.number


def test_inactive_schools_and_other_municipalities_get_nothing(world):
    SchoolFactory(parent=world.m1, code="closed", is_active=False)
    plan = make_plan(world)
    services.plan_approve(plan=plan, actor=world.head)
    codes = {code for (_n, code, _o, _d) in slots(plan)}
    assert codes == {"s1", "s2", "m1"}


def test_sync_again_changes_nothing(world, approved):
    before = sorted(
        Execution.objects.values_list("pk", "activity_id", "organization_id", "occurrence", "updated_at")
    )
    result = services.executions_sync(plan=approved, actor=world.coordinator)
    assert not result.changed and result.created == 0
    assert (
        sorted(
            Execution.objects.values_list("pk", "activity_id", "organization_id", "occurrence", "updated_at")
        )
        == before
    )
    assert AuditEvent.objects.filter(action="plan.executions_synced").count() == 1


def test_only_an_approved_plan_has_executions(world):
    plan = make_plan(world, status=PlanStatus.DRAFT)
    with pytest.raises(DomainError):
        services.executions_sync(plan=plan, actor=world.coordinator)
    assert not Execution.objects.exists()


def test_a_new_school_joins_on_the_next_sync_and_a_removed_flag_leaves_no_empty_task(world, approved):
    newcomer = SchoolFactory(parent=world.m1, code="s-new", name="Школа новая")
    world.s2.flags.all().delete()
    result = services.executions_sync(plan=approved, actor=world.coordinator)
    assert ("1.1", "s-new", 1, date(2025, 10, 15)) in slots(approved)
    assert result.created == 3  # 1.1 and the two dates of 1.2
    flagged = execution_of(approved, "2.1", world.s2)
    assert flagged.status == ExecutionStatus.NOT_APPLICABLE and result.not_applicable == 1
    assert newcomer.executions.count() == 3


def version_of(plan, world) -> Plan:
    """A new version: 1.1 edited, 1.2 deleted, a new row added, 2.1 with a new deadline."""
    version = services.plan_new_version(plan=plan, actor=world.coordinator)
    rows = {a.origin.number: a for a in Activity.objects.filter(plan=version).select_related("origin")}
    edit = {"actor": world.coordinator, "expected_version": 1}
    services.activity_update(
        activity=rows["1.1"], data={"title": "Приказ ОО о проведении ВПР (уточнено)"}, **edit
    )
    services.activity_delete(activity=rows["1.2"], actor=world.coordinator)
    services.activity_update(
        activity=rows["2.1"], data={"deadline_text": "Апрель 2026", "deadline_rule": {}}, **edit
    )
    added = services.activity_add(section=rows["1.1"].section, actor=world.coordinator)
    services.activity_update(
        activity=added,
        data={"title": "Новая строка", "execution_level": "school"},
        **{**edit, "expected_version": added.version},
    )
    services.plan_submit(plan=version, actor=world.coordinator)
    return version


def test_new_version_moves_work_creates_missing_and_keeps_what_was_done(world, approved, pdf_file):
    done = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=done, actor=world.school, comment="Приказ № 5", files=[pdf_file])
    services.execution_review(execution=done, actor=world.coordinator, decision="accept")
    worked = execution_of(approved, "1.2", world.s1, occurrence=1)  # its activity goes away
    services.execution_start(execution=worked, actor=world.school, comment="Начали")
    untouched = execution_of(approved, "1.2", world.s2, occurrence=2)
    flagged = execution_of(approved, "2.1", world.s2)
    services.execution_complete(execution=flagged, actor=world.school2, comment="Перепроверено")

    version = version_of(approved, world)
    services.plan_approve(plan=version, actor=world.head)
    approved.refresh_from_db()
    assert approved.status == PlanStatus.ARCHIVED

    done.refresh_from_db()
    assert done.activity.plan_id == version.pk
    assert (done.status, done.review_status, done.comment) == (
        ExecutionStatus.DONE,
        ReviewStatus.ACCEPTED,
        "Приказ № 5",
    )
    assert Evidence.objects.get(execution=done).original_name == "Приказ ОО № 12.pdf"

    worked.refresh_from_db()
    assert worked.activity.plan_id == approved.pk and worked.status == ExecutionStatus.IN_PROGRESS  # kept
    untouched.refresh_from_db()
    assert untouched.activity.plan_id == approved.pk and untouched.status == ExecutionStatus.NOT_APPLICABLE

    # 2.1 changed its date: the same school's occurrence moves, with the new due date and its work.
    flagged.refresh_from_db()
    assert flagged.activity.plan_id == version.pk and flagged.due_date == date(2026, 4, 30)
    assert flagged.status == ExecutionStatus.DONE

    new_rows = {(n, c) for (n, c, _o, _d) in slots(version)}
    assert {(n, c) for (n, c) in new_rows if n.startswith("1.")} >= {("1.1", "s1"), ("1.1", "s2")}
    added = Activity.objects.get(plan=version, title="Новая строка")
    assert set(added.executions.values_list("organization__code", flat=True)) == {"s1", "s2"}
    assert Execution.objects.filter(activity__plan=version).count() == len(planned_slots(version))
    event = AuditEvent.objects.filter(action="plan.executions_synced", object_id=str(version.pk)).get()
    assert event.data["moved"] == 6 and event.data["kept"] == 1 and event.data["not_applicable"] == 3


def test_a_big_plan_is_synced_by_a_job_after_commit(world, monkeypatch, django_capture_on_commit_callbacks):
    from activities.services import executions as module

    monkeypatch.setattr(module, "INLINE_LIMIT", 3)
    plan = make_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_approve(plan=plan, actor=world.head)
    job = Job.objects.get(task="activities.sync_executions")
    assert job.args == [plan.pk] and job.status == Job.Status.DONE
    assert Execution.objects.filter(activity__plan=plan).count() == 10


def test_sync_command_backfills_plans_approved_before_executions_existed(world):
    from io import StringIO

    from django.core.management import call_command

    plan = make_plan(world, status=PlanStatus.APPROVED)  # approved without the service
    out = StringIO()
    call_command("sync_executions", stdout=out)
    assert "создано 10" in out.getvalue()
    call_command("sync_executions", "--plan", str(plan.pk), stdout=out)
    assert out.getvalue().rstrip().endswith("создано 0, перенесено 0, сроки изменены 0, не применимо 0")
