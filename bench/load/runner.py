"""The load run (`manage.py bench --load`): a fresh PostgreSQL database with the demo and a synthetic
region, gunicorn on a free loopback port, then in one run the anchor (a static file through the same
gunicorn, by the same locust client: what the server and the client cost without the app) and the
mixed flow of every role (bench.load.locustfile) for the duration. Afterwards every write
the server acknowledged is looked up in the database: nothing may be lost.

The server runs as production does (DEBUG off, collected static files, psycopg's pool), with plain
http on loopback (no HTTPS redirect, no secure-only cookies) and no broker: jobs run in-process
unless a Redis URL is given. Every process is started in this process's group and stopped on the
way out, also on SIGTERM.
"""

import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
from django.conf import settings

from activities.models import Execution
from bench.harness import machine
from vprplan.models import AuditEvent

BASE_DIR = Path(settings.BASE_DIR)
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/vprplan_load"
ROLE_CLASSES = {
    "school": "SchoolCoordinator",
    "coordinator": "MunicipalCoordinator",
    "head": "Head",
    "specialist": "Specialist",
    "observer": "Observer",
    "admin": "RegionalAdmin",
    "public": "PublicReader",
}
ANCHOR_URL = "/static/css/app.css"
ANCHOR_NAME = "static file through the same gunicorn (whitenoise, no view, no query)"
SETTINGS_SHIM = '''"""Written by bench.load.runner: the app's settings with this run's static and media."""
from pathlib import Path

from vprplan.settings import *  # noqa: F403

STATIC_ROOT = Path({run_dir!r}) / "staticfiles"
MEDIA_ROOT = Path({run_dir!r}) / "media"
SIGNING_PKCS12_DIR = Path({run_dir!r}) / "keys"
# The bench URLconf: the app's URLs plus the ceilings and the floor view the Django anchor reads.
ROOT_URLCONF = "bench.urls"
'''
DJANGO_ANCHOR_URL = "/__bench__/floor/"
DJANGO_ANCHOR_NAME = "minimal Django view reading request.user, full middleware, logged in"
ANCHOR_LOCUSTFILE = """import itertools, json, os

from locust import FastHttpUser, constant, task

SESSIONS = json.loads(open(os.environ["LOAD_IDS"], encoding="utf-8").read())["sessions"]
_slot = itertools.count()


class StaticAnchor(FastHttpUser):
    wait_time = constant(0)

    @task
    def static(self):
        with self.client.get({url!r}, name="anchor: static", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {{r.status_code}}")


class DjangoAnchor(FastHttpUser):
    \"\"\"The floor view with a logged-in session made beforehand (prepare.anchor_sessions): the
    session, the user and every middleware, and no login in the figures.\"\"\"

    wait_time = constant(0)

    def on_start(self):
        session = SESSIONS[next(_slot) % len(SESSIONS)]
        self.cookie = {{"Cookie": f"{{session['cookie']}}={{session['key']}}"}}
        self.expect = "user:" + session["username"]

    @task
    def floor(self):
        with self.client.get({django_url!r}, name="anchor: django", headers=self.cookie, catch_response=True) as r:
            if r.status_code != 200 or (r.text or "") != self.expect:
                r.failure(f"HTTP {{r.status_code}}: {{(r.text or '')[:80]!r}}")
"""


def think_time(value: str) -> str:
    """`--think`: «0» (closed loop), «2» (constant) or «1,5» (uniform between) → «min,max»."""
    parts = [float(x) for x in str(value).replace(" ", "").split(",") if x != ""]
    if not parts or len(parts) > 2 or any(x < 0 for x in parts) or parts[0] > parts[-1]:
        raise ValueError(f"think time «{value}»: expected 0, S or MIN,MAX seconds")
    return f"{parts[0]:g},{parts[-1]:g}"


class LoadError(Exception):
    """The run could not be made (setup, server start); not a measured failure."""


