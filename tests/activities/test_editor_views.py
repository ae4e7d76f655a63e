import json

import pytest
from django.urls import reverse

from activities import services
from activities.choices import PlanStatus
from activities.models import Activity, Plan
from tests.factories import PlanFactory
from tests.matrix import assert_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT, title="Черновик М1")
    section = services.section_add(plan=plan, title="Раздел первый", actor=world.coordinator)
    for _ in range(2):
        services.activity_add(section=section, actor=world.coordinator)
    return plan


EDITORS = ("admin", "coordinator")  # the regional admin keeps region plans only: see below
OUTSIDERS = (
    "head",
    "specialist",
    "school",
    "observer",
    "neighbour_coordinator",
    "other_coordinator",
    "nobody",
)


def test_editor_pages_matrix(client, world, draft):
    section = draft.sections.get()
    activity = Activity.objects.filter(plan=draft).first()
    gets = [
        reverse("activities:plan_edit", args=[draft.pk]),
        reverse("activities:plan_settings", args=[draft.pk]),
        reverse("activities:plan_copy", args=[draft.pk]),
        reverse("activities:section_edit", args=[section.pk]),
        reverse("activities:activity_row", args=[activity.pk]),
        reverse("activities:activity_edit", args=[activity.pk]),
    ]
    for url in gets:
        assert_matrix(
            client, url, allowed=world.people("coordinator"), denied=world.people("admin", *OUTSIDERS)
        )


def test_editor_actions_matrix(client, world, draft):
    activity = Activity.objects.filter(plan=draft).first()
    posts = [
        (reverse("activities:activity_move", args=[activity.pk]), {"direction": "down"}),
        (reverse("activities:section_add", args=[draft.pk]), {"title": "Новый"}),
    ]
    for url, data in posts:
        assert_matrix(
            client,
            url,
            method="post",
            data=data,
            allowed=world.people("coordinator"),
            denied=world.people("admin", *OUTSIDERS),
        )


def test_plan_create_matrix(client, world):
    assert_matrix(
        client,
        reverse("activities:plan_create"),
        allowed=world.people("coordinator", "admin", "school"),
        denied=world.people("head", "specialist", "observer", "nobody"),
    )


