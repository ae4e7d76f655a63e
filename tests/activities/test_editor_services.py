import pytest

from activities import services
from activities.choices import ExecutionLevel, Numbering, PlanStatus, TargetKind
from activities.models import Activity, Plan
from activities.selectors import plan_diff
from schools.models import UnobjectivityFlag
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    PlanFactory,
    SchoolFactory,
    SectionFactory,
    UserFactory,
)
from vprplan.errors import DomainError, EditConflict
from vprplan.models import AuditEvent
from vprplan.roles import OrgKind, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def draft(actor):
    plan = PlanFactory(status=PlanStatus.DRAFT, section_numbering=Numbering.ROMAN)
    keep(plan, actor)
    for title in ("Анализ", "Организация"):
        section = services.section_add(plan=plan, title=title, actor=actor)
        for n in (1, 2):
            a = services.activity_add(section=section, actor=actor)
            a.title = f"{title} {n}"
            a.save()
    return plan


def keep(plan, user) -> None:
    """`user` keeps the plan's owner (the editor's services check it)."""
    role = Role.SCHOOL_COORDINATOR if plan.owner.kind == OrgKind.SCHOOL else Role.MUNICIPAL_COORDINATOR
    MembershipFactory(user=user, organization=plan.owner, role=role)


def numbers(plan):
    return [
        (a.number, a.title)
        for a in Activity.objects.filter(plan=plan).order_by("section__position", "position")
    ]


def test_sections_and_activities_are_numbered_as_the_plan_chose(draft):
    assert [s.number for s in draft.sections.order_by("position")] == ["I", "II"]
    assert numbers(draft) == [
        ("1.1", "Анализ 1"),
        ("1.2", "Анализ 2"),
        ("2.1", "Организация 1"),
        ("2.2", "Организация 2"),
    ]


def test_moving_renumbers_and_crosses_section_edges(draft, actor):
    first = Activity.objects.get(plan=draft, title="Анализ 1")
    services.activity_move(activity=first, delta=+1, actor=actor)
    assert numbers(draft)[:2] == [("1.1", "Анализ 2"), ("1.2", "Анализ 1")]
    services.activity_move(activity=first, delta=+1, actor=actor)  # past the end: next section's start
    assert numbers(draft) == [
        ("1.1", "Анализ 2"),
        ("2.1", "Анализ 1"),
        ("2.2", "Организация 1"),
        ("2.3", "Организация 2"),
    ]
    services.activity_move(activity=Activity.objects.get(title="Анализ 1"), delta=-1, actor=actor)
    assert numbers(draft)[1] == ("1.2", "Анализ 1")
    top = Activity.objects.get(title="Анализ 2")
    services.activity_move(activity=top, delta=-1, actor=actor)  # already first: nothing happens
    assert numbers(draft)[0] == ("1.1", "Анализ 2")


def test_moving_the_first_row_up_into_the_previous_section(draft, actor):
    services.activity_move(activity=Activity.objects.get(title="Организация 1"), delta=-1, actor=actor)
    assert numbers(draft) == [
        ("1.1", "Анализ 1"),
        ("1.2", "Анализ 2"),
        ("1.3", "Организация 1"),
        ("2.1", "Организация 2"),
    ]


def test_section_move_renumbers_everything(draft, actor):
    second = draft.sections.get(title="Организация")
    services.section_move(section=second, delta=-1, actor=actor)
    assert [s.number + " " + s.title for s in draft.sections.order_by("position")] == [
        "I Организация",
        "II Анализ",
    ]
    assert numbers(draft)[0] == ("1.1", "Организация 1")


