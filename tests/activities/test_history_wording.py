"""Change history and version comparison speak the user's words: fields by verbose name, values
as typed or chosen (dates as dates, choices by label, roles by name); no «deadline_text»."""

import re

import pytest
from django.urls import reverse

from activities import services
from activities.choices import DeadlineKind, PlanStatus
from activities.models import Activity, Plan, ResponsibleRole
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(deadline_text|deadline_kind|deadline_rule|responsible_roles|responsible_text|"
                   r"expected_result|evidence_form|activity\.changed|activity\.added|True|False)\b")  # fmt: skip


@pytest.fixture
def draft(world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT, title="Черновик М1")
    section = services.section_add(plan=plan, title="Раздел первый", actor=world.coordinator)
    services.activity_add(section=section, actor=world.coordinator)
    return plan


def test_history_shows_verbose_names_and_typed_values(client, world, draft):
    activity = Activity.objects.get(plan=draft)
    role = ResponsibleRole.objects.create(name="Школьный координатор ВПР")
    services.activity_update(
        activity=activity,
        data={"deadline_text": "до 15 марта", "deadline_kind": DeadlineKind.CONTINUOUS, "deadline_confirmed": True},
        expected_version=activity.version,
        actor=world.coordinator,
        m2m={"responsible_roles": [role]},
    )
    client.force_login(world.coordinator)
    html = client.get(reverse("activities:activity_history", args=[activity.pk])).content.decode()
    assert "Срок (как в документе):" in html and "до 15 марта" in html
    assert "Ответственные роли:" in html and "<ins>Школьный координатор ВПР</ins>" in html
    assert "Срок подтверждён координатором:</strong> <del>нет</del> → <ins>да</ins>" in html
    assert "Вид срока:" in html and str(DeadlineKind.CONTINUOUS.label) in html
    assert "Мероприятие добавлено" in html
    assert not CODES.search(re.sub(r"<[^>]+>", " ", html)), CODES.search(re.sub(r"<[^>]+>", " ", html))


def test_compare_names_the_changed_fields(client, world, draft):
    services.plan_submit(plan=draft, actor=world.coordinator)
    services.plan_approve(plan=draft, actor=world.head)
    version = services.plan_new_version(plan=draft, actor=world.coordinator)
    activity = Activity.objects.get(plan=version)
    services.activity_update(
        activity=activity,
        data={"deadline_text": "ежегодно, до 1 апреля"},
        expected_version=activity.version,
        actor=world.coordinator,
    )
    client.force_login(world.coordinator)
    html = client.get(reverse("activities:plan_compare", args=[version.pk])).content.decode()
    assert "изменено: срок (как в документе)" in html
    assert "deadline_text" not in html
    assert Plan.objects.get(pk=version.pk).amends_id == draft.pk