@dataclass
class LoadConfig:
    duration: int = 300
    users: int = 30
    spawn_rate: float = 1.0
    workers: int = 0  # 0: 2 × cores + 1
    schools: int = 100
    years: int = 1
    anchor_seconds: int = 10
    anchor_users: int = 8
    wait: str = "1,5"  # think time between a user's pages, seconds (min,max); "0,0": closed loop
    # Capacity mode: the flow without think time at each of these numbers of users, each step
    # followed by both anchors at the same number of users (step_seconds each, anchors a third).
    steps: tuple[int, ...] = ()
    step_seconds: int = 30
    warmup_seconds: int = 10  # capacity mode: the flow at the last step's users first, not counted
    database_url: str = ""
    redis_url: str = ""
    directory: Path = field(default_factory=lambda: BASE_DIR / "bench-results" / "load")

    def __post_init__(self):
        if not self.workers:
            self.workers = 2 * (os.cpu_count() or 1) + 1
        self.directory = Path(self.directory)
        self.wait = think_time(self.wait)
        self.steps = tuple(int(n) for n in self.steps)


def load_database_url(explicit: str = "") -> str:
    """The load run's own database: the one given, else beside DATABASE_URL's with the suffix
    `_load` (never the working database itself), else vprplan_load on the local server."""
    if explicit:
        return explicit
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        base, _, name = current.rpartition("/")
        name = name.split("?")[0]
        return f"{base}/{name if name.endswith('_load') else name + '_load'}"
    return DEFAULT_URL


def _split(url: str) -> tuple[str, str]:
    """(the server's maintenance database URL, the database name)."""
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    return f"{base}/postgres", name


