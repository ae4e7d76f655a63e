"""The notifications page, mark as read, the digest setting, the bell, and the one-click
unsubscribe that works from a mail without a login."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from activities.models import Notification, NotificationPreference
from activities.reminders.digest import unsubscribe_token
from activities.reminders.services import reminders_sweep
from tests.activities import reminder_world
from tests.activities.reminder_world import TODAY, mails_to
from tests.matrix import assert_matrix
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db
due = reminder_world.due  # the fixture

NOW = datetime(2025, 10, 13, 5, tzinfo=UTC)


def test_notifications_page_is_each_users_own(client, world, due):
    reminders_sweep(today=TODAY, now=NOW)
    url = reverse("notifications:notification_list")
    assert_matrix(client, url, allowed=world.users.values(), denied=[])
    client.force_login(world.school)
    html = client.get(url).content.decode()
    assert "Сводка сроков на 13.10.2025: 2 пункта" in html and "новое" in html
    assert f'href="/executions/{due["s1_late"].pk}/"' in html and "Просрочено" in html
    client.force_login(world.school2)
    assert f"/executions/{due['s1_late'].pk}/" not in client.get(url).content.decode()


def test_mark_read_is_the_owners_only_and_the_bell_counts_unread(client, world, due):
    reminders_sweep(today=TODAY, now=NOW)
    mine = Notification.objects.get(user=world.school)
    url = reverse("notifications:notification_read", args=[mine.pk])
    others = world.everyone_except("school")
    assert_matrix(client, url, method="post", allowed=[], denied=others)
    client.force_login(world.school)
    home = client.get(reverse("home")).content.decode()
    assert 'aria-label="непрочитанных: 1"' in home
    assert client.post(url).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "непрочитанных" not in client.get(reverse("home")).content.decode()


def test_mark_all_read(client, world, due):
    reminders_sweep(today=TODAY, now=NOW)
    Notification.objects.create(user=world.school, day=TODAY.replace(day=1), title="Раньше", items=[])
    client.force_login(world.school)
    response = client.post(reverse("notifications:notification_read_all"), follow=True)
    assert "Все уведомления отмечены прочитанными" in response.content.decode()
    assert not Notification.objects.filter(user=world.school, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.school2, read_at__isnull=True).exists()


def test_settings_page_turns_the_digest_off_and_on(client, world, due):
    url = reverse("notifications:preference_edit")
    assert_matrix(client, url, allowed=world.users.values(), denied=[])
    client.force_login(world.school)
    assert re.search(r'<input[^>]*name="email_digest"[^>]*checked', client.get(url).content.decode())
    client.post(url, {})
    assert NotificationPreference.objects.get(user=world.school).email_digest is False
    reminders_sweep(today=TODAY, now=NOW)
    assert not mails_to(mail.outbox, world.school)
    assert Notification.objects.filter(user=world.school).exists()  # the app still has it
    client.post(url, {"email_digest": "on"})
    assert NotificationPreference.objects.get(user=world.school).email_digest is True
    assert AuditEvent.objects.filter(action="notifications.digest_off", actor=world.school).exists()


def test_unsubscribe_link_of_the_mail_works_without_login_and_only_by_post(world, due):
    reminders_sweep(today=TODAY, now=NOW)
    [message] = mails_to(mail.outbox, world.school)
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("127.0.0.1:8000", 1)[1]
    browser = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF cookie
    page = browser.get(path)
    assert page.status_code == 200 and "Отписаться" in page.content.decode()
    assert not NotificationPreference.objects.filter(user=world.school).exists()  # a GET changes nothing
    # RFC 8058: the mail client POSTs «List-Unsubscribe=One-Click» to the header's address.
    done = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "больше не будет приходить" in done.content.decode()
    assert NotificationPreference.objects.get(user=world.school).email_digest is False
    mail.outbox.clear()
    reminders_sweep(today=TODAY.replace(day=14), now=NOW.replace(day=14))
    assert not mails_to(mail.outbox, world.school)
    assert "уже отписан" in browser.get(path).content.decode()


@pytest.mark.parametrize("token", ["5:forged", "nonsense", unsubscribe_token(10**9)])
def test_a_forged_or_unknown_unsubscribe_token_is_404(client, world, token):
    url = reverse("notifications:unsubscribe", args=[token])
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
