"""Two nodes behind a real nginx (issue 20): two gunicorn instances over one PostgreSQL (a cluster
of the test's own, with the demo), one Redis (sessions, cache, broker) and one S3 bucket (moto's server, tests/s3server.py), a
Celery worker on each node (the README's command: both queues, the heartbeat).

- a school uploads evidence through node A and the coordinator downloads it through node B (the
  file is in the bucket, on neither node's disk); a session made on one node holds on the other;
- jobs asked for through both nodes (PDF exports by the web, pings by the shell) each run once,
  spread over the two workers, and the worker's log lines carry the id of the request that asked;
- node B (its gunicorn and its worker) is killed with SIGKILL under load from several users:
  requests go on through node A; only those in flight at the kill may fail (counted), and /health/
  through nginx stays 200.

nginx routes round robin; a request with `X-Test-Node: a|b` goes to that node (a test-only map in
the config below). Each node has its own MEDIA_ROOT, which stays empty."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.activities.conftest import tiny_pdf
from tests.reliability.ops import require_binary
from tests.reliability.servers import (
    PG_BIN,
    ROOT,
    Postgres,
    Redis,
    free_port,
    gunicorn,
    manage,
    production_env,
    site_login,
    wait_port,
)
from tests.s3server import bucket_objects, s3_server

pytestmark = pytest.mark.services

PASSWORD = "vprplan-demo"
PING_JOBS = 30
KILL_SETTLES = 0.5  # seconds after B is reaped in which a request nginx sent it may still fail
LOAD_USERS = ("school", "coordinator", "head", "specialist", "school", "coordinator")
LOAD_BEFORE_KILL, LOAD_AFTER_KILL = 4.0, 6.0


def node_environment(
    node: str, *, database_url: str, redis_url: str, media: Path, s3: dict | None = None
) -> dict:
    """The environment of one node's web server and worker: the production settings (DEBUG off)
    on the shared PostgreSQL and Redis, behind one trusted proxy, logging JSON."""
    env = production_env(database_url, media)
    env.update(
        {
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": "",
            "TRUSTED_PROXY_COUNT": "1",  # nginx: X-Forwarded-For and X-Request-ID are its own
            "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_HEARTBEAT_TTL": "4",
            "HEALTH_DISK_MIN_FREE_MB": "1",
            # gunicorn's workers add up their request metrics here (emptied before the node starts)
            "PROMETHEUS_MULTIPROC_DIR": str(media.parent / f"prometheus-{node}"),
        }
    )
    # The files: the bucket of tests/s3server.py's `s3_server()` (STORAGE_S3_*), shared by both
    # nodes; each node's own MEDIA_ROOT stays empty.
    if s3:
        env.update(s3)
    return env


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format nodes '$status $request_method $request_uri "$upstream_addr"';
    access_log {tmp}/nginx-access.log nodes;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 40m;

    # The README's upstream: both nodes, a node that fails is left alone for 10 s.
    upstream vprplan {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=10s;
    }}
    # Test only: pin a request to a node.
    upstream node_a {{ server 127.0.0.1:{a}; }}
    upstream node_b {{ server 127.0.0.1:{b}; }}
    map $http_x_test_node $backend {{ a node_a; b node_b; default vprplan; }}

    server {{
        listen 127.0.0.1:{port};
        location = /metrics {{ deny all; }}
        location / {{
            proxy_pass http://$backend;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Request-ID $request_id;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx(tmp: Path, *, port: int, a: int, b: int) -> subprocess.Popen:
    binary = require_binary("nginx", package="nginx-light")
    conf = tmp / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, port=port, a=a, b=b))
    check = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(tmp)],
        stdout=(tmp / "nginx.out").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_port(port)
    return process


def celery_worker(env: dict, *, name: str, log: Path) -> subprocess.Popen:
    """The README's worker command (both queues), one process at a time."""
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "vprplan", "worker", "-Q", "celery,pdf",
        "-n", f"{name}@%h", "--concurrency", "1", "-l", "info", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """The process and its children (gunicorn's workers, celery's pool): a whole node."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(30)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    if not (PG_BIN / "initdb").exists():
        require_binary("initdb", package="postgresql-15")
    require_binary("redis-server", package="redis-server")
    require_binary("nginx", package="nginx-light")
    tmp = tmp_path_factory.mktemp("two-nodes")
    cluster, redis_server, processes = Postgres(), Redis(), {}
    with contextlib.ExitStack() as stack:
        yield from _nodes(tmp, cluster, redis_server, processes, s3=stack.enter_context(s3_server()))


def _nodes(tmp: Path, cluster: Postgres, redis_server: Redis, processes: dict, *, s3: dict):
    try:
        cluster.start()
        cluster.createdb("vprplan_nodes")
        redis_server.start()
        url = cluster.url("vprplan_nodes")
        env = {
            node: node_environment(
                node, database_url=url, redis_url=redis_server.url, media=tmp / f"media-{node}", s3=s3
            )
            for node in ("a", "b")
        }
        manage(env["a"], "migrate", "-v0")
        manage(env["a"], "seed_demo")
        ports = {"a": free_port(), "b": free_port(), "nginx": free_port()}
        for node in ("a", "b"):
            Path(env[node]["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
            processes[f"worker-{node}"] = celery_worker(
                env[node], name=f"node-{node}", log=tmp / f"worker-{node}.log"
            )
            processes[f"web-{node}"] = gunicorn(
                env[node],
                port=ports[node],
                log=tmp / f"web-{node}.log",
                access_log=tmp / f"access-{node}.log",
            )
        processes["nginx"] = nginx(tmp, port=ports["nginx"], a=ports["a"], b=ports["b"])
        yield {
            "base": f"http://127.0.0.1:{ports['nginx']}",
            "upstream": {node: f"127.0.0.1:{ports[node]}" for node in ("a", "b")},
            "url": url,
            "env": env,
            "tmp": tmp,
            "processes": processes,
            "s3": s3,
        }
    finally:
        for process in processes.values():
            kill_group(process, signal.SIGTERM)
        redis_server.stop()
        cluster.destroy()


def login(base: str, username: str, node: str | None = None) -> requests.Session:
    return site_login(base, username, password=PASSWORD, node=node)


def post(session: requests.Session, url: str, **kwargs) -> requests.Response:
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
    return session.post(url, headers=headers, allow_redirects=False, timeout=30, **kwargs)


def query(url: str, sql: str, *args) -> list[tuple]:
    with psycopg.connect(url) as db:
        return db.execute(sql, list(args)).fetchall()


def school_executions(url: str) -> list[int]:
    return [
        r[0]
        for r in query(
            url,
            "SELECT e.id FROM activities_execution e JOIN schools_membership m"
            " ON m.organization_id = e.organization_id JOIN auth_user u ON u.id = m.user_id"
            " WHERE u.username = 'school' AND e.status <> 'not_applicable'"
            " AND e.review_status <> 'accepted' ORDER BY e.id LIMIT 6",
        )
    ]


def wait_until(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not after {timeout}s")


def test_evidence_uploaded_through_one_node_is_downloaded_through_the_other(nodes, record_property):
    base, upstream, url = nodes["base"], nodes["upstream"], nodes["url"]
    school = login(base, "school", node="a")
    execution = school_executions(url)[0]
    content = tiny_pdf("evidence through node A")
    r = post(
        school,
        f"{base}/executions/{execution}/report/",
        data={"comment": "Приказ по школе", "action": "start"},
        files={"files": ("Приказ ОО № 12.pdf", content, "application/pdf")},
    )
    assert r.status_code == 302 and r.headers["X-Upstream"] == upstream["a"], (r.status_code, r.text[:500])
    evidence = query(
        url, "SELECT id FROM activities_evidence WHERE execution_id = %s ORDER BY id DESC LIMIT 1", execution
    )[0][0]

    coordinator = login(base, "coordinator", node="b")
    download = coordinator.get(f"{base}/evidence/{evidence}/", timeout=30)
    assert download.status_code == 200 and download.headers["X-Upstream"] == upstream["b"]
    assert download.content == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    # It went through the shared bucket: there, and on neither node's own disk.
    assert content in bucket_objects(nodes["s3"]).values()
    assert not any(p.is_file() for node in ("a", "b") for p in (nodes["tmp"] / f"media-{node}").rglob("*"))

    # The school's session, made on node A, holds on node B (cached_db: Redis, then the database).
    school.headers["X-Test-Node"] = "b"
    tasks = school.get(f"{base}/tasks/", allow_redirects=False, timeout=30)
    assert tasks.status_code == 200 and tasks.headers["X-Upstream"] == upstream["b"]
    record_property("two_nodes_evidence_bytes_a_to_b", len(content))


def test_each_job_runs_once_on_one_of_the_two_workers(nodes, record_property):
    base, url, tmp = nodes["base"], nodes["url"], nodes["tmp"]
    query(url, "SELECT 1")
    # Wait for both workers (their heartbeats).
    wait_until(
        lambda: requests.get(f"{base}/health/", timeout=10).status_code == 200, timeout=60, what="health"
    )

    # PDF exports asked for through nginx (the pdf queue), each request's id carried by its job.
    plans = [
        r[0]
        for r in query(
            url,
            "SELECT p.id FROM activities_plan p JOIN schools_organization o ON o.id = p.owner_id"
            " WHERE o.code = 'inta' AND p.status = 'approved' ORDER BY p.id",
        )
    ]
    assert plans
    request_ids = []
    for who in ("head", "coordinator"):
        session = login(base, who)
        for plan in plans[:2]:
            r = post(session, f"{base}/plans/{plan}/progress.pdf")
            assert r.status_code == 302 and "/exports/" in r.headers["Location"], r.status_code
            request_ids.append(r.headers["X-Request-ID"])
    # Pings asked for by the shell of node B, in one transaction.
    manage(
        nodes["env"]["b"],
        "shell",
        "-c",
        "from django.db import transaction; from vprplan import jobs\n"
        f"with transaction.atomic():\n    [jobs.enqueue('vprplan.ping', str(i)) for i in range({PING_JOBS})]",
    )
    wait_until(
        lambda: not query(url, "SELECT 1 FROM vprplan_job WHERE status <> 'done' LIMIT 1"),
        timeout=90,
        what="every job done",
    )
    rows = query(url, "SELECT id::text, task, runs, request_id FROM vprplan_job")
    assert all(runs == 1 for _, _, runs, _ in rows), [r for r in rows if r[2] != 1]
    pings = [r for r in rows if r[1] == "vprplan.ping"]
    exports = [r for r in rows if r[1] == "reports.render_export"]
    assert len(pings) == PING_JOBS and exports
    assert {r[3] for r in exports} <= set(request_ids)

    # Which worker ran which job: each job started exactly once in all the workers' logs together.
    started: dict[str, list[str]] = {}
    lines_with_request_id = 0
    for node in ("a", "b"):
        for line in (tmp / f"worker-{node}.log").read_text(errors="replace").splitlines():
            match = re.search(r'"message": "Job ([0-9a-f-]{36}) \(([^)]+)\) started"', line)
            if match:
                started.setdefault(match.group(1), []).append(node)
                if any(f'"request_id": "{rid}"' in line for rid in request_ids):
                    lines_with_request_id += 1
    job_ids = {r[0] for r in rows}
    assert set(started) == job_ids and all(len(n) == 1 for n in started.values())
    per_node = {node: sum(1 for n in started.values() if n == [node]) for node in ("a", "b")}
    assert per_node["a"] > 0 and per_node["b"] > 0, per_node
    assert lines_with_request_id == len(exports)
    record_property("two_nodes_jobs_enqueued", len(rows))
    record_property("two_nodes_jobs_run_once", sum(1 for n in started.values() if len(n) == 1))
    record_property("two_nodes_jobs_per_worker", f"a={per_node['a']} b={per_node['b']}")


def test_each_node_answers_prometheus_and_nginx_hides_it(nodes, record_property):
    base, upstream = nodes["base"], nodes["upstream"]
    assert requests.get(f"{base}/metrics", timeout=10).status_code == 403  # nginx: deny all
    for _ in range(6):  # some requests for both gunicorn workers of node A
        requests.get(f"{base}/accounts/login/", headers={"X-Test-Node": "a"}, timeout=10)
    r = requests.get(f"http://{upstream['a']}/metrics", timeout=10)  # Prometheus, from loopback
    assert r.status_code == 200
    found = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    served = sum(v for (name, _), v in found.items() if name == "django_http_requests_total_by_method_total")
    assert served >= 6
    assert found[("vprplan_workers_alive", (("queue", "pdf"),))] == 2
    assert found[("vprplan_metrics_source_up", (("source", "database"),))] == 1
    assert ("vprplan_job_queue_oldest_age_seconds", (("queue", "pdf"), ("status", "pending"))) in found
    record_property("two_nodes_metrics_requests_counted_on_node_a", int(served))


@dataclass
class Hit:
    who: str
    started: float
    ended: float
    status: int | None
    upstream: str

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 500


def load(base: str, who: str, session: requests.Session, executions: list[int], stop, hits: list) -> None:
    pages = (
        ["/", "/tasks/", "/notifications/"]
        if who in ("school", "specialist")
        else ["/", "/tasks/", "/progress/"]
    )
    i = 0
    while not stop.is_set():
        i += 1
        started = time.monotonic()
        try:
            if who == "school" and i % 3 == 0:
                r = post(session, f"{base}/executions/{executions[i % len(executions)]}/report/",
                         data={"comment": f"нагрузка {i}", "action": "start"})  # fmt: skip
            else:
                r = session.get(base + pages[i % len(pages)], allow_redirects=False, timeout=30)
            status, upstream = r.status_code, r.headers.get("X-Upstream", "")
        except requests.RequestException:
            status, upstream = None, ""
        hits.append(Hit(who, started, time.monotonic(), status, upstream))


def test_a_node_killed_under_load_and_requests_go_on_through_the_other(nodes, record_property):
    base, upstream, processes = nodes["base"], nodes["upstream"], nodes["processes"]
    executions = school_executions(nodes["url"])
    sessions = [(who, login(base, who)) for who in LOAD_USERS]
    hits: list[Hit] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=load, args=(base, who, s, executions, stop, hits), daemon=True)
        for who, s in sessions
    ]
    for t in threads:
        t.start()
    time.sleep(LOAD_BEFORE_KILL)
    killed_at = time.monotonic()
    kill_group(processes["web-b"])  # node B: its web server and its worker, SIGKILL
    kill_group(processes["worker-b"])
    gone_at = time.monotonic()  # B's processes are reaped: nothing of it answers any more
    time.sleep(LOAD_AFTER_KILL)
    stop.set()
    for t in threads:
        t.join(40)

    # In flight: the requests that nginx had given to B while B was dying. A POST (never passed on:
    # it may have run) sent on B's connection in the moment of the kill fails with 502, and nginx
    # takes B out at the first failure (max_fails=1); everything else goes on through A. A response
    # B had begun and did not finish reaches the client cut off: no status, and no X-Upstream header
    # to tell whose it was (seen once: started 0.04 s before the kill, ended 0.04 s after).
    dying = (killed_at, gone_at + KILL_SETTLES)
    before = [h for h in hits if h.ended < killed_at]
    in_flight = [
        h
        for h in hits
        if h.started <= dying[1] and h.ended >= dying[0] and (h.upstream == upstream["b"] or h.status is None)
    ]
    after = [h for h in hits if h.started > dying[1]]
    failed = [h for h in hits if not h.ok]
    assert {h.upstream for h in before} == {upstream["a"], upstream["b"]}, "the load did not reach both nodes"
    assert all(h.ok for h in before), [(h.who, h.status) for h in before if not h.ok]
    outside = [h for h in failed if h not in in_flight]
    assert not outside, [(h.who, h.status, h.upstream, h.started - killed_at) for h in outside]
    assert after and all(h.ok for h in after)
    late = [h for h in after if h.started > gone_at + 1]
    assert late and {h.upstream for h in late} == {upstream["a"]}
    health = requests.get(f"{base}/health/", timeout=10)
    assert health.status_code == 200, health.text  # node A's worker serves both queues
    # nginx passed the GETs cut off by the kill on to node A (proxy_next_upstream): «B, A» in its log.
    retried = sum(
        1
        for line in (nodes["tmp"] / "nginx-access.log").read_text().splitlines()
        if f"{upstream['b']}, " in line
    )
    record_property("two_nodes_requests", len(hits))
    record_property("two_nodes_requests_nginx_passed_on_to_node_a", retried)
    record_property("two_nodes_requests_in_flight_at_kill", len(in_flight))
    record_property("two_nodes_kill_took_s", round(gone_at - killed_at, 2))
    record_property("two_nodes_errors_during_kill", len(failed))
    record_property("two_nodes_requests_after_kill_all_ok", len(after))
