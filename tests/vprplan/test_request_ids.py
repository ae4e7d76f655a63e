"""JSON logs with a request id that the job carries on (issue 20): the id comes from a trusted
proxy's X-Request-ID or is made, is echoed in the answer, stored with the job the request asked for
and put on the log lines of the job when it runs."""

import io
import json
import logging
import re

import pytest
from django.test import RequestFactory

from vprplan import jobs, logs
from vprplan.logs import ContextFilter, JsonFormatter, RequestIdMiddleware, logging_config
from vprplan.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The lines the production handler (JSON formatter, context filter) writes, per logger tree."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_every_answer_carries_a_new_request_id(client):
    first, second = client.get("/health/"), client.get("/accounts/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_proxys_request_id_is_kept_only_when_the_proxy_is_trusted(client, settings):
    sent = {"X-Request-ID": "nginx-7f3a9c.42"}
    assert client.get("/health/", headers=sent)["X-Request-ID"] != "nginx-7f3a9c.42"  # no proxy trusted
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/health/", headers=sent)["X-Request-ID"] == "nginx-7f3a9c.42"
    for hostile in ("a" * 65, "id with spaces", "x\r\nSet-Cookie: a=b", "<script>"):
        answer = client.get("/health/", headers={"X-Request-ID": hostile})["X-Request-ID"]
        assert answer != hostile and re.fullmatch(r"[0-9a-f]{32}", answer)


def test_log_lines_are_json_objects_with_the_request_id(json_lines, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def view(request):
        logging.getLogger("vprplan.views").warning("Смотрим «план» %s", 7)
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/", headers={"X-Request-ID": "req-123"})
    assert RequestIdMiddleware(view)(request)["X-Request-ID"] == "req-123"
    logging.getLogger("vprplan.views").info("outside a request")
    lines = json_lines()
    assert lines[0]["message"] == "Смотрим «план» 7" and lines[0]["request_id"] == "req-123"
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "vprplan.views" and lines[0]["time"]
    assert "request_id" not in lines[1]


def test_a_job_keeps_the_request_id_and_its_run_logs_it(json_lines, django_capture_on_commit_callbacks):
    token = logs.request_id_var.set("req-job-42")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = jobs.enqueue("vprplan.ping", "hello")
    finally:
        logs.request_id_var.reset(token)
    assert Job.objects.get(pk=job.pk).request_id == "req-job-42"
    # The job runs later, elsewhere (a worker): no request around it, yet its lines carry the id.
    assert logs.current_request_id() == ""
    for callback in callbacks:
        callback()
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    ran = [line for line in json_lines() if line["logger"] == "vprplan.jobs"]
    assert [line["message"] for line in ran] == [
        f"Job {job.pk} (vprplan.ping) started",
        f"Job {job.pk} (vprplan.ping) done",
    ]
    assert {(line["request_id"], line["job_id"]) for line in ran} == {("req-job-42", str(job.pk))}


def test_json_is_the_default_without_debug_and_plain_can_be_asked_for():
    assert logging_config(fmt="json", level="INFO")["handlers"]["console"]["formatter"] == "json"
    assert logging_config(fmt="plain", level="INFO")["handlers"]["console"]["formatter"] == "plain"
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.LOG_FORMAT)"
    env = {"DJANGO_SETTINGS_MODULE": "vprplan.settings", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a"}
    out = {}
    for debug in ("false", "true"):
        done = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={**__import__("os").environ, **env, "DEBUG": debug, "LOG_FORMAT": ""},
            capture_output=True,
            text=True,
            timeout=60,
        )
        out[debug] = done.stdout.strip().splitlines()[-1]
    assert out == {"false": "json", "true": "plain"}


def test_the_admin_finds_a_job_by_the_request_id_of_the_logs(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    asked = Job.objects.create(task="vprplan.ping", request_id="req-find-me")
    other = Job.objects.create(task="vprplan.ping", request_id="req-other")
    client.force_login(admin)
    page = client.get("/admin/vprplan/job/", {"q": "req-find-me"}).content.decode()
    assert f"/admin/vprplan/job/{asked.pk}/change/" in page
    assert f"/admin/vprplan/job/{other.pk}/change/" not in page