def recreate_database(url: str) -> None:
    maintenance, name = _split(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        quoted = '"' + name.replace('"', '""') + '"'
        conn.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {quoted}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(config: LoadConfig, run_dir: Path, database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "DATABASE_URL": database_url,
            "SITE_URL": "https://vpr.example.ru",  # DEBUG off needs a public one (vprplan.checks)
            # Empty is unset for vprplan.settings: no broker means jobs run in-process.
            "REDIS_URL": config.redis_url,
            "CELERY_BROKER_URL": config.redis_url,
            "DJANGO_SETTINGS_MODULE": "vprplan_load_settings",
            "PYTHONPATH": os.pathsep.join([str(run_dir), str(BASE_DIR)]),
            "LOG_LEVEL": "WARNING",
        }
    )
    if config.steps:
        # Closed loop: every simulated reader comes from 127.0.0.1 without pausing, far past the
        # per-address limits of the public pages (60 a minute) that real readers, each from his
        # own address, never reach. The limits stay on in the paced load run.
        env["RATELIMIT_ENABLE"] = "false"
    env.pop("CI", None)  # the server is not a test run
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _run(args: list, *, env: dict, log: Path, timeout: float, what: str) -> None:
    with open(log, "ab") as out:
        result = subprocess.run(
            args, env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise LoadError(f"{what} failed (exit {result.returncode}); {log}:\n{tail}")


@contextmanager
def _process(args: list, *, env: dict, log: Path):
    """A child process stopped on the way out: SIGTERM, then SIGKILL after 15 s."""
    out = open(log, "ab")
    proc = subprocess.Popen(args, env=env, cwd=BASE_DIR, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        out.close()


def _wait_until_up(url: str, proc, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LoadError(f"gunicorn exited at start (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise LoadError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def _locust(args: list, *, env: dict, log: Path, timeout: float) -> int:
    with _process([sys.executable, "-m", "locust", *args], env=env, log=log) as proc:
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired as e:
            raise LoadError(f"locust did not finish within {timeout:.0f} s; {log}") from e


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    """Locust's CSV: a row per endpoint (and «Aggregated»), and the failures by endpoint."""

    def num(value: str) -> float:
        try:
            return float(value)
        except (TypeError, ValueError):
            return 0.0

    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append(
                {
                    "method": r["Type"],
                    "name": r["Name"],
                    "requests": int(num(r["Request Count"])),
                    "failures": int(num(r["Failure Count"])),
                    "median_ms": num(r["Median Response Time"]),
                    "avg_ms": round(num(r["Average Response Time"]), 1),
                    "p95_ms": num(r["95%"]),
                    "p99_ms": num(r["99%"]),
                    "max_ms": round(num(r["Max Response Time"]), 1),
                    "rps": round(num(r["Requests/s"]), 2),
                }
            )
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with open(path, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                failures.append(
                    {
                        "method": r["Method"],
                        "name": r["Name"],
                        "error": r["Error"],
                        "occurrences": int(num(r["Occurrences"])),
                    }
                )
    return rows, failures


def check_writes(database_url: str, writes: list[dict]) -> dict:
    """Every acknowledged write is in the audit log, and each execution keeps its last comment."""
    comments = [w["comment"] for w in writes]
    last: dict[int, str] = {}
    for w in writes:
        last[w["execution"]] = w["comment"]
    with psycopg.connect(database_url) as conn:
        audited = {
            row[0]
            for row in conn.execute(
                f"SELECT data->>'comment' FROM {AuditEvent._meta.db_table} WHERE data->>'comment' = ANY(%s)",
                [comments],
            )
        }
        stored = dict(
            conn.execute(
                f"SELECT id, comment FROM {Execution._meta.db_table} WHERE id = ANY(%s)", [list(last)]
            ).fetchall()
        )
    missing = [c for c in comments if c not in audited]
    overwritten = [pk for pk, c in last.items() if stored.get(pk) != c]
    return {
        "acknowledged": len(comments),
        "executions": len(last),
        "missing_from_audit": len(missing),
        "last_comment_lost": len(overwritten),
        "examples": (missing + [f"execution {pk}" for pk in overwritten])[:5],
    }


def _install_sigterm():
    """SIGTERM ends the run through the `finally` blocks, so no child is left behind."""

    def stop(signum, frame):
        raise SystemExit(143)

    try:
        return signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        return None


def run(config: LoadConfig, *, log=print) -> dict:
    started = time.perf_counter()
    run_dir = config.directory.resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    for old in run_dir.glob("*.csv"):
        old.unlink()
    (run_dir / "vprplan_load_settings.py").write_text(
        SETTINGS_SHIM.format(run_dir=str(run_dir)), encoding="utf-8"
    )
    (run_dir / "anchor_locustfile.py").write_text(
        ANCHOR_LOCUSTFILE.format(url=ANCHOR_URL, django_url=DJANGO_ANCHOR_URL), encoding="utf-8"
    )
    database_url = load_database_url(config.database_url)
    env = server_env(config, run_dir, database_url)
    python = sys.executable
    ids_path = run_dir / "ids.json"
    for old in run_dir.glob("*.writes.json"):
        old.unlink()

    _, db_name = _split(database_url)
    setup_started = time.perf_counter()
    recreate_database(database_url)
    log(f"Load database {db_name}: created; migrating, seeding the demo and {config.schools} schools …")
    boot = (
        "import sys, django; django.setup(); from bench.load.prepare import main; main(sys.argv[1:])"
    )
    for step in ("fill", "collect"):
        _run(
            [python, "-c", boot, step, str(ids_path)]
            + (["--schools", str(config.schools), "--years", str(config.years)] if step == "fill" else []),
            env=env,
            log=run_dir / "prepare.log",
            timeout=600,
            what=f"preparing the database ({step})",
        )
    _run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        log=run_dir / "prepare.log",
        timeout=300,
        what="collectstatic",
    )
    ids = json.loads(ids_path.read_text(encoding="utf-8"))
    setup_s = round(time.perf_counter() - setup_started, 1)
    log(f"Data ready in {setup_s} s: {ids['rows']['users']} users, {ids['rows']['executions']} executions")

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    previous = _install_sigterm()
    steps: list[dict] = []
    try:
        with ExitStack() as stack:
            gunicorn = stack.enter_context(
                _process(
                    [
                        python,
                        "-m",
                        "gunicorn",
                        "vprplan.wsgi",
                        *("-w", str(config.workers), "-b", f"127.0.0.1:{port}"),
                        *("--timeout", "60", "--graceful-timeout", "10"),
                    ],
                    env=env,
                    log=run_dir / "gunicorn.log",
                )
            )
            _wait_until_up(f"{host}/accounts/login/", gunicorn)
            log(f"gunicorn: {config.workers} workers on {host} (pid {gunicorn.pid})")

            locust_env = {**env, "LOAD_IDS": str(ids_path), "LOAD_WAIT": config.wait}
            common = ["--headless", "--only-summary", "--host", host, "--stop-timeout", "10"]

            def measure(name: str, locustfile: Path, classes: list[str], users: int, seconds: int) -> dict:
                """One locust run against the server: its totals, endpoints and failures, with the
                CPU the server (gunicorn's processes) and the client (locust) spent on it."""
                server_cpu, db_cpu = tree_cpu_s(gunicorn.pid), database_cpu_s(db_name)
                client_cpu = os.times()
                step_env = {**locust_env, "LOAD_WRITES": str(run_dir / f"{name}.writes.json")}
                started = time.perf_counter()
                _locust(
                    [
                        "-f",
                        str(locustfile),
                        *common,
                        *("-u", str(users), "-r", str(config.spawn_rate if name == "load" else users)),
                        *("--run-time", f"{seconds}s", "--csv", str(run_dir / name)),
                        *classes,
                    ],
                    env=step_env,
                    log=run_dir / f"locust-{name}.log",
                    timeout=seconds + 180,
                )
                wall = time.perf_counter() - started
                after = os.times()
                rows, failures = read_stats(run_dir / name)
                total = next(r for r in rows if r["name"] == "Aggregated")
                requests = max(total["requests"], 1)
                return {
                    "users": users,
                    "seconds": seconds,
                    "total": total,
                    "endpoints": [r for r in rows if r["name"] != "Aggregated"],
                    "failures": failures,
                    "server_cpu_ms_per_request": round(
                        (tree_cpu_s(gunicorn.pid) - server_cpu) * 1000 / requests, 2
                    ),
                    "database_cpu_ms_per_request": round(
                        (database_cpu_s(db_name) - db_cpu) * 1000 / requests, 2
                    ),
                    "client_cpu_share": round(
                        (
                            after.children_user
                            + after.children_system
                            - client_cpu.children_user
                            - client_cpu.children_system
                        )
                        / wall,
                        2,
                    ),
                }

            anchor_file = run_dir / "anchor_locustfile.py"
            measuring_started = time.perf_counter()
            flow_classes = list(ROLE_CLASSES.values())
            if config.steps:
                if config.warmup_seconds:
                    log(
                        f"Warm-up: the flow at {config.steps[-1]} users, {config.warmup_seconds} s (not counted)"
                    )
                    measure("warmup", LOCUSTFILE, flow_classes, config.steps[-1], config.warmup_seconds)
                for n in config.steps:
                    log(
                        f"Capacity step: {n} users, no think time, {config.step_seconds} s, then both anchors"
                    )
                    step = {"users": n}
                    step["flow"] = measure(f"step{n}", LOCUSTFILE, flow_classes, n, config.step_seconds)
                    anchor_s = max(5, config.step_seconds // 3)
                    step["static"] = measure(f"step{n}-static", anchor_file, ["StaticAnchor"], n, anchor_s)
                    step["django"] = measure(f"step{n}-django", anchor_file, ["DjangoAnchor"], n, anchor_s)
                    steps.append(step)
                    log(step_line(step))
                flow = steps[-1]["flow"]
                static, floor = steps[-1]["static"], steps[-1]["django"]
            else:
                log(
                    f"Anchors: {ANCHOR_URL} and {DJANGO_ANCHOR_URL}, {config.anchor_users} users, no think time"
                )
                a = config.anchor_users
                static = measure("anchor", anchor_file, ["StaticAnchor"], a, config.anchor_seconds)
                floor = measure("anchor-django", anchor_file, ["DjangoAnchor"], a, config.anchor_seconds)
                log(f"Load: {config.users} users (every role), +{config.spawn_rate:g}/s, {config.duration} s")
                flow = measure("load", LOCUSTFILE, flow_classes, config.users, config.duration)
            ran_s = round(time.perf_counter() - measuring_started, 1)
            server_alive = gunicorn.poll() is None
            pids = {"gunicorn": gunicorn.pid}
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

    writes = []
    for path in sorted(run_dir.glob("*.writes.json"), key=lambda p: p.stat().st_mtime):
        writes += json.loads(path.read_text(encoding="utf-8"))
    lost = check_writes(database_url, writes)
    measured = [s["flow"] for s in steps] or [flow]
    failures = [f for m in measured for f in m["failures"]]
    by_role: dict[str, int] = {role: 0 for role in ROLE_CLASSES}
    for m in measured:
        for r in m["endpoints"]:
            role = r["name"].split(":", 1)[0]
            by_role[role] = by_role.get(role, 0) + r["requests"]
    flow_failures = sum(m["total"]["failures"] for m in measured)
    return {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine_info(database_url),
        "config": {**asdict(config), "directory": str(config.directory)},
        "mode": "capacity" if steps else "load",
        "database": db_name,
        "broker": config.redis_url or "none (jobs in-process)",
        "setup_s": setup_s,
        "ran_s": ran_s,
        "took_s": round(time.perf_counter() - started, 1),
        "rows": ids["rows"],
        "accounts": {role: len(a) for role, a in ids["accounts"].items()},
        "total": flow["total"],
        "server_cpu_ms_per_request": flow["server_cpu_ms_per_request"],
        "database_cpu_ms_per_request": flow["database_cpu_ms_per_request"],
        "client_cpu_share": flow["client_cpu_share"],
        "errors": flow_failures + lost["missing_from_audit"] + lost["last_comment_lost"],
        "failures": failures,
        "by_role": by_role,
        "endpoints": flow["endpoints"],
        "anchor": _anchor(static, ANCHOR_NAME, ANCHOR_URL),
        "anchor_django": _anchor(floor, DJANGO_ANCHOR_NAME, DJANGO_ANCHOR_URL),
        "capacity": [
            {
                "users": s["users"],
                "flow": _figures(s["flow"]),
                "static": _figures(s["static"]),
                "django": _figures(s["django"]),
            }
            for s in steps
        ],
        "writes": lost,
        "server_alive_at_end": server_alive,
        "pids": pids,
    }


def _anchor(m: dict, name: str, url: str) -> dict:
    return {
        **m["total"],
        "name": name,
        "url": url,
        "users": m["users"],
        "seconds": m["seconds"],
        "failures_list": m["failures"],
        "server_cpu_ms_per_request": m["server_cpu_ms_per_request"],
    }


def _figures(m: dict) -> dict:
    t = m["total"]
    return {
        "requests": t["requests"],
        "rps": t["rps"],
        "p50_ms": t["median_ms"],
        "p95_ms": t["p95_ms"],
        "p99_ms": t["p99_ms"],
        "errors": t["failures"],
        "seconds": m["seconds"],
        "server_cpu_ms_per_request": m["server_cpu_ms_per_request"],
        "database_cpu_ms_per_request": m["database_cpu_ms_per_request"],
        "client_cpu_share": m["client_cpu_share"],
    }


def step_line(step: dict) -> str:
    f, a, d = step["flow"]["total"], step["static"]["total"], step["django"]["total"]
    return (
        f"{step['users']} users: flow {f['rps']:.1f} req/s, p50 {_ms(f['median_ms'])} / p95 {_ms(f['p95_ms'])} / "
        f"p99 {_ms(f['p99_ms'])} ms, errors {f['failures']}; static {a['rps']:.0f} req/s; "
        f"django floor {d['rps']:.0f} req/s"
    )


def _processes() -> list[tuple[int, list[str]]]:
    """(pid, the fields of /proc/<pid>/stat after the name) of every process; [] without /proc."""
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                found.append((int(entry), f.read().rsplit(")", 1)[1].split()))
        except OSError:
            continue
    return found


def _cpu_s(fields: list[str]) -> float:
    """User + system CPU seconds: utime and stime, the 14th and 15th fields of the stat line."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    return (int(fields[11]) + int(fields[12])) / tick


def tree_cpu_s(pid: int) -> float:
    """CPU seconds of a process and its live children (gunicorn's workers), from /proc."""
    return sum(_cpu_s(fields) for entry, fields in _processes() if entry == pid or int(fields[1]) == pid)


def database_cpu_s(db_name: str) -> float:
    """CPU seconds of the PostgreSQL backends serving `db_name` on this machine (their process
    titles name the database; psycopg's pool keeps them for the whole run), from /proc."""
    wanted = f" {db_name} ".encode()
    total = 0.0
    for entry, fields in _processes():
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                title = f.read()
        except OSError:
            continue
        if title.startswith(b"postgres:") and wanted in title:
            total += _cpu_s(fields)
    return total


def machine_info(database_url: str) -> dict:
    info = machine()
    try:
        with psycopg.connect(database_url) as conn:
            version = conn.info.server_version
        info["database"] = f"PostgreSQL {version // 10000}.{version % 10000}"
    except psycopg.Error:
        pass
    return info


def _ms(value: float) -> str:
    return f"{value:.0f}"


def table(report: dict) -> str:
    """Per endpoint (role: page) as a Markdown table, then the totals, the anchor and the writes."""
    lines = [
        "| endpoint | requests | failures | median, ms | p95, ms | p99, ms | max, ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(report["endpoints"], key=lambda r: r["name"]):
        lines.append(
            f"| {r['method']} {r['name']} | {r['requests']} | {r['failures']} | {_ms(r['median_ms'])} | "
            f"{_ms(r['p95_ms'])} | {_ms(r['p99_ms'])} | {_ms(r['max_ms'])} | {r['rps']:.2f} |"
        )
    t = report["total"]
    lines.append(
        f"| **all** | {t['requests']} | {t['failures']} | {_ms(t['median_ms'])} | {_ms(t['p95_ms'])} | "
        f"{_ms(t['p99_ms'])} | {_ms(t['max_ms'])} | {t['rps']:.2f} |"
    )
    for a in (report["anchor"], report["anchor_django"]):
        lines.append(
            f"| anchor: {a['name']} | {a['requests']} | {a['failures']} | {_ms(a['median_ms'])} | "
            f"{_ms(a['p95_ms'])} | {_ms(a['p99_ms'])} | {_ms(a['max_ms'])} | {a['rps']:.2f} |"
        )
    if report.get("capacity"):
        lines += ["", capacity_table(report)]
    return "\n".join(lines)


def capacity_table(report: dict) -> str:
    """A row per step: the mixed flow closed-loop beside both anchors at the same number of users."""
    lines = [
        "| users | flow req/s | p50, ms | p95, ms | p99, ms | errors | CPU ms/req: app | database | "
        "static req/s | static p95, ms | Django floor req/s | floor p95, ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in report["capacity"]:
        f, a, d = step["flow"], step["static"], step["django"]
        lines.append(
            f"| {step['users']} | {f['rps']:.1f} | {_ms(f['p50_ms'])} | {_ms(f['p95_ms'])} | "
            f"{_ms(f['p99_ms'])} | {f['errors']} | {f['server_cpu_ms_per_request']:.1f} | "
            f"{f['database_cpu_ms_per_request']:.1f} | "
            f"{a['rps']:.0f} | {_ms(a['p95_ms'])} | {d['rps']:.0f} | {_ms(d['p95_ms'])} |"
        )
    return "\n".join(lines)


def summary(report: dict) -> str:
    t, a, w, c, m = report["total"], report["anchor"], report["writes"], report["config"], report["machine"]
    roles = ", ".join(f"{role} {n}" for role, n in report["by_role"].items())
    errors = (
        ", ".join(f"{f['name']}: {f['error']} × {f['occurrences']}" for f in report["failures"]) or "none"
    )
    return "\n".join(
        [
            ("Load" if report["mode"] == "load" else f"Capacity, last step ({c['steps'][-1]} users)")
            + f": {t['requests']} requests, {t['rps']:.1f} req/s; "
            f"p50 {_ms(t['median_ms'])} ms, p95 {_ms(t['p95_ms'])} ms, p99 {_ms(t['p99_ms'])} ms; "
            f"errors {report['errors']} ({t['failures']} failed requests, "
            f"{w['missing_from_audit'] + w['last_comment_lost']} lost writes)",
            f"Errors by endpoint: {errors}",
            f"Requests by role: {roles}",
            f"Writes: {w['acknowledged']} reports with a comment acknowledged on {w['executions']} executions; "
            f"missing from the audit log {w['missing_from_audit']}, last comment not stored {w['last_comment_lost']}",
            *(
                f"Anchor ({x['name']}, {x['users']} users without think time, {x['seconds']} s): "
                f"{x['rps']:.1f} req/s, p50 {_ms(x['median_ms'])} ms, p95 {_ms(x['p95_ms'])} ms, "
                f"{x['failures']} failures, server CPU {x['server_cpu_ms_per_request']:.2f} ms per request"
                for x in (a, report["anchor_django"])
            ),
            f"CPU per request of the flow: {report['server_cpu_ms_per_request']:.1f} ms in gunicorn, "
            f"{report['database_cpu_ms_per_request']:.1f} ms in PostgreSQL; "
            f"locust used {report['client_cpu_share']:.0%} of a core",
            f"{c['users'] if report['mode'] == 'load' else 'steps of ' + ', '.join(map(str, c['steps']))} "
            f"simulated users (think time {c['wait']} s), gunicorn {c['workers']} sync workers, "
            f"{report['database']} ({report['rows']['users']} users, {report['rows']['executions']} executions), "
            f"broker {report['broker']}; setup {report['setup_s']} s; {m['nproc']} × {m['cpu']}, "
            f"Python {m['python']}, Django {m['django']}, {m['database']}; load average {m['load_average']}",
        ]
    )
