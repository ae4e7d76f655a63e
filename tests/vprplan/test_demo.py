"""The demo of `seed_demo`: idempotent, every role logs in, the seed plans in full."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from activities.models import Activity, Plan
from vprplan.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans"


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", "schools", "activities", "auth.user", "vprplan.auditevent",
                 "--indent", "0", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_gives_the_same_data(demo):
    first = dump()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "мероприятий: 52" in out.getvalue()
    assert dump() == first


@pytest.mark.parametrize(
    "username, sees, does_not_see",
    [
        ("admin", ["«Инта»", "Северо-Енисейском", "СОШ № 107"], []),
        ("head", ["«Инта»"], ["Северо-Енисейском", "СОШ № 107"]),
        ("coordinator", ["«Инта»"], ["Северо-Енисейском", "СОШ № 107"]),
        ("specialist", ["Северо-Енисейском"], ["«Инта»", "СОШ № 107"]),
        ("school", ["«Инта»"], ["Северо-Енисейском", "СОШ № 107"]),
        ("observer", ["«Инта»"], ["Северо-Енисейском", "СОШ № 107"]),
    ],
)
def test_every_demo_user_logs_in_and_sees_his_plans_only(client, demo, username, sees, does_not_see):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    html = client.get(reverse("home")).content.decode()
    titles = [t for t in Plan.objects.values_list("title", flat=True)]
    for needle in sees:
        assert any(needle in t and t in html for t in titles), needle
    for needle in does_not_see:
        assert not any(needle in t and t in html for t in titles), needle


def test_demo_users_cannot_open_another_municipalitys_plan(client, demo):
    severo = Plan.objects.get(owner__code="severo-eniseysky")
    inta = Plan.objects.get(owner__code="inta")
    client.force_login(demo["coordinator"])
    assert client.get(reverse("activities:plan_detail", args=[severo.pk])).status_code == 404
    client.force_login(demo["specialist"])
    assert client.get(reverse("activities:plan_detail", args=[inta.pk])).status_code == 404
    assert client.get(reverse("activities:plan_detail", args=[severo.pk])).status_code == 200


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.json")), ids=lambda p: p.stem)
def test_plan_page_shows_every_seed_activity_in_full(client, demo, path):
    from django.utils.html import escape

    data = json.loads(path.read_text(encoding="utf-8"))
    plan = Plan.objects.get(owner__code=data["owner"], title=data["title"])
    client.force_login(demo["admin"])
    html = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    expected = 0
    for section in data["sections"]:
        assert escape(section["title"]) in html
        for activity in section["activities"]:
            expected += 1
            for key in ("title", "deadline_text", "responsible_text", "expected_result", "note"):
                assert escape(activity[key]) in html, (key, activity[key])
    for _key, label in data["columns"]:
        assert escape(label) in html
    assert html.count('id="activity-') == expected == Activity.objects.filter(plan=plan).count()


def test_demo_links_named_specialist_and_roles(demo):
    filchuk = Activity.objects.filter(responsible_persons__user=demo["specialist"])
    assert filchuk.count() >= 5
    assert all("Фильчук" in a.responsible_text for a in filchuk)
    school_rows = Activity.objects.filter(plan__owner__code="inta", execution_level="school")
    assert school_rows.exists()
    assert all("организаци" in a.responsible_text.lower() or "школьные" in a.responsible_text.lower()
               or "руководители оо" in a.responsible_text.lower() for a in school_rows)


def test_inta_authority_has_both_languages_and_its_head(demo):
    from schools.models import EducationAuthority

    authority = EducationAuthority.objects.get(municipality__code="inta")
    assert "Инта" in authority.full_name and "кытшса" in authority.full_name_local
    assert authority.head_name == "Э.О. Круглова" and authority.place == "г. Инта"
    assert authority.municipality.children.count() == 9
