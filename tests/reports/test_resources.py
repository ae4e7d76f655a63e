"""Catalogues through django-import-export: schools, memberships, responsible roles."""

import io
from datetime import datetime

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ResponsibleRole
from activities.resources import ResponsibleRoleResource
from schools.choices import OrgKind, Role
from schools.models import Membership, Organization
from schools.resources import MembershipResource, SchoolResource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCHOOL_HEADERS = [
    "code",
    "name",
    "short_name",
    "municipality",
    "legal_form",
    "school_kind",
    "fis_oko_login",
    "is_active",
]


def schools_dataset(rows, empty_tail=0):
    data = tablib.Dataset(headers=SCHOOL_HEADERS)
    for row in rows:
        data.append(row)
    for _ in range(empty_tail):
        data.append([None] * len(SCHOOL_HEADERS))
    return data


def school_row(n, municipality="m1", **over):
    row = {
        "code": f"new-{n}",
        "name": f"МБОУ «СОШ № {n}»",
        "short_name": f"СОШ № {n}",
        "municipality": municipality,
        "legal_form": "МБОУ",
        "school_kind": "средняя общеобразовательная школа",
        "fis_oko_login": float(100000 + n),
        "is_active": "да",
    }
    row.update(over)
    return [row[h] for h in SCHOOL_HEADERS]


def errors_of(result) -> dict[int, dict]:
    return {
        row.number: {k: [str(m) for m in v] for k, v in row.error_dict.items()} for row in result.invalid_rows
    }


