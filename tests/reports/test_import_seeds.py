"""Files laid out like the three seed documents import to exactly their transcriptions."""

from datetime import date

import pytest

from activities.deadlines import parse_deadline
from activities.models import Activity, Plan
from reports.imports.draft import read_plan
from reports.imports.services import plan_import
from tests.reports import documents
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

LAYOUTS = {
    "inta.docx": documents.inta_docx,
    "severo.docx": documents.severo_docx,
    "severo.xlsx": documents.severo_xlsx,
    "school-107.docx": documents.school_docx,
    "school-107.csv": documents.school_csv,
}


def owner_and_actor(world, expected):
    return (world.s1, world.school) if expected["owner"] == "school-107" else (world.m1, world.coordinator)


@pytest.mark.parametrize("file_name", LAYOUTS)
def test_import_gives_every_section_and_activity_of_the_seed(world, catalogue, file_name):
    expected, data = LAYOUTS[file_name]()
    owner, actor = owner_and_actor(world, expected)
    draft = read_plan(data, file_name)
    assert draft.errors == []

    plan, _ = plan_import(draft=draft, owner=owner, actor=actor)

    plan = Plan.objects.get(pk=plan.pk)
    assert (plan.owner, plan.status, plan.title) == (owner, "draft", expected["title"])
    assert plan.kind == expected["kind"]
    assert plan.columns == expected["columns"]
    assert plan.section_numbering == expected["section_numbering"]
    assert (plan.period_start, plan.period_end) == (
        date.fromisoformat(expected["period_start"]),
        date.fromisoformat(expected["period_end"]),
    )
    assert plan.period_text == expected["period_text"]
    if file_name.endswith(".docx"):
        assert (plan.goals, plan.tasks) == (expected["goals"], expected["tasks"])

    sections = list(plan.sections.order_by("position"))
    assert [s.title for s in sections] == [s["title"] for s in expected["sections"]]
    for s_index, (section, exp_section) in enumerate(zip(sections, expected["sections"], strict=True), 1):
        assert section.number == plan.section_number(s_index)
        activities = list(section.activities.order_by("position"))
        assert len(activities) == len(exp_section["activities"]), section.title
        for a_index, (activity, exp) in enumerate(zip(activities, exp_section["activities"], strict=True), 1):
            assert activity.number == f"{s_index}.{a_index}"
            for field in ("title", "deadline_text", "responsible_text", "expected_result", "note"):
                assert getattr(activity, field) == exp.get(field, ""), (activity.number, field)
            rule = parse_deadline(
                exp["deadline_text"], period_start=plan.period_start, period_end=plan.period_end
            )
            assert (activity.deadline_kind, activity.deadline_rule) == (rule.kind, rule.params)
            assert activity.deadline_warning == rule.warning[:300]
    event = AuditEvent.objects.get(action="plan.imported")
    assert (event.actor, event.object_id, event.organization) == (actor, str(plan.pk), owner)
    assert event.data["activities"] == sum(len(s["activities"]) for s in expected["sections"])


def test_page_breaks_are_joined_and_reported(world):
    _, data = documents.severo_docx()
    draft = read_plan(data, "severo.docx")
    joined = [n for n in draft.notes if "разрыв страницы" in n["message"]]
    assert len(joined) == 4
    assert all(n["row"] for n in joined)


def test_responsible_text_is_matched_to_the_catalogue_and_new_roles_are_created(world, catalogue, filchuk):
    _, data = documents.inta_docx()
    plan, preview = plan_import(draft=read_plan(data, "inta.docx"), owner=world.m1, actor=world.coordinator)
    assert preview.roles_to_create == [
        "Отдел образования администрации МО «Инта»",
        "Сектор дошкольного, общего и дополнительного образования МКУ «ГУНО»",
        "Городские предметные методические объединения",
    ]
    first = Activity.objects.get(plan=plan, number="1.1")
    assert sorted(r.name for r in first.responsible_roles.all()) == [
        "Отдел образования администрации МО «Инта»",
        "Сектор дошкольного, общего и дополнительного образования МКУ «ГУНО»",
    ]
    assert all(r.owner == world.m1 for r in first.responsible_roles.all())
    school_run = Activity.objects.get(
        plan=plan, number="2.5"
    )  # «Муниципальные общеобразовательные организации»
    assert [r.name for r in school_run.responsible_roles.all()] == [
        "Муниципальные общеобразовательные организации"
    ]
    assert school_run.execution_level == "school" and first.execution_level == "authority"

    _, data = documents.severo_docx()
    plan, preview = plan_import(draft=read_plan(data, "severo.docx"), owner=world.m1, actor=world.coordinator)
    activity = Activity.objects.get(plan=plan, number="1.3")  # «Фильчук Л.А., ведущий специалист»
    assert list(activity.responsible_persons.all()) == [filchuk]
    first = preview.activities[0]  # «Руководители ОО»
    assert [r.name for r in first.responsible.roles] == [
        "Руководители ОО"
    ] and not first.responsible.new_roles
    second = preview.activities[1]  # «Каминская П.А., главный специалист»: a person, not a role
    assert second.responsible.unknown_persons == ["Каминская П.А."] and not second.responsible.new_roles


def test_a_second_import_reuses_the_roles_it_created(world, catalogue):
    _, data = documents.inta_docx()
    draft = read_plan(data, "inta.docx")
    plan_import(draft=draft, owner=world.m1, actor=world.coordinator)
    _, preview = plan_import(draft=draft, owner=world.m1, actor=world.coordinator)
    assert preview.roles_to_create == []
    assert Plan.objects.filter(owner=world.m1, title__startswith="План мероприятий («Дорожная").count() == 2
