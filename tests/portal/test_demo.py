"""The demo of `seed_demo`: idempotent, every role logs in, the seed plans in full."""

import json
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.choices import PlanStatus
from activities.demo_current import ADDED, academic_year
from activities.models import Activity, Evidence, Execution, Plan
from observers.models import Assignment
from portal.demo import DEMO_PASSWORD, seed_demo
from reports.models import Order, OrderStatus
from results.models import VprResult
from schools.models import UnobjectivityFlag, VprCampaign, VprSession

pytestmark = pytest.mark.django_db
PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "plans"


def dump() -> str:
    out = StringIO()
    call_command("dumpdata", "schools", "activities", "auth.user", "vprplan.auditevent", "observers",
                 "reports", "results", "--indent", "0", stdout=out)
    return out.getvalue()


def seeded_activities() -> int:
    """The transcribed plans' activities, and this year's copy of the Inta one with its additions."""
    counts = {p.stem: sum(len(s["activities"]) for s in json.loads(p.read_text())["sections"])
              for p in PLANS.glob("*.json")}
    return sum(counts.values()) + counts["inta-2023-2024"] + len(ADDED)


def test_seed_demo_twice_gives_the_same_data(demo):
    first = dump()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"планов: 4, мероприятий: {seeded_activities()}" in out.getvalue()
    assert dump() == first


def counts() -> dict:
    models = [Plan, Activity, Execution, Order, VprCampaign, VprSession, VprResult, UnobjectivityFlag,
              Assignment]
    return {m.__name__: m.objects.count() for m in models}


def test_seed_demo_on_a_later_day_adds_nothing_and_a_new_year_gets_its_own_plan(db):
    seed_demo(today=date(2026, 12, 4))
    before = counts()
    seed_demo(today=date(2026, 12, 11))
    assert counts() == before
    summary = seed_demo(today=date(2027, 9, 6))  # the next academic year on the same database
    after = counts()
    assert summary["current_plan"].period_start == date(2027, 9, 1)
    assert (after["Plan"], after["Order"]) == (before["Plan"] + 1, before["Order"] + 1)
    assert after["VprCampaign"] == before["VprCampaign"] + 1  # VPR-2028; VPR-2027 is there already


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
    client.force_login(demo["coordinator"])
    assert client.get(reverse("activities:plan_detail", args=[severo.pk])).status_code == 404
    client.force_login(demo["specialist"])
    for inta in Plan.objects.filter(owner__code="inta"):  # the 2023-2024 road map and this year's
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


def sent_reminders(day: date) -> int:
    out = StringIO()
    call_command("send_reminders", "--today", day.isoformat(), stdout=out)
    return int(re.search(r"Отправлено напоминаний: (\d+)", out.getvalue()).group(1))


# Today as the issue saw it, a day of the VPR spring, and a summer day after it.
@pytest.mark.parametrize("day", [date(2026, 12, 4), date(2027, 4, 19), date(2027, 7, 20)], ids=str)
def test_the_demo_lives_in_the_academic_year_of_the_day_it_is_loaded(db, day):
    from django.contrib.auth import get_user_model

    from activities.cards import annotate_states
    from activities.selectors import tasks_for_user
    from activities.views.tasks import group_tasks
    from results.analysis import analyse

    plan = seed_demo(today=day)["current_plan"]
    start, _end = academic_year(day)
    history = Plan.objects.get(owner__code="inta", order_number="51", order_date=date(2024, 2, 29))
    assert plan.previous == history and plan.period_start == start and plan.status == PlanStatus.APPROVED
    assert f"{start.year}-{start.year + 1} учебном году" in plan.title
    order = Order.objects.get(plan=plan)
    # An order's date is the day it is really signed, whatever day the demo plays.
    assert order.status == OrderStatus.SIGNED and order.date == timezone.localdate(timezone=plan.owner.tz)
    assert (plan.order_number, plan.order_date) == (order.number, order.date)

    # The school's «Мои задачи» of this year's plan: overdue, this week and later, and work done.
    users = {u.username: u for u in get_user_model().objects.all()}
    tasks = tasks_for_user(user=users["school"]).select_related("activity__plan", "organization")
    groups = group_tasks(annotate_states(list(tasks), day), day)
    mine = {key: [e for e in rows if e.activity.plan_id == plan.pk] for key, rows in groups.items()}
    assert all(mine[key] for key in ("overdue", "week", "later", "done")), {k: len(v) for k, v in mine.items()}
    states = {e.state(day) for rows in mine.values() for e in rows}
    assert {"accepted", "review", "in_progress"} <= states
    assert any(e.review_status == "returned" for e in mine["overdue"])
    assert Evidence.objects.filter(execution__activity__plan=plan, execution__review_status="accepted").exists()
    assert sent_reminders(day) > 0 and sent_reminders(day) == 0

    # Last spring's results with markers, and the flags recorded from them this year.
    inta = plan.owner
    kinds = {m.kind for m in analyse(area=inta, years=[start.year]).markers}
    assert {"above_region", "journal", "boundary_peak", "twos_rose", "twos_fell"} <= kinds
    flags = UnobjectivityFlag.objects.filter(year=start.year, school__municipality=inta)
    assert {f.school.code for f in flags} == {"inta-sosh-5", "inta-gymnasium-3"}
    assert all(start <= f.created_at.date() <= day for f in flags)

    # The coming VPR with sessions of СОШ № 5 and others, observers assigned; the observer owes an act.
    sessions = VprSession.objects.filter(campaign__year=start.year + 1, school__municipality=inta)
    assert sessions.filter(school__code="inta-sosh-5").exists() and sessions.exclude(school__code="inta-sosh-5")
    mine = Assignment.objects.filter(observer__user=users["observer"])
    assert mine.filter(session__campaign__year=start.year + 1).count() >= 2
    assert mine.filter(session__date__lt=day, acts__isnull=True).exists()