def test_dry_run_writes_nothing_then_import_creates_schools(world):
    data = schools_dataset([school_row(1), school_row(2, municipality="m2")], empty_tail=300)
    result = SchoolResource().import_data(data, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2 and len(result.rows) == 2  # LibreOffice's empty tail is dropped
    assert not Organization.objects.filter(code__startswith="new-").exists()

    SchoolResource().import_data(data, dry_run=False)
    school = Organization.objects.get(code="new-2")
    assert (school.kind, school.parent, school.municipality, school.region) == (
        OrgKind.SCHOOL,
        world.m2,
        world.m2,
        world.region,
    )
    assert (school.school_kind, school.fis_oko_login, school.is_active) == ("СОШ", "100002", True)


def test_reimporting_the_same_file_changes_nothing(world):
    data = schools_dataset([school_row(1), school_row(2)])
    SchoolResource().import_data(data, dry_run=False)
    again = SchoolResource().import_data(data, dry_run=True)
    assert again.totals["skip"] == 2 and again.totals["update"] == 0


def test_every_rows_problem_is_reported_in_russian(world):
    data = schools_dataset(
        [
            school_row(1, municipality="no-such"),
            school_row(2, legal_form="ООО"),
            school_row(3, municipality="region-a"),  # a region, not a municipality
            school_row(4, code="m2"),  # a municipality's code
            school_row(5),
        ]
    )
    result = SchoolResource().import_data(data, dry_run=True)
    assert not result.has_errors()  # no critical error hides the rows' own ones
    errors = errors_of(result)
    assert set(errors) == {1, 2, 3, 4}
    assert "Муниципалитет с кодом «no-such» не найден." in str(errors[1])
    assert "Форма: «ООО» — нет такого значения" in str(errors[2])
    assert "Муниципалитет с кодом «region-a» не найден." in str(errors[3])
    assert "Код «m2» уже занят" in str(errors[4])


def test_school_import_from_an_xlsx_with_dates_and_numbers(world):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(SCHOOL_HEADERS)
    ws.append([107.0, "МБОУ СОШ № 107", "СОШ № 107", "m1", "МБОУ", "СОШ", datetime(2024, 3, 1), 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    SchoolResource().import_data(data, dry_run=False)
    school = Organization.objects.get(code="107")
    assert school.fis_oko_login == "2024-03-01"
    assert (
        SchoolResource()
        .import_data(tablib.Dataset().load(buffer.getvalue(), format="xlsx"), dry_run=True)
        .totals["skip"]
        == 1
    )


def test_150_schools_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    data = schools_dataset([school_row(n, municipality=("m1", "m2")[n % 2]) for n in range(150)])
    # Municipalities, taken codes and existing schools read once each, then bulk INSERTs (SQLite
    # takes ~50 rows per statement, PostgreSQL all 150) and a few savepoints: 15 here, ~750 without.
    with django_assert_max_num_queries(20):
        result = SchoolResource().import_data(data, dry_run=False)
    assert result.totals["new"] == 150 and Organization.objects.filter(code__startswith="new-").count() == 150
    with django_assert_max_num_queries(12):
        again = SchoolResource().import_data(data, dry_run=False)
    assert again.totals["skip"] == 150


def test_memberships_by_username_code_and_role_name(world):
    UserFactory(username="ivanova")
    data = tablib.Dataset(headers=["username", "organization", "role", "position"])
    data.append(["ivanova", "m1", "Ответственный специалист", "ведущий специалист"])
    data.append(["ivanova", "s1", "school_coordinator", ""])
    data.append(["petrov", "m1", "head", ""])
    data.append(["ivanova", "s1", "Муниципальный координатор ВПР", ""])
    data.append(["ivanova", "m1", "директор", ""])
    result = MembershipResource().import_data(data, dry_run=True)
    errors = errors_of(result)
    assert set(errors) == {3, 4, 5}
    assert "Пользователь «petrov» не найден." in str(errors[3])
    assert "назначается в организации вида «муниципалитет»" in str(errors[4])
    assert "Роль: «директор» — нет такого значения" in str(errors[5])
    data = data.subset(rows=[0, 1])
    MembershipResource().import_data(data, dry_run=False)
    assert set(
        Membership.objects.filter(user__username="ivanova").values_list("organization__code", "role")
    ) == {("m1", Role.SPECIALIST), ("s1", Role.SCHOOL_COORDINATOR)}
    assert MembershipResource().import_data(data, dry_run=False).totals["skip"] == 2


def test_responsible_roles_shared_and_of_an_organisation(world):
    data = tablib.Dataset(headers=["name", "acting_role", "level", "owner"])
    data.append(["Руководители ОО", "Школьный координатор ВПР / руководитель ОО", "school", ""])
    data.append(["Методический центр", "", "", "m1"])
    data.append(["Отдел образования", "", "", "nowhere"])
    result = ResponsibleRoleResource().import_data(data, dry_run=True)
    assert set(errors_of(result)) == {3}
    assert "Организация с кодом «nowhere» не найдена." in str(errors_of(result)[3])
    ResponsibleRoleResource().import_data(data.subset(rows=[0, 1]), dry_run=False)
    shared = ResponsibleRole.objects.get(name="Руководители ОО")
    local = ResponsibleRole.objects.get(name="Методический центр")
    assert (shared.owner, shared.acting_role, shared.level) == (None, Role.SCHOOL_COORDINATOR, "school")
    assert (local.owner, local.level) == (world.m1, "authority")
    exported = ResponsibleRoleResource().export()
    assert ["Методический центр", "", "authority", "m1"] in [list(r) for r in exported]
    again = ResponsibleRoleResource().import_data(data.subset(rows=[0, 1]), dry_run=True)
    assert again.totals["skip"] == 2


def test_admin_import_is_a_dry_run_until_confirmed(client, world):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    csv = "code,name,municipality,legal_form,school_kind\nadm-1,МКОУ «ООШ № 1»,m1,МКОУ,ООШ\n"
    response = client.post(
        reverse("admin:schools_school_import"),
        {"resource": 0, "format": 0, "import_file": SimpleUploadedFile("schools.csv", csv.encode())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "adm-1" in html and "confirm" in html.lower()
    assert not Organization.objects.filter(code="adm-1").exists()
    assert client.get(reverse("admin:schools_membership_import")).status_code == 200
    assert client.get(reverse("admin:activities_responsiblerole_import")).status_code == 200
