"""Throw-away servers for the fault tests, so that stopping them never touches the machine's
shared PostgreSQL and Redis: a redis-server and a PostgreSQL cluster of our own, on free ports."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from tests.ports import free_port, wait_port

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Redis:
    """A redis-server of our own (no persistence), stopped and started on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_port(self.port, up=False)


class Postgres:
    """A PostgreSQL 15 cluster in a temporary folder, run as the postgres user (trust auth)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="vprplan-pg-"))
        self.data = self.dir / "data"
        shutil.chown(self.dir, "postgres", "postgres")
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def _pg(self, tool: str, *args: str) -> None:
        command = [str(PG_BIN / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    def ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-t", "60", *extra, action)

    def start(self) -> None:
        self.ctl("start", "-l", str(self.dir / "log"))

    def createdb(self, name: str) -> None:
        self._pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), name)

    def destroy(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def worker(env: dict, *, log: Path, slow_render: float = 0) -> subprocess.Popen:
    """A real Celery worker (`celery -A vprplan worker --pool=solo`) in its own process; with
    `slow_render` it stops that many seconds after rendering an order's PDF, before signing it,
    so that a test can kill it in the middle of the job (tests/reliability/slow_worker.py)."""
    command = [sys.executable, "-m", "tests.reliability.slow_worker", str(slow_render)]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if process.poll() is None:
        os.kill(process.pid, sig)
        process.wait(30)


def manage(env: dict, *args: str, timeout: float = 300) -> str:
    """`python manage.py …` in a process of its own, with `env`; its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def production_env(database_url: str, media: Path) -> dict:
    """The production settings (DEBUG=false), over plain HTTP on loopback, on `database_url`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.settings_load",
        "DEBUG": "false",
        "SECRET_KEY": "reliability-tests-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "SIGNING_PKCS12_DIR": str(media.parent / "keys"),  # the keys stay out of MEDIA_ROOT
        "REDIS_URL": "",
        "SITE_URL": "https://vpr.example.ru",  # DEBUG off needs a public one (vprplan.checks)
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "ERROR",
    }


def gunicorn(env: dict, *, port: int, log: Path, access_log: Path, workers: int = 2) -> subprocess.Popen:
    """gunicorn on loopback; its access log has «status seconds method path» per request, the time
    the app took on it (without the wait in the listen queue)."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")), "vprplan.wsgi", "-w", str(workers),
        "-b", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
        "--access-logfile", str(access_log), "--access-logformat", "%(s)s %(L)s %(m)s %(U)s",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )
    wait_port(port, timeout=60)
    return process


def site_login(base: str, username: str, *, password: str, node: str | None = None):
    """A requests session logged in through the login form of the site at `base` (with
    `X-Test-Node` when a test proxy should send it to one node)."""
    s = requests.Session()
    if node:
        s.headers["X-Test-Node"] = node
    s.get(f"{base}/accounts/login/", timeout=30)
    r = s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 302, f"{username} could not log in: {r.status_code}"
    return s
