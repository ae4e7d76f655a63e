"""/health/ and /metrics (issue 20): what they answer, to whom, and that they leave nothing behind.
tests/reliability/test_health_outage.py stops PostgreSQL and Redis under a real gunicorn."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from vprplan import heartbeat
from vprplan.models import AuditEvent, Job

pytestmark = pytest.mark.django_db

HEALTH = "/health/"
METRICS = "/metrics"


@pytest.fixture(autouse=True)
def celery_configured():
    """Celery reads the Django settings once, at its first use: let that be now, not inside an
    override_settings of a test below (which would stick for the rest of the run)."""
    from vprplan.celery import app

    assert app.conf.task_always_eager


def samples(text: str) -> dict[tuple, float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def test_the_urls_are_where_the_load_balancer_looks():
    assert reverse("health") == HEALTH and reverse("metrics") == METRICS


def test_health_answers_anonymously_with_nothing_but_ok_per_check(client):
    response = client.get(HEALTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body == {"status": "ok", "checks": {"database": "ok", "storage": "ok", "disk": "ok"}}
    # No session, no cookie, no audit line; the probe file is gone.
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert not Session.objects.exists() and not AuditEvent.objects.exists()
    assert not default_storage.exists("health") or default_storage.listdir("health")[1] == []
    assert client.head(HEALTH).status_code == 200
    assert client.post(HEALTH).status_code == 405


def test_health_is_not_redirected_to_https_nor_rate_limited(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.RATELIMIT_ENABLE = True
    assert client.get("/accounts/login/").status_code == 301
    assert {client.get(HEALTH).status_code for _ in range(100)} == {200}


def test_a_failing_check_answers_503_and_tells_no_reason(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk /srv/media/secret-host-name is read-only")

    monkeypatch.setattr(default_storage, "save", broken)
    response = client.get(HEALTH)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "fail",
        "checks": {"database": "ok", "storage": "fail", "disk": "ok"},
    }
    assert b"secret-host-name" not in response.content and b"OSError" not in response.content


def test_the_disk_check_fails_below_the_free_space_asked(client, settings):
    settings.HEALTH_DISK_MIN_FREE_MB = 10**12  # an exabyte
    response = client.get(HEALTH)
    assert response.status_code == 503 and json.loads(response.content)["checks"]["disk"] == "fail"


@pytest.mark.services
def test_redis_and_worker_heartbeats_count_when_jobs_go_to_celery(client, redis_server):
    cache = {"BACKEND": "vprplan.cache.FailSafeRedisCache", "LOCATION": redis_server.url}
    with override_settings(
        CACHES={"default": cache}, CELERY_BROKER_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER=False
    ):
        response = client.get(HEALTH)
        assert response.status_code == 503
        assert json.loads(response.content)["checks"] == {
            "database": "ok", "redis": "ok", "storage": "ok", "worker": "fail", "disk": "ok"
        }  # fmt: skip
        # A worker on the default queue only: the PDF queue has nobody.
        one = heartbeat.Heartbeat("w1@node-a", ["celery"])
        one.beat()
        assert client.get(HEALTH).status_code == 503
        two = heartbeat.Heartbeat("w2@node-b", ["pdf"])
        two.beat()
        assert client.get(HEALTH).status_code == 200
        two.stop()  # a clean shutdown deletes its key
        assert client.get(HEALTH).status_code == 503
        with override_settings(HEALTH_WORKER_REQUIRED=False):  # (not the `settings` fixture: nested)
            response = client.get(HEALTH)
        assert response.status_code == 200 and json.loads(response.content)["checks"]["worker"] == "fail"

        redis_server.stop()
        response = client.get(HEALTH)
        assert response.status_code == 503
        assert json.loads(response.content)["checks"]["redis"] == "fail"
        redis_server.start()
        one.beat(), two.beat()
        assert client.get(HEALTH).status_code == 200


def make_job(task: str, status: str, age_seconds: float) -> Job:
    job = Job.objects.create(task=task, status=status)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=age_seconds))
    return job


def test_metrics_show_the_job_queue_by_queue_and_status(client):
    make_job("activities.send_reminders", "pending", 300)
    make_job("activities.send_reminders", "pending", 60)
    make_job("reports.render_order_document", "queued", 120)
    make_job("reports.render_export", "running", 10)
    make_job("reports.render_export", "done", 9999)
    response = client.get(METRICS)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = samples(response.content.decode())
    depth = lambda q, s: found[("vprplan_job_queue_depth", (("queue", q), ("status", s)))]  # noqa: E731
    age = lambda q, s: found[("vprplan_job_queue_oldest_age_seconds", (("queue", q), ("status", s)))]  # noqa: E731
    assert depth("celery", "pending") == 2 and depth("celery", "queued") == 0
    assert depth("pdf", "queued") == 1 and depth("pdf", "running") == 1 and depth("pdf", "pending") == 0
    assert 299 <= age("celery", "pending") < 330 and 119 <= age("pdf", "queued") < 150
    assert age("pdf", "pending") == 0
    assert found[("vprplan_metrics_source_up", (("source", "database"),))] == 1
    # django-prometheus's request metrics are there too.
    assert any(name.startswith("django_http_requests") for name, _ in found)


@pytest.mark.services
def test_metrics_read_the_broker_queues_and_the_live_workers(client, redis_server):
    connection = heartbeat.client(redis_server.url)
    connection.rpush("pdf", b"m1", b"m2")
    connection.rpush("celery", b"m3")
    with override_settings(CELERY_BROKER_URL=redis_server.url):
        heartbeat.Heartbeat("w1@node-a", ["celery", "pdf"]).beat()
        found = samples(client.get(METRICS).content.decode())
        assert found[("vprplan_celery_queue_length", (("queue", "pdf"),))] == 2
        assert found[("vprplan_celery_queue_length", (("queue", "celery"),))] == 1
        assert found[("vprplan_workers_alive", (("queue", "pdf"),))] == 1
        assert found[("vprplan_metrics_source_up", (("source", "broker"),))] == 1
        redis_server.stop()
        response = client.get(METRICS)  # the broker is down: the page still answers
        assert response.status_code == 200
        found = samples(response.content.decode())
        assert found[("vprplan_metrics_source_up", (("source", "broker"),))] == 0
        assert ("vprplan_job_queue_depth", (("queue", "pdf"), ("status", "pending"))) in found


def test_metrics_answer_only_allowed_addresses_or_the_token(client, settings):
    assert client.get(METRICS, REMOTE_ADDR="203.0.113.5").status_code == 404
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    assert client.get(METRICS, REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    auth = {"Authorization": "Bearer s3cret-token-for-prometheus"}
    assert client.get(METRICS, REMOTE_ADDR="203.0.113.5", headers=auth).status_code == 200
    wrong = {"Authorization": "Bearer s3cret-token-for-prometheuS"}
    assert client.get(METRICS, REMOTE_ADDR="203.0.113.5", headers=wrong).status_code == 404


def test_metrics_behind_nginx_judge_the_real_client_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    outside = {"X-Forwarded-For": "203.0.113.5"}
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1", headers=outside).status_code == 404
    inside = {"X-Forwarded-For": "127.0.0.1"}
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1", headers=inside).status_code == 200
