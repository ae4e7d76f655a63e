"""The role catalogue without near-duplicates, and a matcher that knows number and case."""

from importlib import import_module

import pytest
from django.apps import apps as global_apps

from activities.models import Activity, ResponsibleRole
from activities.responsible import match_responsible, role_key
from reports.imports.responsible import analyse
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

CATALOGUE = ["Школьный координатор ВПР", "Руководители ОО", "Классные руководители", "Руководители ШМО"]


def roles(*names):
    return [ResponsibleRole.objects.create(name=n) for n in names or CATALOGUE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Школьные координаторы ВПР", ["Школьный координатор ВПР"]),
        ("школьным координаторам", ["Школьный координатор ВПР"]),
        ("руководителям ОО", ["Руководители ОО"]),
        ("Руководитель ОО", ["Руководители ОО"]),
        ("Руководители ОО, школьные координаторы", ["Руководители ОО", "Школьный координатор ВПР"]),
        ("зам.директора, руководители ШМО, классные руководители", ["Руководители ШМО", "Классные руководители"]),
    ],
)
def test_the_matcher_knows_number_and_case_and_finds_each_role(text, expected):
    found, _ = match_responsible(text, roles(), [])
    assert sorted(r.name for r in found) == sorted(expected)


def test_no_part_of_a_cell_is_dropped_silently():
    match = analyse("Руководители ОО, школьные координаторы, методисты; зам.директора", roles(), [])
    assert {r.name for r in match.roles} == {"Руководители ОО", "Школьный координатор ВПР"}
    assert match.new_roles == ["Методисты", "Зам.директора"]  # flagged on the preview


def test_the_merge_migration_keeps_every_link():
    keep, duplicate, other = roles("Школьный координатор ВПР", "Школьные координаторы ВПР", "Руководители ОО")
    a, b, c = ActivityFactory(), ActivityFactory(), ActivityFactory()
    a.responsible_roles.set([keep])
    b.responsible_roles.set([duplicate, other])
    c.responsible_roles.set([keep, duplicate])
    assert role_key(keep.name) == role_key(duplicate.name)

    import_module("activities.migrations.0005_merge_near_duplicate_roles").merge(global_apps, None)

    assert list(ResponsibleRole.objects.order_by("name").values_list("name", flat=True)) == [
        "Руководители ОО",
        "Школьный координатор ВПР",
    ]
    linked = {x.pk: sorted(r.name for r in x.responsible_roles.all()) for x in Activity.objects.all()}
    assert linked == {
        a.pk: ["Школьный координатор ВПР"],
        b.pk: ["Руководители ОО", "Школьный координатор ВПР"],
        c.pk: ["Школьный координатор ВПР"],
    }
