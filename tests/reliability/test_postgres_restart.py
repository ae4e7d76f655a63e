"""PostgreSQL restarted under load: the app runs in gunicorn (2 workers, the production settings,
psycopg's pool) on a PostgreSQL cluster of the test's own, every demo role reads pages and two of
them write (a school reports an execution with a comment; the coordinator adds an activity), and
the database is stopped in the middle for a few seconds and started again.

What must hold: during the outage requests fail fast with the Russian error page (no hang, no
dropped connection); after it every request succeeds again within seconds; and nothing is
half-written: each write's rows are all there or none."""

import random
import re
import threading
import time
import uuid
from dataclasses import dataclass

import psycopg
import pytest
import requests

from tests.reliability.backups import script
from tests.reliability.servers import (
    PG_BIN,
    Postgres,
    free_port,
    gunicorn,
    kill,
    manage,
    production_env,
    site_login,
)

pytestmark = pytest.mark.services

OUTAGE_SECONDS = 8  # the database is down this long: longer than the pool waits for a connection
FAIL_FAST_SECONDS = 5  # the pool's wait for a connection (DATABASE_POOL_TIMEOUT, 3 s) and a margin
RECOVER_WITHIN_SECONDS = 5
PASSWORD = "vprplan-demo"
ERROR_PAGE = "Сервис временно недоступен"


@dataclass
class Hit:
    who: str
    kind: str
    started: float
    ended: float
    status: int | None  # None: no answer at all (connection dropped, timeout)
    error_page: bool
    token: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


@pytest.fixture(scope="module")
def site(demo_backup, tmp_path_factory):
    """Our own cluster with the demo (restored from the run's backup of migrate + seed_demo), a
    draft plan for the coordinator to add rows to; gunicorn on it."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL binaries in {PG_BIN}")
    tmp = tmp_path_factory.mktemp("pg-restart")
    cluster = Postgres()
    server = None
    try:
        cluster.start()
        cluster.createdb("vprplan_load")
        url = cluster.url("vprplan_load")
        env = production_env(url, tmp / "media")
        script("restore", env, str(demo_backup["folder"]))
        draft = manage(
            env,
            "shell",
            "-c",
            "from activities.models import Plan; from activities.services import plan_new_version;"
            "from django.contrib.auth.models import User;"
            "p = plan_new_version(plan=Plan.objects.get(owner__code='inta', status='approved', order_number='51'),"
            " actor=User.objects.get(username='coordinator'));"
            "print('SECTION', p.sections.order_by('position').first().pk)",
        )
        section = int(re.search(r"SECTION (\d+)", draft).group(1))
        with psycopg.connect(url) as db:
            executions = [
                r[0]
                for r in db.execute(
                    "SELECT e.id FROM activities_execution e JOIN schools_membership m"
                    " ON m.organization_id = e.organization_id JOIN auth_user u ON u.id = m.user_id"
                    " WHERE u.username = 'school' AND e.status <> 'not_applicable'"
                    " AND e.review_status <> 'accepted' ORDER BY e.id LIMIT 6"
                )
            ]
        assert executions, "the demo school has no execution to report"
        port = free_port()
        server = gunicorn(env, port=port, log=tmp / "gunicorn.log", access_log=tmp / "access.log")
        yield {"base": f"http://127.0.0.1:{port}", "cluster": cluster, "url": url, "section": section,
               "executions": executions, "access_log": tmp / "access.log"}  # fmt: skip
    finally:
        if server is not None:
            kill(server, sig=15)
        cluster.destroy()


def login(base: str, username: str) -> requests.Session:
    return site_login(base, username, password=PASSWORD)


def flows(site) -> dict[str, list]:
    """Each demo role's mix: (kind, method, path, data maker)."""
    section, executions = site["section"], site["executions"]

    def report():
        token = f"нагрузка {uuid.uuid4().hex[:12]}"
        return (
            f"/executions/{random.choice(executions)}/report/",
            {"comment": token, "action": "start"},
            token,
        )

    return {
        "head": [("page", "get", "/"), ("page", "get", "/plans/1/"), ("page", "get", "/progress/")],
        "coordinator": [
            ("page", "get", "/"),
            ("page", "get", "/tasks/"),
            ("write", "post", lambda: (f"/sections/{section}/activities/add/", {}, "")),
        ],
        "specialist": [("page", "get", "/"), ("page", "get", "/tasks/")],
        "school": [("page", "get", "/tasks/"), ("write", "post", report), ("write", "post", report)],
        "observer": [("page", "get", "/")],
        "admin": [("page", "get", "/"), ("page", "get", "/plans/3/")],
    }


def run_user(base: str, who: str, session: requests.Session, mix: list, stop: threading.Event, hits: list):
    while not stop.is_set():
        kind, method, target = random.choice(mix)
        data, token = None, ""
        path = target
        if callable(target):
            path, data, token = target()
        started = time.monotonic()
        try:
            headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")} if method == "post" else {}
            r = session.request(
                method, base + path, data=data, headers=headers, allow_redirects=False, timeout=20
            )
            status, error_page = r.status_code, ERROR_PAGE in r.text
        except requests.RequestException:
            status, error_page = None, False
        hits.append(Hit(who, kind, started, time.monotonic(), status, error_page, token))


