"""The demo shows a year of work on the Inta road map: every state a coordinator meets."""

from datetime import date

import pytest
from django.urls import reverse

from activities.models import Evidence, Execution, Plan

pytestmark = pytest.mark.django_db


def test_inta_plan_has_work_in_every_state(demo):
    inta = Plan.objects.get(owner__code="inta", order_number="51")  # the transcribed 2023-2024 road map
    assert inta.order_number == "51" and inta.order_date == date(2024, 2, 29)
    today = date(2026, 11, 22)
    states = {}
    for e in Execution.objects.filter(activity__plan=inta).select_related("activity__plan"):
        states.setdefault(e.state(today), []).append(e)
    assert set(states) == {"accepted", "review", "returned", "in_progress", "overdue", "not_started"}
    assert len(states["accepted"]) > len(states["overdue"])  # a year that mostly got done
    # In progress only where the plan gives no date yet: nothing shows as «in progress» two years late.
    assert all(e.due_date is None for e in states["in_progress"] + states["not_started"])
    evidence = Evidence.objects.filter(execution__activity__plan=inta).first()
    content = evidence.file.open("rb").read()
    assert content.startswith(b"%PDF-") and b"%%EOF" in content[-64:] and evidence.size == len(content)
    assert evidence.uploaded_at.year == 2024


def test_demo_school_and_coordinator_see_their_side(client, demo):
    client.force_login(demo["school"])
    html = client.get(reverse("activities:task_list")).content.decode()
    assert "Возвращено на доработку" in html and "Приложите протокол школьной комиссии" in html
    assert "Просрочено" in html and "Протокол школьной комиссии по проверке ВПР.pdf" in html
    client.force_login(demo["coordinator"])
    inta = Plan.objects.get(owner__code="inta", order_number="51")  # the transcribed 2023-2024 road map
    html = client.get(reverse("activities:plan_progress", args=[inta.pk])).content.decode()
    assert "s-accepted" in html and "s-review" in html and "s-returned" in html and "s-overdue" in html
    client.force_login(demo["specialist"])
    html = client.get(reverse("activities:task_list")).content.decode()
    assert "Организация работы с родителями" in html  # Фильчук's own row of the Северо-Енисейский plan