def test_creating_a_plan_keeps_input_on_error_and_opens_the_editor(client, world):
    client.force_login(world.coordinator)
    url = reverse("activities:plan_create")
    response = client.post(
        url,
        {
            "owner": world.m1.pk,
            "title": "Мой план",
            "kind": "roadmap",
            "period_start": "2026-09-01",
            "period_end": "2025-08-31",
            "section_numbering": "roman",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Конец периода раньше его начала" in html and "Мой план" in html
    response = client.post(
        url,
        {
            "owner": world.m1.pk,
            "title": "Мой план",
            "kind": "roadmap",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "section_numbering": "roman",
        },
    )
    plan = Plan.objects.get(title="Мой план")
    assert response.status_code == 302 and response.url == reverse("activities:plan_edit", args=[plan.pk])
    assert plan.owner == world.m1 and plan.status == PlanStatus.DRAFT
    # not someone else's organisation
    response = client.post(
        url,
        {
            "owner": world.m2.pk,
            "title": "Чужой",
            "kind": "plan",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "section_numbering": "arabic",
        },
    )
    assert response.status_code == 200 and not Plan.objects.filter(title="Чужой").exists()


def test_htmx_edit_saves_and_returns_the_row_with_due_dates(client, world, draft):
    activity = Activity.objects.filter(plan=draft).first()
    client.force_login(world.coordinator)
    url = reverse("activities:activity_edit", args=[activity.pk])
    form = client.get(url).content.decode()
    assert 'name="deadline_text"' in form and 'name="version"' in form
    response = client.post(
        url,
        {
            "version": activity.version,
            "title": "Совещание с руководителями ОО",
            "deadline_text": "До 15.03.2026",
            "deadline_mode": "auto",
            "responsible_text": "",
            "expected_result": "Протокол",
            "execution_level": "authority",
            "target_kind": "all",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="activity-' in html
    assert "Совещание с руководителями ОО" in html and "15.03.2026" in html
    activity.refresh_from_db()
    assert activity.deadline_kind == "fixed" and activity.version == 2


def test_conflicting_edit_shows_both_versions_and_keeps_the_users_text(client, world, draft):
    activity = Activity.objects.filter(plan=draft).first()
    services.activity_update(
        activity=activity,
        data={"title": "Сохранил коллега"},
        expected_version=activity.version,
        actor=world.coordinator,
    )
    client.force_login(world.coordinator)
    response = client.post(
        reverse("activities:activity_edit", args=[activity.pk]),
        {
            "version": 1,
            "title": "Моя правка",
            "deadline_text": "",
            "deadline_mode": "auto",
            "execution_level": "authority",
            "target_kind": "all",
        },
    )
    html = response.content.decode()
    assert "изменил другой пользователь" in html
    assert "Сохранил коллега" in html and "Моя правка" in html
    assert 'name="version" value="2"' in html
    assert Activity.objects.get(pk=activity.pk).title == "Сохранил коллега"


def test_move_delete_undo_and_reorder_return_the_renumbered_body(client, world, draft):
    client.force_login(world.coordinator)
    a1, a2 = Activity.objects.filter(plan=draft).order_by("position")
    html = client.post(
        reverse("activities:activity_move", args=[a2.pk]), {"direction": "up"}
    ).content.decode()
    assert html.index(f'id="activity-{a2.pk}"') < html.index(f'id="activity-{a1.pk}"')
    html = client.post(reverse("activities:activity_delete", args=[a2.pk])).content.decode()
    assert "удалено" in html and "Отменить" in html and f'id="activity-{a2.pk}"' not in html
    undo_url = html.split('hx-post="')[1].split('"')[0] if "undo" in html else None
    html = client.post(undo_url).content.decode()
    assert "Удаление отменено" in html and html.count("data-move-url=") == 2
    section = draft.sections.get()
    ids = list(Activity.objects.filter(plan=draft).order_by("position").values_list("pk", flat=True))
    order = json.dumps([{"section": section.pk, "activities": [ids[1], ids[0]]}])
    html = client.post(reverse("activities:plan_reorder", args=[draft.pk]), {"order": order}).content.decode()
    assert html.index(f'id="activity-{ids[1]}"') < html.index(f'id="activity-{ids[0]}"')
    html = client.post(
        reverse("activities:plan_reorder", args=[draft.pk]), {"order": "not json"}
    ).content.decode()
    assert "Не удалось прочитать" in html


def test_deadline_preview_explains_what_the_system_understood(client, world, draft):
    client.force_login(world.coordinator)
    url = reverse("activities:deadline_preview", args=[draft.pk])
    html = client.get(url, {"deadline_text": "Март-май 2026"}).content.decode()
    assert "31.05.2026" in html
    html = client.get(url, {"deadline_text": "До 113.01.2023"}).content.decode()
    assert "⚠" in html


def test_workflow_through_the_pages(client, world, draft):
    client.force_login(world.coordinator)
    detail = reverse("activities:plan_detail", args=[draft.pk])
    assert "Отправить на утверждение" in client.get(detail).content.decode()
    # the coordinator cannot approve; the head can
    client.post(reverse("activities:plan_transition", args=[draft.pk, "submit"]))
    assert client.post(reverse("activities:plan_transition", args=[draft.pk, "approve"])).status_code == 404
    client.force_login(world.head)
    html = client.get(detail).content.decode()
    # A municipal plan is approved by the head's order (signed: tests/reports/orders).
    assert "Приказ об утверждении" in html and ">Утвердить<" not in html and "Редактировать" not in html
    services.plan_approve(plan=draft, actor=world.head)  # what signing the order does
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED
    # read-only now: the editor sends you to the document; a change makes a new version
    client.force_login(world.coordinator)
    assert client.get(reverse("activities:plan_edit", args=[draft.pk])).status_code == 302
    response = client.post(reverse("activities:plan_transition", args=[draft.pk, "new_version"]))
    version = Plan.objects.get(amends=draft)
    assert response.url == reverse("activities:plan_edit", args=[version.pk])
    assert client.get(reverse("activities:plan_compare", args=[version.pk])).status_code == 200


def test_compare_says_when_nothing_changed_and_shows_an_unchanged_activity_once(client, world, draft):
    services.plan_submit(plan=draft, actor=world.coordinator)
    services.plan_approve(plan=draft, actor=world.head)
    version = services.plan_new_version(plan=draft, actor=world.coordinator)
    client.force_login(world.coordinator)
    url = reverse("activities:plan_compare", args=[version.pk])
    html = client.get(url).content.decode()
    assert "Редакция 2 пока совпадает с действующей" in html and "Изменено: 0" not in html
    assert html.count("без изменений") == 2
    first, second = Activity.objects.filter(plan=version).order_by("position")
    services.activity_update(
        activity=first,
        data={"title": "Новое наименование"},
        expected_version=first.version,
        actor=world.coordinator,
    )
    html = client.get(url).content.decode()
    assert "Изменено: 1, добавлено: 0, исключено: 0." in html and "совпадает" not in html
    assert html.count("без изменений") == 1 and "Новое наименование" in html


def test_history_page_lists_changes(client, world, draft):
    activity = Activity.objects.filter(plan=draft).first()
    services.activity_update(
        activity=activity,
        data={"title": "Новое наименование"},
        expected_version=activity.version,
        actor=world.coordinator,
    )
    url = reverse("activities:activity_history", args=[activity.pk])
    assert_matrix(
        client,
        url,
        allowed=world.people("coordinator", "head", "admin"),
        denied=world.people("school", "observer", "neighbour_coordinator"),
    )
    client.force_login(world.coordinator)
    html = client.get(url).content.decode()
    assert "Новое наименование" in html and "Наименование мероприятия" in html


def test_editor_query_count_is_flat(client, world, django_assert_max_num_queries):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    for s in range(3):
        section = services.section_add(plan=plan, title=f"Раздел {s}", actor=world.coordinator)
        for _ in range(10 if s else 1):
            services.activity_add(section=section, actor=world.coordinator)
    client.force_login(world.coordinator)
    # session, the user with his memberships, plan, sections, activities, roles, persons, schools
    with django_assert_max_num_queries(9):
        assert client.get(reverse("activities:plan_edit", args=[plan.pk])).status_code == 200


def test_deadline_preview_of_a_relative_deadline_reads_the_regions_vpr_campaign(client, world, draft):
    from datetime import date

    from tests.observers.factories import CampaignFactory

    client.force_login(world.coordinator)
    url = reverse("activities:deadline_preview", args=[draft.pk])
    text = {"deadline_text": "за 10 дней до проведения ВПР"}
    assert "когда событие будет в календаре" in client.get(url, text).content.decode()  # no campaign yet
    year = draft.period_end.year
    CampaignFactory(region=world.region, year=year, starts_on=date(year, 4, 14), ends_on=date(year, 5, 16))
    CampaignFactory(year=year, starts_on=date(year, 3, 1), ends_on=date(year, 3, 30))  # another region's
    html = client.get(url, text).content.decode()
    assert "когда событие будет в календаре" not in html
    assert f"04.04.{year}" in html  # ten days before the region's window opens
    assert f"19.02.{year}" not in html
