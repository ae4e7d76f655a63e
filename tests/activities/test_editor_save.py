"""The editor's save of one activity (issue 21): the posted roles, people and schools are checked
against the activity's links, read once, and only the ids a save adds are looked up in the form's
scope; another municipality's are refused with Django's Russian message, and nothing is saved."""

import pytest
from django.urls import reverse

from activities import services
from activities.choices import PlanStatus
from activities.models import Activity, ResponsiblePerson, ResponsibleRole
from tests.factories import PlanFactory
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

REFUSED = "Выберите корректный вариант. {} нет среди допустимых значений."


@pytest.fixture
def links(world):
    """Roles, people and schools of the coordinator's municipality (m1) and of its neighbour (m2)."""
    return {
        "role": ResponsibleRole.objects.create(name="Руководители ОО"),  # the shared catalogue
        "own_role": ResponsibleRole.objects.create(name="Методисты М1", owner=world.m1),
        "other_role": ResponsibleRole.objects.create(name="Методисты М2", owner=world.m2),
        "person": ResponsiblePerson.objects.create(organization=world.m1, name="Фильчук Л.А.", position="специалист"),
        "other_person": ResponsiblePerson.objects.create(organization=world.m2, name="Соседов И.И."),
    }


@pytest.fixture
def activity(world, links):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT, title="Черновик М1")
    section = services.section_add(plan=plan, title="Раздел первый", actor=world.coordinator)
    activity = services.activity_add(section=section, actor=world.coordinator)
    activity.responsible_roles.set([links["role"]])
    activity.responsible_persons.set([links["person"]])
    activity.target_schools.set([world.s1])
    return Activity.objects.get(pk=activity.pk)


def form(activity, **changes) -> dict:
    """The form as the editor shows it for `activity`, with `changes`."""
    return {
        "version": activity.version,
        "title": activity.title,
        "deadline_text": "До 15.03.2026",
        "deadline_mode": "auto",
        "responsible_text": "Как в документе",
        "execution_level": "school",
        "target_kind": "chosen",
        "responsible_roles": list(activity.responsible_roles.values_list("pk", flat=True)),
        "responsible_persons": list(activity.responsible_persons.values_list("pk", flat=True)),
        "target_schools": list(activity.target_schools.values_list("pk", flat=True)),
        **changes,
    }


def save(client, world, activity, **changes):
    client.force_login(world.coordinator)
    return client.post(reverse("activities:activity_edit", args=[activity.pk]), form(activity, **changes))


def test_the_form_offers_the_municipalitys_choices_and_checks_the_activitys_links(client, world, links, activity):
    client.force_login(world.coordinator)
    html = client.get(reverse("activities:activity_edit", args=[activity.pk])).content.decode()
    for name, obj, checked in [
        ("responsible_roles", links["role"], True),
        ("responsible_roles", links["own_role"], False),
        ("responsible_persons", links["person"], True),
        ("target_schools", world.s1, True),
        ("target_schools", world.s2, False),
    ]:
        tag = html.split(f'name="{name}" value="{obj.pk}"')[1].split(">")[0]
        assert ("checked" in tag) is checked, (name, obj)
    assert links["other_role"].name not in html and links["other_person"].name not in html
    assert world.s3.name not in html


@pytest.mark.parametrize(
    "field, other",
    [
        ("responsible_roles", lambda world, links: links["other_role"]),
        ("responsible_persons", lambda world, links: links["other_person"]),
        ("target_schools", lambda world, links: world.s3),
    ],
)
def test_an_id_of_another_municipality_is_refused_and_nothing_is_saved(client, world, links, activity, field, other):
    other = other(world, links)
    kept = form(activity)[field]
    response = save(client, world, activity, title="Не сохранится", **{field: [*kept, other.pk]})
    html = response.content.decode()
    assert response.status_code == 200 and 'class="activity-form"' in html
    assert REFUSED.format(other.pk) in html
    saved = Activity.objects.get(pk=activity.pk)
    assert saved.title == activity.title and saved.version == activity.version
    assert list(getattr(saved, field).values_list("pk", flat=True)) == kept
    assert not AuditEvent.objects.filter(action="activity.changed", object_id=str(activity.pk)).exists()


