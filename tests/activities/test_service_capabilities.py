"""The plan services check their actor again (vprplan.access capabilities): a user without the
capability is refused with a Russian message (a DomainError the action views show) and nothing
changes."""

import pytest

from activities import services
from activities.choices import PlanStatus
from activities.models import ResponsiblePerson
from tests.factories import PlanFactory, SectionFactory
from vprplan import access
from vprplan.errors import DomainError, NotAllowed
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_plan(world):
    plan = PlanFactory(owner=world.s1, status=PlanStatus.ON_APPROVAL)
    SectionFactory(plan=plan)
    return plan


@pytest.mark.parametrize("user", ["coordinator", "specialist", "head", "observer", "school2", "nobody"])
def test_a_plan_is_approved_only_by_its_owners_approver(world, school_plan, user):
    with pytest.raises(NotAllowed, match="У вас нет права утверждать планы этой организации"):
        services.plan_approve(plan=school_plan, actor=world.users[user])
    school_plan.refresh_from_db()
    assert school_plan.status == PlanStatus.ON_APPROVAL
    assert not AuditEvent.objects.filter(action="plan.approved").exists()


def test_the_school_coordinator_approves_his_schools_plan(world, school_plan):
    services.plan_approve(plan=school_plan, actor=world.school)
    school_plan.refresh_from_db()
    assert school_plan.status == PlanStatus.APPROVED


def test_a_refusal_is_a_domain_error_with_the_capabilitys_words():
    error = NotAllowed(access.APPROVE_PLANS.refusal)
    assert isinstance(error, DomainError) and str(error) == "У вас нет права утверждать планы этой организации."


def test_a_person_typed_into_an_activity_is_added_by_the_plans_keeper_and_audited(world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    with pytest.raises(NotAllowed, match="вести планы этой организации"):
        services.editor.responsible_person_add(plan=plan, text="Иванова А. А., методист", actor=world.head)
    assert not ResponsiblePerson.objects.filter(name="Иванова А. А.").exists()
    person = services.editor.responsible_person_add(
        plan=plan, text="Иванова А. А., методист", actor=world.coordinator
    )
    assert (person.name, person.position, person.organization_id) == ("Иванова А. А.", "методист", world.m1.pk)
    event = AuditEvent.objects.get(action="responsible_person.added")
    assert event.actor == world.coordinator and event.data["name"] == "Иванова А. А."
    again = services.editor.responsible_person_add(plan=plan, text="Иванова А. А.", actor=world.coordinator)
    assert again == person and AuditEvent.objects.filter(action="responsible_person.added").count() == 1


def _s1_work(plan):
    from activities.models import Execution

    return Execution.objects.filter(activity__plan=plan, organization__code="s1").order_by("pk").first()


@pytest.mark.parametrize("user", ["school2", "head", "observer", "nobody"])
def test_only_whose_task_it_is_reports_it(world, approved, user):
    execution = _s1_work(approved)
    with pytest.raises(NotAllowed, match="Это не ваша задача"):
        services.execution_complete(execution=execution, actor=world.users[user], comment="Готово")
    with pytest.raises(NotAllowed, match="Это не ваша задача"):
        services.execution_start(execution=execution, actor=world.users[user], comment="Начали")
    execution.refresh_from_db()
    assert execution.comment == "" and not AuditEvent.objects.filter(action__startswith="execution.").exists()


@pytest.mark.parametrize("user", ["neighbour_coordinator", "head", "school", "specialist"])
def test_only_the_municipal_coordinator_reviews_a_schools_report(world, approved, user):
    execution = services.execution_complete(execution=_s1_work(approved), actor=world.school, comment="Готово")
    with pytest.raises(NotAllowed, match="проверяет муниципальный координатор"):
        services.execution_review(execution=execution, actor=world.users[user], decision="accept")
    execution.refresh_from_db()
    assert execution.review_status == ""
    services.execution_review(execution=execution, actor=world.coordinator, decision="accept")


@pytest.mark.parametrize("user", ["head", "specialist", "school", "observer", "admin", "nobody"])
def test_the_editor_services_refuse_who_does_not_keep_the_plan(world, user):
    """The municipality's plan is kept by its coordinator: nobody else adds, changes or removes
    a section, and nothing is written."""
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    section = SectionFactory(plan=plan, title="Раздел")
    actor = world.users[user]
    with pytest.raises(NotAllowed, match="У вас нет права вести планы этой организации"):
        services.section_add(plan=plan, title="Чужой раздел", actor=actor)
    with pytest.raises(NotAllowed):
        services.section_update(section=section, title="Переименован", actor=actor)
    with pytest.raises(NotAllowed):
        services.section_delete(section=section, actor=actor)
    assert list(plan.sections.values_list("title", flat=True)) == ["Раздел"]
    assert not AuditEvent.objects.filter(action__startswith="section.").exists()


def test_the_coordinator_keeps_his_municipalitys_plan(world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    services.section_add(plan=plan, title="Свой раздел", actor=world.coordinator)
    assert list(plan.sections.values_list("title", flat=True)) == ["Свой раздел"]