def test_drag_and_drop_order(draft, actor):
    s1, s2 = draft.sections.order_by("position")
    ids = {a.title: a.pk for a in Activity.objects.filter(plan=draft)}
    services.plan_reorder(
        plan=draft,
        actor=actor,
        order=[
            (s2.pk, [ids["Анализ 2"], ids["Организация 2"]]),
            (s1.pk, [ids["Организация 1"], ids["Анализ 1"]]),
        ],
    )
    assert numbers(draft) == [
        ("1.1", "Анализ 2"),
        ("1.2", "Организация 2"),
        ("2.1", "Организация 1"),
        ("2.2", "Анализ 1"),
    ]
    with pytest.raises(DomainError):  # a stale page that misses a row changes nothing
        services.plan_reorder(plan=draft, actor=actor, order=[(s1.pk, [ids["Анализ 1"]]), (s2.pk, [])])


def test_delete_and_undo_put_the_activity_back_in_its_place(draft, actor):
    victim = Activity.objects.get(plan=draft, title="Анализ 1")
    role_ids = []
    event = services.activity_delete(activity=victim, actor=actor)
    assert numbers(draft)[0] == ("1.1", "Анализ 2")
    restored = services.deletion_undo(event=event, actor=actor)
    assert numbers(draft)[:2] == [("1.1", "Анализ 1"), ("1.2", "Анализ 2")]
    assert list(restored.responsible_roles.values_list("pk", flat=True)) == role_ids
    with pytest.raises(DomainError, match="уже отменено"):
        services.deletion_undo(event=event, actor=actor)


def test_section_delete_and_undo_restore_its_activities(draft, actor):
    event = services.section_delete(section=draft.sections.get(title="Анализ"), actor=actor)
    assert numbers(draft) == [("1.1", "Организация 1"), ("1.2", "Организация 2")]
    services.deletion_undo(event=event, actor=actor)
    assert numbers(draft)[0] == ("1.1", "Анализ 1") and len(numbers(draft)) == 4


def test_second_save_of_the_same_version_is_a_conflict_not_an_overwrite(draft, actor):
    activity = Activity.objects.get(plan=draft, title="Анализ 1")
    opened = activity.version
    services.activity_update(
        activity=activity, data={"title": "Версия Анны"}, expected_version=opened, actor=actor
    )
    other = UserFactory(username="boris")
    keep(draft, other)
    with pytest.raises(EditConflict) as conflict:
        services.activity_update(
            activity=activity, data={"title": "Версия Бориса"}, expected_version=opened, actor=other
        )
    assert conflict.value.current.title == "Версия Анны"
    assert conflict.value.changed_by == actor
    assert Activity.objects.get(pk=activity.pk).title == "Версия Анны"
    # Having seen both, Boris saves on purpose against the version he was shown.
    services.activity_update(
        activity=activity,
        data={"title": "Версия Бориса"},
        expected_version=conflict.value.current.version,
        actor=other,
    )
    assert Activity.objects.get(pk=activity.pk).title == "Версия Бориса"


def test_history_records_who_changed_which_field(draft, actor):
    activity = Activity.objects.get(plan=draft, title="Анализ 1")
    services.activity_update(
        activity=activity,
        data={"deadline_text": "До 15 марта", "note": "к совещанию"},
        expected_version=activity.version,
        actor=actor,
    )
    event = AuditEvent.objects.filter(action="activity.changed", object_id=str(activity.pk)).get()
    assert event.actor == actor
    assert event.data["changes"]["deadline_text"] == ["", "До 15 марта"]
    assert event.data["changes"]["note"] == ["", "к совещанию"]


def test_approved_plan_is_read_only(draft, actor):
    services.plan_submit(plan=draft, actor=actor)
    with pytest.raises(DomainError, match="новой редакцией"):
        services.section_add(plan=draft, title="Ещё", actor=actor)
    services.plan_approve_by_order(plan=draft, actor=actor)  # a municipal plan: by its signed order
    activity = Activity.objects.filter(plan=draft).first()
    with pytest.raises(DomainError):
        services.activity_update(
            activity=activity, data={"title": "x"}, expected_version=activity.version, actor=actor
        )
    with pytest.raises(DomainError):
        services.activity_delete(activity=activity, actor=actor)


