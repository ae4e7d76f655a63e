"""Shared pieces of the reliability tests: real PostgreSQL (DATABASE_URL) and threads that race."""

import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from tests.activities.conftest import approved, pdf_file  # noqa: F401  (fixtures for these tests)
from tests.conftest import require_service
from tests.observers.conftest import vpr  # noqa: F401  (fixture)
from tests.reliability.backups import admin, contents, files, on_server, script
from tests.reliability.servers import Redis, manage, production_env
from tests.reports.orders.conftest import authority, demo_pkcs12, signing, submitted_plan  # noqa: F401
from tests.vprplan.test_jobs import celery_broker  # noqa: F401  (fixture)


@pytest.fixture
def postgres():
    """This test needs PostgreSQL: row locks and real concurrency (SQLite locks the whole file)."""
    url = require_service("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.skip(f"DATABASE_URL is not PostgreSQL: {url.split(':', 1)[0]}")
    return url


def race(*calls: Callable[[], object], timeout: float = 30) -> list[object]:
    """Run each call in its own thread, all released at the same moment by a barrier; return each
    call's result or the exception it raised, in the order given. Each thread closes its own
    database connection when done."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = call()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c), name=f"race-{i}") for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), f"{t.name} still running after {timeout}s (a deadlock?)"
    return outcomes


@pytest.fixture
def own_redis():
    """A redis-server of this test's own, to stop and start at will."""
    server = Redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_backup(tmp_path_factory) -> dict:
    """The demo made once per run (migrate and seed_demo, in processes of their own, into a scratch
    database on DATABASE_URL's server, files into a scratch MEDIA_ROOT) and saved with bin/backup.
    The backup test restores it and compares; the restart test restores it into its own cluster.
    The scratch database is dropped once saved."""
    base = require_service("DATABASE_URL")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip("this test needs PostgreSQL (bin/backup is pg_dump)")
    tmp = tmp_path_factory.mktemp("demo-backup")
    name = f"vprplan_rel_demo_{uuid.uuid4().hex[:8]}"
    admin(base, "CREATE DATABASE {}", name)
    try:
        env = production_env(on_server(base, name), tmp / "media")
        manage(env, "migrate", "-v0")
        manage(env, "seed_demo")
        tables, sequences = contents(on_server(base, name))
        folder = Path(script("backup", env, str(tmp / "backups")).stdout.strip().splitlines()[-1])
    finally:
        admin(base, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
    return {
        "folder": folder,
        "tables": tables,
        "sequences": sequences,
        "files": files(tmp / "media"),
        "keys": files(tmp / "keys"),
        "base": base,
    }
