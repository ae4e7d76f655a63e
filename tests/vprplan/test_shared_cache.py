"""The shared cache (issue 20): Redis with REDIS_URL for sessions (cached_db), rate limits and the
bell's counts, and a Redis outage breaks no page. Runs a redis-server of its own
(tests/reliability/servers.py), stopped and started by the test."""

import os
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from activities.models import Notification
from activities.reminders import bell
from activities.reminders.services import notifications_mark_read
from vprplan.cache import FailSafeRedisCache

pytestmark = pytest.mark.django_db

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "vprplan.cache.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "vprplan-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_the_fail_safe_cache_answers_a_miss_when_redis_is_down():
    c = FailSafeRedisCache(DEAD, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    started = time.monotonic()
    assert c.get("k") is None and c.get("k", "default") == "default"
    c.set("k", 1)
    assert c.add("k", 1) is False
    assert c.get_many(["a", "b"]) == {}
    assert c.get_or_set("k", lambda: 7) == 7
    assert c.has_key("k") is False and c.touch("k") is False
    c.delete("k")
    c.delete_many(["a", "b"])
    with pytest.raises(ValueError):  # as for a missing key: django-ratelimit counts nothing
        c.incr("k")
    assert time.monotonic() - started < 2


def test_with_redis_the_cache_is_shared_and_sessions_are_cached_db_else_local_and_db():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.RATELIMIT_FAIL_OPEN)"
    )
    found = {}
    for redis in ("redis://127.0.0.1:6379/9", ""):
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "vprplan.settings",
                "DEBUG": "true",
                "REDIS_URL": redis,
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        found[bool(redis)] = done.stdout.strip().splitlines()[-1]
    assert found == {
        True: "vprplan.cache.FailSafeRedisCache vprplan.sessions.cached_db True",
        False: "django.core.cache.backends.locmem.LocMemCache vprplan.sessions.db True",
    }


@pytest.mark.services
def test_pages_sessions_and_rate_limits_live_through_a_redis_outage(client, world, redis_server, settings):
    settings.RATELIMIT_ENABLE = True
    with override_settings(
        CACHES=redis_cache(redis_server.url),
        SESSION_ENGINE="vprplan.sessions.cached_db",
        BELL_CACHE_SECONDS=120,
    ):
        client.force_login(world.coordinator)
        assert client.get(reverse("home")).status_code == 200
        key = client.session.session_key
        assert caches["default"].get(f"django.contrib.sessions.cached_db{key}") is not None  # in Redis
        public = reverse("reports:public_plan_list", args=[world.m1.code])
        assert [client.get(public, REMOTE_ADDR="10.9.9.9").status_code for _ in range(61)][-1] == 429

        redis_server.stop()
        started = time.monotonic()
        home = client.get(reverse("home"))
        assert home.status_code == 200 and world.coordinator.last_name in home.content.decode()
        assert client.get(public, REMOTE_ADDR="10.9.9.9").status_code == 200  # fail open: no count
        assert client.get(public, REMOTE_ADDR="10.9.9.8").status_code == 200
        assert time.monotonic() - started < 5
        # A new login works too: the session is written to the database, the cache write is dropped.
        client.logout()
        client.force_login(world.head)
        assert client.get(reverse("home")).status_code == 200

        redis_server.start()  # an empty Redis: the session comes from the database again
        assert client.get(reverse("home")).status_code == 200
        assert [client.get(public, REMOTE_ADDR="10.9.9.7").status_code for _ in range(61)][-1] == 429


@pytest.mark.services
def test_the_bell_count_is_kept_in_the_shared_cache_and_forgotten_on_write(
    world, redis_server, django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = world.coordinator
    with override_settings(CACHES=redis_cache(redis_server.url), BELL_CACHE_SECONDS=120):
        cache.clear()
        Notification.objects.create(user=user, day="2027-03-10", title="Срок через 3 дня", items=[])
        Notification.objects.create(user=user, day="2027-03-11", title="Срок завтра", items=[])
        assert bell.unread_count(user_id=user.pk) == 2
        with django_assert_num_queries(0):  # another node, another request: from Redis
            assert bell.unread_count(user_id=user.pk) == 2
        with django_capture_on_commit_callbacks(execute=True):
            notifications_mark_read(user=user, notification=Notification.objects.filter(user=user).first())
        assert bell.unread_count(user_id=user.pk) == 1
        redis_server.stop()
        assert bell.unread_count(user_id=user.pk) == 1  # Redis down: counted in the database
