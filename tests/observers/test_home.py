"""The observers panel of the home page and the demo's observers part."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from observers.models import Act, Assignment, Observer
from observers.services import act_submit
from schools.models import VprCampaign, VprSession
from tests.observers.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_observer_sees_his_assignments_and_overdue_acts_on_the_home_page(client, vpr):
    AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    done = AssignmentFactory(session=vpr.mat_s1, observer=vpr.mine)
    act_submit(
        assignment=done, actor=vpr.observer, now=datetime(2024, 4, 18, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    )
    client.force_login(vpr.observer)
    html = client.get(reverse("home")).content.decode()
    assert "Мои наблюдения</a>: назначений 2" in html and "просрочено актов: 1" in html


def test_coordinator_sees_coverage_and_the_school_its_schedule(client, vpr):
    AssignmentFactory(session=vpr.rus_s1, observer=vpr.free)
    client.force_login(vpr.coordinator)
    html = client.get(reverse("home")).content.decode()
    assert (
        "работ с наблюдателем 1 из 3" in html
        and reverse("schools:session_list", args=[vpr.campaign.pk]) in html
    )
    client.force_login(vpr.school)
    html = client.get(reverse("home")).content.decode()
    assert "График ВПР-2024" in html and "работ с наблюдателем" not in html


def test_home_panel_costs_a_few_queries(client, vpr, django_assert_max_num_queries):
    from observers.home import home_context
    from vprplan import access

    for name in ("coordinator", "observer", "school", "admin"):
        user = vpr.users[name]
        access.memberships(user)  # read once per request anyway
        with django_assert_max_num_queries(3):
            home_context(user)


def test_demo_observer_has_assignments_and_an_act(client, demo):
    campaign = VprCampaign.objects.get(region__code="komi", year=2024)
    assert VprSession.objects.filter(campaign=campaign, school__municipality__code="inta").count() >= 5
    own = Observer.objects.get(user=demo["observer"])
    assert (  # VPR-2024's; the current year's are tests/portal/test_demo.py's
        Assignment.objects.filter(observer=own, session__campaign=campaign).count() == 2
        and Act.objects.filter(assignment__observer=own, assignment__session__campaign=campaign).count() == 1
    )
    client.force_login(demo["observer"])
    html = client.get(reverse("observers:my_assignments")).content.decode()
    assert (
        "«СОШ № 5» г. Инты" in html
        and "Акт (проведение) подан 16.04.2024" in html
        and "Акт просрочен" in html
    )
    client.force_login(demo["coordinator"])
    board = client.get(reverse("observers:assignment_board", args=[campaign.pk, "inta"]))
    assert board.status_code == 200 and "Ковалёва Ирина Сергеевна" in board.content.decode()