def snapshot(url: str, section: int) -> dict:
    """What the writes leave: the activities of the draft's section, the «added» audit lines, the
    reports' audit lines, and the executions whose comment is not their latest report's (each
    report writes both in one transaction)."""
    with psycopg.connect(url) as db:
        rows = lambda sql, *args: {r[0] for r in db.execute(sql, list(args))}  # noqa: E731
        return {
            "activities": rows("SELECT id::text FROM activities_activity WHERE section_id = %s", section),
            "added": rows("SELECT object_id FROM vprplan_auditevent WHERE action = 'activity.added'"),
            "reports": rows(
                "SELECT data->>'comment' FROM vprplan_auditevent WHERE action = 'execution.in_progress'"
            ),
            "mismatched": db.execute(
                "SELECT count(*) FROM activities_execution e JOIN LATERAL ("
                "  SELECT a.data->>'comment' AS comment FROM vprplan_auditevent a"
                "  WHERE a.object_type = 'activities.execution' AND a.object_id = e.id::text"
                "  AND a.action = 'execution.in_progress' ORDER BY a.id DESC LIMIT 1) last ON true"
                " WHERE e.comment LIKE 'нагрузка %%' AND e.comment <> last.comment"
            ).fetchone()[0],
        }


def test_postgres_restarted_under_load(site, record_property):
    base = site["base"]
    sessions = {who: login(base, who) for who in flows(site)}
    for who, mix in flows(site).items():  # every page of the mix answers before the fault
        for kind, _, target in mix:
            if kind == "page":
                assert sessions[who].get(base + target, timeout=30).status_code == 200, (who, target)
    before_load = snapshot(site["url"], site["section"])
    hits: list[Hit] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=run_user, args=(base, who, sessions[who], mix, stop, hits), daemon=True)
        for who, mix in flows(site).items()
    ]
    for t in threads:
        t.start()
    time.sleep(3)
    down_at = time.monotonic()
    site["cluster"].ctl("stop", "-m", "fast")  # in-flight transactions are cut off here
    time.sleep(OUTAGE_SECONDS)
    site["cluster"].ctl("start", "-l", str(site["cluster"].dir / "log"))
    up_at = time.monotonic()
    time.sleep(RECOVER_WITHIN_SECONDS + 2)
    stop.set()
    for t in threads:
        t.join(30)

    failed = [h for h in hits if not h.ok]
    before = [h for h in failed if h.ended < down_at]
    assert not before, f"{len(before)} requests failed before the fault"
    assert all(h.status in (500, 503) and h.error_page for h in failed), {
        (h.status, h.error_page) for h in failed
    }
    # Fast: the app gives up on the database after the pool's timeout. Measured in the server (its
    # access log): the client's time adds the wait behind other requests for one of 2 workers.
    served = [line.split() for line in site["access_log"].read_text().splitlines()]
    server_failures = [float(seconds) for status, seconds, *_ in served if status.startswith("5")]
    assert len(server_failures) == len(failed)
    slowest = max(server_failures, default=0.0)
    assert slowest <= FAIL_FAST_SECONDS, f"the app took {slowest:.1f}s to fail a request"
    recovered = max((h.ended for h in failed), default=up_at) - up_at
    assert recovered <= RECOVER_WITHIN_SECONDS, f"requests still failed {recovered:.1f}s after the restart"
    after = [h for h in hits if h.started > up_at + max(recovered, 0)]
    assert after and all(h.ok for h in after)
    assert failed, "the outage failed no request: the fault did not happen"

    after_load = snapshot(site["url"], site["section"])
    new_activities = after_load["activities"] - before_load["activities"]
    new_added = after_load["added"] - before_load["added"]
    half = len(new_activities ^ new_added) + after_load["mismatched"]  # a row without its partner
    confirmed_reports = {h.token for h in hits if h.token and h.ok}
    confirmed_adds = sum(1 for h in hits if h.kind == "write" and not h.token and h.ok)
    assert confirmed_reports <= after_load["reports"], "a report the user was told is saved is missing"
    assert len(new_activities) >= confirmed_adds > 0, "an added activity the user saw is missing"
    assert half == 0, (new_activities ^ new_added, after_load["mismatched"])
    writes = [h for h in hits if h.kind == "write"]
    record_property("pg_restart_requests_sent", len(hits))
    record_property("pg_restart_writes_sent", len(writes))
    record_property("pg_restart_failed_during_outage", len(failed))
    record_property("pg_restart_slowest_failure_in_app_seconds", round(slowest, 2))
    record_property(
        "pg_restart_slowest_response_at_client_seconds", round(max(h.ended - h.started for h in hits), 2)
    )
    record_property("pg_restart_seconds_to_recover", round(max(recovered, 0.0), 2))
    record_property("pg_restart_requests_after_recovery_all_ok", len(after))
    record_property("pg_restart_half_written_rows", half)
