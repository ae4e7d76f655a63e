"""The head's work: a municipal plan submitted for approval waits on his home page, reaches him as
a notification and in his daily digest, and has one approval path, his signed order."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from activities import services
from activities.choices import PlanStatus
from activities.models import Notification, ReminderKind
from activities.reminders.services import reminders_sweep
from tests.activities.conftest import make_plan
from tests.activities.reminder_world import TODAY, mails_to
from tests.factories import ActivityFactory, PlanFactory, SectionFactory

pytestmark = pytest.mark.django_db


def plan_url(plan) -> str:
    return reverse("activities:plan_detail", args=[plan.pk])


def submitted(world, **kwargs):
    plan = make_plan(world, status=PlanStatus.DRAFT, **kwargs)
    services.plan_submit(plan=plan, actor=world.coordinator)
    return plan


def test_the_heads_home_lists_the_plans_waiting_for_his_approval(client, world):
    waiting = submitted(world)
    PlanFactory(owner=world.m1, status=PlanStatus.DRAFT, title="Черновик плана")
    client.force_login(world.head)
    html = client.get(reverse("home")).content.decode()
    block = html[html.index('<section class="home-panel awaiting-approval">') :]
    block = block[: block.index("</section>")]
    assert "Ожидает утверждения" in block
    assert f'<a href="{plan_url(waiting)}">{waiting.title}</a>' in block
    assert "Черновик плана" not in block and "приказ" in block
    for other in ("coordinator", "other_head", "school"):
        client.force_login(world.users[other])
        assert "awaiting-approval" not in client.get(reverse("home")).content.decode(), other


def test_submitting_a_municipal_plan_notifies_its_heads_in_the_app(client, world):
    plan = submitted(world)
    note = Notification.objects.get(user=world.head)
    assert note.read_at is None and plan.title[:40] in note.title
    [item] = note.items
    assert (item["kind"], item["url"]) == (ReminderKind.APPROVAL, plan_url(plan))
    assert "утверждается приказом" in item["detail"]
    assert not Notification.objects.exclude(user=world.head).exists()  # not the others, not other heads
    client.force_login(world.head)
    html = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Ожидает утверждения" in html and f'href="{plan_url(plan)}"' in html
    # A school's own plan is approved at the school: the head is not asked.
    school_plan = PlanFactory(owner=world.s1, status=PlanStatus.DRAFT)
    ActivityFactory(plan=school_plan, section=SectionFactory(plan=school_plan, position=1), position=1)
    services.plan_submit(plan=school_plan, actor=world.school)
    assert len(Notification.objects.get(user=world.head).items) == 1


def test_the_heads_daily_digest_has_a_line_while_the_plan_waits(world):
    plan = submitted(world)
    Notification.objects.all().delete()
    reminders_sweep(today=TODAY, now=datetime(2025, 10, 13, 5, 0, tzinfo=UTC))
    [message] = mails_to(mail.outbox, world.head)
    assert "Ожидает утверждения" in message.body and plan.title[:60] in message.body
    assert plan_url(plan) in message.body
    [item] = Notification.objects.get(user=world.head).items
    assert item["kind"] == ReminderKind.APPROVAL
    # Approved (his order signed): the next day's digest has nothing for him.
    services.plan_approve(plan=plan, actor=world.head)
    mail.outbox.clear()
    reminders_sweep(today=TODAY.replace(day=14), now=datetime(2025, 10, 14, 5, 0, tzinfo=UTC))
    assert mails_to(mail.outbox, world.head) == []


def test_a_municipal_plan_is_approved_by_the_order_only(client, world):
    plan = submitted(world)
    client.force_login(world.head)
    html = client.get(plan_url(plan)).content.decode()
    assert "Приказ об утверждении" in html
    assert ">Утвердить<" not in html
    assert "план будет утверждён, когда руководитель подпишет приказ об утверждении" in html
    response = client.post(reverse("activities:plan_transition", args=[plan.pk, "approve"]), follow=True)
    assert "утверждается приказом органа управления образованием" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_APPROVAL
    client.force_login(world.coordinator)  # not an approver: as before, nothing to see
    assert client.post(reverse("activities:plan_transition", args=[plan.pk, "approve"])).status_code == 404


def test_a_school_plan_keeps_its_direct_approval(client, world):
    plan = PlanFactory(owner=world.s1, status=PlanStatus.ON_APPROVAL)
    client.force_login(world.school)
    html = client.get(plan_url(plan)).content.decode()
    assert ">Утвердить<" in html and "Приказ об утверждении" not in html
    client.post(reverse("activities:plan_transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