def test_an_id_that_is_not_a_number_is_refused(client, world, activity):
    html = save(client, world, activity, responsible_roles=["1; DROP"]).content.decode()
    assert "“1; DROP” является неверным значением." in html
    assert Activity.objects.get(pk=activity.pk).version == activity.version


@pytest.mark.parametrize("value", ["0", "-5", "99999999999999999999999"])
def test_an_id_no_row_can_have_is_refused_without_asking_the_database(client, world, activity, value):
    # The last one was a 500 before (SQLite: «Python int too large to convert to SQLite INTEGER»).
    response = save(client, world, activity, target_schools=[value])
    assert response.status_code == 200 and REFUSED.format(value) in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).version == activity.version


def test_added_and_removed_links_are_saved_and_in_the_history(client, world, links, activity):
    response = save(
        client,
        world,
        activity,
        responsible_roles=[links["own_role"].pk],
        responsible_persons=[],
        target_schools=[world.s1.pk, world.s2.pk],
    )
    assert response.status_code == 200 and 'class="ed-row just-saved"' in response.content.decode()
    saved = Activity.objects.get(pk=activity.pk)
    assert list(saved.responsible_roles.all()) == [links["own_role"]]
    assert not saved.responsible_persons.exists()
    assert set(saved.target_schools.all()) == {world.s1, world.s2}
    changes = AuditEvent.objects.get(action="activity.changed", object_id=str(activity.pk)).data["changes"]
    assert changes["responsible_roles"] == [[links["role"].pk], [links["own_role"].pk]]
    assert changes["responsible_persons"] == [[links["person"].pk], []]
    assert changes["target_schools"] == [[world.s1.pk], sorted([world.s1.pk, world.s2.pk])]


def test_an_empty_responsible_text_is_made_of_the_chosen_roles_and_people(client, world, links, activity):
    save(
        client,
        world,
        activity,
        responsible_text="",
        responsible_roles=[links["own_role"].pk, links["role"].pk],
        new_person="Новиков П.П., методист",
    )
    saved = Activity.objects.get(pk=activity.pk)
    # The roles in the catalogue's order (by name), the chosen people, then the one typed in.
    assert saved.responsible_text == "Методисты М1; Руководители ОО; Фильчук Л.А., специалист; Новиков П.П., методист"
    assert sorted(p.name for p in saved.responsible_persons.all()) == ["Новиков П.П.", "Фильчук Л.А."]


def test_a_save_that_keeps_its_links_reads_them_once(client, world, activity, django_assert_num_queries):
    client.force_login(world.coordinator)
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = form(activity, title="Новое наименование")
    # session, the user with his memberships, the activity with its plan, its links (one query),
    # then the save: savepoint, the plan's row lock, the UPDATE with its version check, the
    # history record, release. No query for the posted roles, people and schools: they are the links.
    with django_assert_num_queries(9):
        response = client.post(url, data)
    assert response.status_code == 200 and "Новое наименование" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).version == activity.version + 1


def test_a_save_that_adds_links_looks_up_only_the_added_ones(client, world, links, activity, django_assert_num_queries):
    client.force_login(world.coordinator)
    url = reverse("activities:activity_edit", args=[activity.pk])
    data = form(activity, responsible_roles=[links["role"].pk, links["own_role"].pk])
    # As above, plus the added role looked up in the form's scope, and the links written
    # (Django's set(): the current rows, then the INSERT).
    with django_assert_num_queries(12):
        assert client.post(url, data).status_code == 200
    assert set(Activity.objects.get(pk=activity.pk).responsible_roles.all()) == {links["role"], links["own_role"]}


def test_the_service_reads_the_links_itself_when_not_given(world, links, activity):
    saved = services.activity_update(
        activity=activity,
        data={"title": "Через сервис"},
        expected_version=activity.version,
        actor=world.coordinator,
        m2m={"responsible_roles": [links["own_role"]]},
    )
    assert list(saved.responsible_roles.all()) == [links["own_role"]]
    changes = AuditEvent.objects.get(action="activity.changed", object_id=str(activity.pk)).data["changes"]
    assert changes["responsible_roles"] == [[links["role"].pk], [links["own_role"].pk]]
    assert services.editor.activity_links(saved) == {
        "responsible_roles": {links["own_role"].pk},
        "responsible_persons": {links["person"].pk},
        "target_schools": {world.s1.pk},
    }
