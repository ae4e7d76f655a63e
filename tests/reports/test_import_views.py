"""Upload → preview → confirm in the browser, scoped to users who keep an organisation's plans."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Plan
from reports.imports.draft import read_plan
from reports.models import PlanImport
from tests.matrix import assert_matrix
from tests.reports import documents

pytestmark = pytest.mark.django_db

KEEPERS = [
    "admin",
    "coordinator",
    "school",
    "school2",
    "neighbour_coordinator",
    "other_admin",
    "other_coordinator",
    "other_school",
]


def upload(client, data: bytes, name: str, owner):
    return client.post(
        reverse("reports:plan_import"), {"owner": owner.pk, "file": SimpleUploadedFile(name, data)}
    )


def stored_import(world, user_name="coordinator", owner="m1") -> PlanImport:
    _, data = documents.inta_docx()
    draft = read_plan(data, "inta.docx")
    return PlanImport.objects.create(
        owner=world.orgs[owner],
        created_by=world.users[user_name],
        file_name="inta.docx",
        format="docx",
        draft=draft.to_dict(),
    )


def test_upload_page_matrix(client, world):
    assert_matrix(
        client,
        reverse("reports:plan_import"),
        allowed=world.people(*KEEPERS),
        denied=world.people("head", "specialist", "observer", "nobody"),
    )


def test_preview_matrix_only_the_uploader_sees_it(client, world):
    pending = stored_import(world)
    url = reverse("reports:plan_import_preview", args=[pending.pk])
    others = world.everyone_except("coordinator")
    assert_matrix(client, url, allowed=world.people("coordinator"), denied=others)
    form = {"title": "План", "period_start": "2023-09-01", "period_end": "2024-08-31", "action": "refresh"}
    assert_matrix(client, url, method="post", data=form, allowed=world.people("coordinator"), denied=others)
    assert not Plan.objects.exists()


def test_upload_preview_confirm_writes_a_draft_plan(client, world, catalogue):
    client.force_login(world.coordinator)
    response = upload(client, documents.inta_docx()[1], "Дорожная карта.docx", world.m1)
    pending = PlanImport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reports:plan_import_preview", args=[pending.pk]
    )
    assert not Plan.objects.exists()

    html = client.get(response.url).content.decode()
    assert "I. Анализ деятельности по обеспечению объективности результатов ВПР" in html
    assert "Организация работы школьных комиссий по проверке ВПР" in html
    assert "Будут добавлены в справочник ответственных (3)" in html
    assert "Отдел образования администрации МО «Инта»" in html
    assert "Продолжение строки" in html  # the row broken across a page, with its row number
    assert 'value="2023-09-01"' in html and "«Сроки реализации» — сроки реализации" in html
    assert "относительно события" in html  # the deadline rule proposed for «В случае выявления…»

    form = {"title": "Дорожная карта 2023/2024", "period_start": "2023-09-01", "period_end": "2024-08-31"}
    response = client.post(response.url, {**form, "action": "confirm"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("activities:plan_detail", args=[plan.pk])
    assert (plan.title, plan.status, plan.owner) == ("Дорожная карта 2023/2024", "draft", world.m1)
    assert plan.activities.count() == 14
    pending.refresh_from_db()
    assert (pending.status, pending.plan) == ("imported", plan)
    # Confirming again creates nothing: the import is done.
    assert (
        client.post(
            reverse("reports:plan_import_preview", args=[pending.pk]), {**form, "action": "confirm"}
        ).status_code
        == 404
    )
    assert Plan.objects.count() == 1


def test_refresh_applies_the_period_chosen_in_the_form(client, world):
    _, data = documents.school_docx()
    client.force_login(world.school)
    upload(client, data, "plan.docx", world.s1)
    url = reverse("reports:plan_import_preview", args=[PlanImport.objects.get().pk])
    html = client.get(url).content.decode()
    warning = "предложен 2020-2021 учебный год по дате документа"
    assert warning in html and 'value="2020-09-01"' in html
    assert "→ 31.08.2021" in html  # «до 31 августа»: the date the system computed, not only its kind
    html = client.post(
        url, {"title": "План", "period_start": "2021-09-01", "period_end": "2022-08-31", "action": "refresh"}
    ).content.decode()
    assert 'value="2021-09-01"' in html and warning not in html  # the user chose: nothing to check
    assert "→ 31.08.2022" in html
    assert "В периоде плана (01.09.2021–31.08.2022)" in html  # «до 01.01.2020» no longer fits
    assert not Plan.objects.exists()


def test_a_bad_file_is_refused_on_the_upload_page(client, world):
    client.force_login(world.coordinator)
    response = upload(client, b"\x00\x01\x02 not a plan", "plan.docx", world.m1)
    assert response.status_code == 200
    assert "повреждён" in response.content.decode()
    response = upload(client, b"anything", "plan.pdf", world.m1)
    assert "Поддерживаются документы Word (.docx)" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_an_owner_outside_the_users_scope_is_refused(client, world):
    client.force_login(world.coordinator)
    response = upload(client, documents.inta_docx()[1], "inta.docx", world.m2)
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_row_errors_are_shown_and_confirm_writes_nothing(client, world):
    from tests.reports.test_import_bad_files import HEADER, docx_with_tables

    data = docx_with_tables([HEADER, ["", "", "Постоянно", "Отдел"], ["1.1", "Мероприятие", "Постоянно", ""]])
    client.force_login(world.coordinator)
    upload(client, data, "plan.docx", world.m1)
    url = reverse("reports:plan_import_preview", args=[PlanImport.objects.get().pk])
    html = client.get(url).content.decode()
    assert "Строка 2: Нет наименования мероприятия." in html and "disabled" in html
    response = client.post(
        url, {"title": "План", "period_start": "2024-01-01", "period_end": "2024-12-31", "action": "confirm"}
    )
    assert (
        response.status_code == 200 and "Строка 2: Нет наименования мероприятия." in response.content.decode()
    )
    assert not Plan.objects.exists()
