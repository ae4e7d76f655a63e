"""«Журнал действий»: who may open it, whose events each sees, filters, pages, query budget."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.matrix import assert_matrix
from vprplan.audit import audit
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("audit_log")


def event(actor, action, organization, *, days_ago=0, **data):
    e = audit(actor, action, None, organization=organization, **data)
    if days_ago:
        AuditEvent.objects.filter(pk=e.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return e


def test_matrix(client, world, record_property):
    allowed = world.people("admin", "head", "other_admin", "other_head")
    denied = world.everyone_except("admin", "head", "other_admin", "other_head")
    assert_matrix(client, URL, allowed=allowed, denied=denied)
    record_property("audit_log_matrix_users", len(allowed) + len(denied) + 1)


def listed(client, user, query="") -> str:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def test_each_sees_only_his_region_or_municipality(client, world):
    event(world.head, "plan.approved", world.m1, note="м1-утверждён")
    event(world.school, "order.signed", world.s1, note="школа1-подписан")
    event(world.neighbour_coordinator, "plan.approved", world.m2, note="м2-соседи")
    event(world.other_head, "plan.approved", world.m3, note="м3-другой-регион")
    event(None, "auth.login_failed", None, note="без-организации")

    seen = {
        name: {n for n in ["м1-утверждён", "школа1-подписан", "м2-соседи", "м3-другой-регион", "без-организации"]
               if n in listed(client, world.users[name])}
        for name in ["admin", "head", "other_admin", "other_head"]
    }  # fmt: skip
    assert seen == {
        "admin": {"м1-утверждён", "школа1-подписан", "м2-соседи"},
        "head": {"м1-утверждён", "школа1-подписан"},
        "other_admin": {"м3-другой-регион"},
        "other_head": {"м3-другой-регион"},
    }


def test_filter_by_action_and_date(client, world):
    event(world.head, "plan.approved", world.m1, note="свежее-утверждение")
    event(world.head, "plan.approved", world.m1, days_ago=10, note="старое-утверждение")
    event(world.head, "auth.login", world.m1, note="вход-главы")
    html = listed(client, world.head, "?action=plan.approved")
    assert "свежее-утверждение" in html and "старое-утверждение" in html and "вход-главы" not in html
    today = timezone.localdate()
    html = listed(client, world.head, f"?action=plan.approved&date_from={today - timedelta(days=2):%Y-%m-%d}")
    assert "свежее-утверждение" in html and "старое-утверждение" not in html
    html = listed(client, world.head, f"?date_to={today - timedelta(days=5):%Y-%m-%d}")
    assert "старое-утверждение" in html and "свежее-утверждение" not in html and "вход-главы" not in html
    html = listed(
        client, world.head, f"?date_from={today:%Y-%m-%d}&date_to={today - timedelta(days=1):%Y-%m-%d}"
    )
    assert "Дата «с» позже даты «по»." in html
    assert "План утверждён" in html and "Вход в систему" in html  # Russian names of the actions


def test_pages_of_fifty_keep_the_filter(client, world):
    for n in range(60):
        event(world.head, "plan.changed", world.m1, n=f"запись-{n:02d}")
    html = listed(client, world.head, "?action=plan.changed")
    assert "запись-59" in html and "запись-09" not in html
    assert "страница 1 из 2" in html and "?action=plan.changed&amp;page=2" in html
    html = listed(client, world.head, "?action=plan.changed&page=2")
    assert "запись-09" in html and "запись-59" not in html


def test_query_budget_does_not_grow_with_the_rows(client, world, django_assert_num_queries):
    for n in range(5):
        event(world.head, "plan.changed", world.m1, n=n)
    client.force_login(world.admin)
    client.get(URL)  # the session's activity is noted once
    with django_assert_num_queries(5) as small:
        client.get(URL)
    for n in range(60):
        event(world.users["school"], "order.signed", world.s1, n=n)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_the_top_bar_links_the_log_for_the_admin_and_the_head_only(client, world):
    for name, shown in [("admin", True), ("head", True), ("coordinator", False), ("school", False)]:
        client.force_login(world.users[name])
        html = client.get(reverse("home")).content.decode()
        assert (f'href="{URL}"' in html) is shown, name


def test_real_logins_and_approvals_reach_the_heads_log(client, world):
    """The real writers: a login through the form and the plan approval service."""
    from activities import services
    from activities.choices import PlanStatus
    from tests.factories import PASSWORD, ActivityFactory, PlanFactory

    client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD})
    client.logout()
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    ActivityFactory(section__plan=plan)
    services.plan_submit(plan=plan, actor=world.coordinator)
    services.plan_approve(plan=plan, actor=world.head)
    html = listed(client, world.head, "?date_from=" + f"{timezone.localdate():%Y-%m-%d}")
    for label in ["Вход в систему", "План отправлен на утверждение", "План утверждён"]:
        assert label in html, label


def test_details_are_russian_labelled_fields_not_codes(client, world):
    """«ip: …; user_agent: …; document: …» was what the page showed; now the fields have names."""
    from tests.factories import PlanFactory

    plan = PlanFactory(owner=world.m1)
    audit(world.head, "auth.login", None, organization=world.m1, ip="10.0.0.7", user_agent="Firefox/128.0")
    audit(world.head, "order.signed", None, organization=world.m1, document="6f1c0a2e-uuid", sha256="ab" * 32)
    audit(world.head, "plan.changed", plan, organization=world.m1,
          changes={"title": ["План на 2025", "План на 2026"]})  # fmt: skip
    audit(world.head, "plan.approved", plan, organization=world.m1, **{"from": "on_approval", "to": "approved"})
    html = listed(client, world.head)
    assert "IP-адрес: 10.0.0.7" in html and "браузер: Firefox 128" in html
    assert "изменено: наименование: «План на 2025» → «План на 2026»" in html
    assert "состояние: на утверждении → утверждён" in html
    for code in ("ip:", "user_agent", "document:", "sha256", "6f1c0a2e", "title:", "on_approval"):
        assert code not in html, code


def test_changed_values_show_as_the_form_showed_them(client, world):
    """The journal showed «целевые ОО: «all» → «flagged»», ««None» → «2026»», «источник: municipal»."""
    from activities.models import Activity, ResponsibleRole
    from schools.models import UnobjectivityFlag

    role = ResponsibleRole.objects.create(name="Руководители ШМО")
    audit(world.head, "activity.changed", None, organization=world.m1,
          changes={"target_kind": ["all", "flagged"], "target_flag_year": [None, 2026],
                   "execution_level": ["authority", "school"], "responsible_roles": [[], [role.pk]]})  # fmt: skip
    audit(world.head, "flag.added", None, organization=world.s1, source="municipal", year=2026)
    AuditEvent.objects.filter(action="activity.changed").update(object_type=Activity._meta.label_lower)
    AuditEvent.objects.filter(action="flag.added").update(object_type=UnobjectivityFlag._meta.label_lower)
    html = listed(client, world.head)
    assert "«все ОО» → «ОО с признаками необъективности в году»" in html
    assert "«—» → «2026»" in html and "«—» → «Руководители ШМО»" in html
    assert "источник: муниципальный анализ" in html
    for code in ("«all»", "«flagged»", "None", "authority", "municipal<", ": municipal"):
        assert code not in html, code


@pytest.mark.parametrize(
    "query", ["date_to=9999-12-31", "date_from=0001-01-01", "date_from=0001-01-01&date_to=9999-12-31"]
)
def test_dates_at_the_ends_of_the_calendar_are_no_bound(client, world, query):
    client.force_login(world.head)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
