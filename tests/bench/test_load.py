"""The load run (`manage.py bench --load`) against gunicorn on PostgreSQL: every role makes
requests, none fails, no acknowledged write is lost, and no process is left behind.

A short run (LOAD_TEST_SECONDS, 30 by default); the 5-minute one is `manage.py bench --load`.
The run is a subprocess in its own process group, so gunicorn and locust are stopped with it
whatever happens here.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require_service

ROLES = {"school", "coordinator", "head", "specialist", "observer", "admin", "public"}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie of an exited child counts as gone.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def run_bench(database_url: str, *args: str, timeout: float) -> tuple[str, int]:
    """`manage.py bench --load ARGS` as its own process group under the production settings; its
    output (printed) and exit code. Whatever happens, nothing of the run (gunicorn, locust) outlives it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "CI")}
    env["DJANGO_SETTINGS_MODULE"] = "vprplan.settings"
    env["DATABASE_URL"] = database_url  # the run uses <name>_load beside it, never this one
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "bench", "--load", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            time.sleep(2)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    print(output)
    return output, proc.returncode


@pytest.mark.services
def test_every_role_under_load_without_errors_or_lost_writes(tmp_path, record_property):
    database_url = require_service("DATABASE_URL")
    seconds = int(os.environ.get("LOAD_TEST_SECONDS", "30"))
    out = tmp_path / "load.json"
    output, returncode = run_bench(
        database_url,
        *("--duration", str(seconds), "--users", "20", "--json", str(out), "--dir", str(tmp_path / "run")),
        timeout=seconds + 900,
    )
    assert out.exists(), output[-4000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    total = report["total"]
    record_property("load_requests", total["requests"])
    record_property("load_rps", total["rps"])
    record_property("load_p95_ms", total["p95_ms"])
    record_property("load_errors", report["errors"])
    record_property("load_writes_acknowledged", report["writes"]["acknowledged"])
    record_property("load_anchor_rps", report["anchor"]["rps"])
    record_property("load_anchor_p95_ms", report["anchor"]["p95_ms"])

    assert report["failures"] == [] and total["failures"] == 0, report["failures"]
    assert report["writes"]["missing_from_audit"] == 0 and report["writes"]["last_comment_lost"] == 0
    assert report["writes"]["acknowledged"] > 0, "no execution was reported during the run"
    assert report["errors"] == 0
    assert set(report["by_role"]) == ROLES
    assert all(n > 0 for n in report["by_role"].values()), report["by_role"]
    assert report["server_alive_at_end"]
    assert report["anchor"]["requests"] > 0 and report["anchor"]["failures"] == 0
    assert returncode == 0, output[-4000:]
    assert not _alive(report["pids"]["gunicorn"]), "gunicorn outlived the run"


@pytest.mark.services
def test_capacity_mode_prints_each_step_beside_both_anchors(tmp_path):
    """`bench --load --capacity`: a row per step (the flow closed-loop, the static file and the
    minimal Django view at the same number of users), the same figures in the JSON. Steps of a
    few seconds: it checks the mode, not the server's speed."""
    database_url = require_service("DATABASE_URL")
    out = tmp_path / "capacity.json"
    output, returncode = run_bench(
        database_url,
        *("--capacity", "3,7", "--step-seconds", "4", "--schools", "5", "--json", str(out)),
        *("--dir", str(tmp_path / "run")),
        timeout=900,
    )
    assert returncode == 0, output[-4000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["mode"] == "capacity" and report["config"]["wait"] == "0,0"
    assert [s["users"] for s in report["capacity"]] == [3, 7]
    for step in report["capacity"]:
        for part in ("flow", "static", "django"):
            figures = step[part]
            assert figures["requests"] > 0 and figures["errors"] == 0, (step["users"], part, figures)
            assert figures["rps"] > 0 and 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    assert report["anchor_django"]["url"] == "/__bench__/floor/"
    assert report["errors"] == 0 and report["writes"]["missing_from_audit"] == 0
    # The printed table: a row per step with the flow's and both anchors' figures.
    table = [line for line in output.splitlines() if re.match(r"\| [37] \| [\d.]+ \|", line)]
    assert len(table) == 2, output[-3000:]
    assert "Django floor req/s" in output
    assert not _alive(report["pids"]["gunicorn"])