def test_workflow_order_is_enforced(actor):
    empty = PlanFactory(status=PlanStatus.DRAFT)
    with pytest.raises(DomainError, match="нет ни одного мероприятия"):
        services.plan_submit(plan=empty, actor=actor)
    with pytest.raises(DomainError):
        services.plan_approve_by_order(plan=empty, actor=actor)


def test_new_version_diff_and_approval_archive_the_old_one(draft, actor):
    services.plan_submit(plan=draft, actor=actor)
    services.plan_approve_by_order(plan=draft, actor=actor)  # a municipal plan: by its signed order
    version = services.plan_new_version(plan=draft, actor=actor)
    assert services.plan_new_version(plan=draft, actor=actor) == version  # one draft at a time
    assert version.status == PlanStatus.DRAFT and version.version_number == 2 and version.amends == draft
    changed = Activity.objects.get(plan=version, title="Анализ 2")
    services.activity_update(
        activity=changed, data={"title": "Анализ 2 (уточнено)"}, expected_version=changed.version, actor=actor
    )
    services.activity_delete(activity=Activity.objects.get(plan=version, title="Организация 2"), actor=actor)
    services.activity_add(section=version.sections.get(title="Организация"), actor=actor)
    statuses = sorted(r["status"] for r in plan_diff(plan=version))
    assert statuses == ["added", "changed", "removed", "same", "same"]
    services.plan_submit(plan=version, actor=actor)
    services.plan_approve_by_order(plan=version, actor=actor)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ARCHIVED


def test_shift_years_moves_every_dated_deadline():
    assert services.shift_years("До 25.01.2023", 1) == "До 25.01.2024"
    assert services.shift_years("Март-май 2023", 1) == "Март-май 2024"
    assert services.shift_years("В течение 2023-2024 учебного года", 1) == "В течение 2024-2025 учебного года"
    assert services.shift_years("до 15.03.23 г.", 2) == "до 15.03.25 г."
    assert services.shift_years("Постоянно", 1) == "Постоянно"
    assert services.shift_years("1 раз в четверть", 1) == "1 раз в четверть"


def test_school_plan_takes_the_activities_addressed_to_that_school(actor):
    municipal = PlanFactory(status=PlanStatus.APPROVED)
    school = SchoolFactory(parent=municipal.owner)
    other_school = SchoolFactory(parent=municipal.owner)
    UnobjectivityFlag.objects.create(school=school, year=2025, source="municipal")
    s1 = SectionFactory(plan=municipal, position=1, title="Для всех")
    s2 = SectionFactory(plan=municipal, position=2, title="Только РУО")
    ActivityFactory(
        section=s1, plan=municipal, position=1, title="Всем школам", execution_level=ExecutionLevel.SCHOOL
    )
    ActivityFactory(
        section=s1,
        plan=municipal,
        position=2,
        title="Школам с признаками",
        execution_level=ExecutionLevel.SCHOOL,
        target_kind=TargetKind.FLAGGED,
        target_flag_year=2025,
    )
    chosen = ActivityFactory(
        section=s1,
        plan=municipal,
        position=3,
        title="Другой школе",
        execution_level=ExecutionLevel.SCHOOL,
        target_kind=TargetKind.CHOSEN,
    )
    chosen.target_schools.set([other_school])
    ActivityFactory(section=s2, plan=municipal, position=1, title="Сам РУО")
    plan = services.school_plan_from_municipal(municipal_plan=municipal, school=school, actor=actor)
    assert plan.owner == school and plan.parent == municipal and plan.status == PlanStatus.DRAFT
    assert numbers(plan) == [("1.1", "Всем школам"), ("1.2", "Школам с признаками")]
    assert list(plan.sections.values_list("title", flat=True)) == ["Для всех"]
    assert Plan.objects.filter(owner=school).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_plans_lock_is_refused_outside_a_transaction(draft):
    """Outside a transaction a row lock would be let go at once (as select_for_update() refuses)."""
    from django.db.transaction import TransactionManagementError

    from activities.services.editor import lock_status

    with pytest.raises(TransactionManagementError):
        lock_status(draft)
