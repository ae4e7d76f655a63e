"""Rate limits: /verify/, the public pages, password reset, exports and imports answer the Russian
429 page past their limit (the view does not run), per address or per user, and the counts live in
the configured cache (Redis when REDIS_URL is set)."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_ratelimit import core as ratelimit_core

from activities.choices import PlanStatus
from tests.factories import PlanFactory
from vprplan import ratelimits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    # The limits count in fixed windows of the wall clock: a test that crosses a window's end
    # would start a new count. The clock stands still here, a second into a window.
    now = 1_800_000_001.0
    monkeypatch.setattr(ratelimit_core, "time", SimpleNamespace(time=lambda: now))
    cache.clear()
    yield
    cache.clear()


def hits_until_429(send, limit: int) -> list[int]:
    return [send().status_code for _ in range(limit + 2)]


def test_verify_is_limited_per_address_with_a_russian_page(client, record_property):
    def send(addr="10.0.0.1"):
        return client.post(
            reverse("reports:verify"), {"file": SimpleUploadedFile("x.pdf", b"not a pdf")}, REMOTE_ADDR=addr
        )

    codes = hits_until_429(send, 10)
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    response = send()
    page = response.content.decode()
    assert "Слишком много запросов" in page and "Повторите попытку" in page
    assert 0 < int(response["Retry-After"]) <= 60
    assert send("10.0.0.2").status_code == 200  # another address has its own count
    assert client.get(reverse("reports:verify"), REMOTE_ADDR="10.0.0.1").status_code == 200  # the form stays
    record_property("verify_posts_per_minute_allowed", codes.count(200))


def test_public_pages_are_limited_per_address(client, world):
    PlanFactory(owner=world.m1, status=PlanStatus.APPROVED)
    url = reverse("reports:public_plan_list", args=[world.m1.code])
    codes = hits_until_429(lambda: client.get(url, REMOTE_ADDR="10.0.0.3"), 60)
    assert codes.count(200) == 60 and codes[-1] == 429


def test_password_reset_mails_are_limited_per_address_given(client, world, record_property):
    world.coordinator.email = "coord@example.ru"
    world.coordinator.save()
    for i in range(30):  # the review's burst: 30 requests in a second and a half
        client.post(reverse("password_reset"), {"email": "coord@example.ru"}, REMOTE_ADDR=f"10.1.0.{i}")
    assert len(mail.outbox) == 3
    record_property("password_reset_mails_sent_of_30_requests", len(mail.outbox))


def test_exports_and_imports_are_limited_per_user(client, world):
    plan = PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)
    client.force_login(world.coordinator)
    url = reverse("reports:plan_export_xlsx", args=[plan.pk])
    codes = hits_until_429(lambda: client.get(url), 30)
    assert codes.count(200) == 30 and codes[-1] == 429
    client.force_login(world.head)  # another user: another count
    assert client.get(url).status_code == 200
    client.force_login(world.coordinator)
    post = lambda: client.post(  # noqa: E731
        reverse("reports:plan_import"), {"owner": world.m1.pk, "file": SimpleUploadedFile("p.csv", b"x")}
    )
    codes = hits_until_429(post, 20)
    assert codes.count(200) == 20 and codes[-1] == 429


def test_every_limited_name_is_a_url_of_the_project():
    from django.urls import get_resolver

    resolver = get_resolver()
    for name in ratelimits.LIMITS:
        namespace, _, short = name.rpartition(":")
        found = resolver.namespace_dict[namespace][1] if namespace else resolver
        assert found.reverse_dict.getlist(short), name
