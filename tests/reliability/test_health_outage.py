"""/health/ under real outages (issue 20): gunicorn with the production settings on a PostgreSQL
cluster and a Redis of the test's own, and a real Celery worker writing its heartbeat. The answer
is 200; PostgreSQL stopped: 503 (database: fail) within the pool's wait; started again: 200 within
seconds. Redis stopped: 503 (redis and worker: fail); started again: 200 once the worker's next
heartbeat is written. The answer never holds more than ok/fail per check."""

import time

import pytest
import requests

from tests.reliability.ops import require_binary
from tests.reliability.servers import (
    PG_BIN,
    Postgres,
    Redis,
    free_port,
    gunicorn,
    kill,
    production_env,
    worker,
)

pytestmark = pytest.mark.services

CHECKS = {"database", "redis", "storage", "worker", "disk"}


def health(base: str) -> tuple[int | None, dict]:
    try:
        r = requests.get(f"{base}/health/", timeout=10)
    except requests.RequestException:
        return None, {}
    return r.status_code, r.json()


def wait_for(base: str, status: int, *, timeout: float, where=lambda body: True, steady: int = 1):
    """Seconds until /health/ answers `status` (with a body `where` accepts) `steady` times in a
    row, and that answer. Each gunicorn worker answers for itself: a worker whose database pool is
    still reconnecting answers «database: fail» a moment longer than the one that answered first."""
    started, in_row = time.monotonic(), 0
    while True:
        code, body = health(base)
        in_row = in_row + 1 if code == status and where(body) else 0
        if in_row >= steady:
            return time.monotonic() - started, body
        assert time.monotonic() - started < timeout, f"/health/ still {code} {body} after {timeout}s"
        time.sleep(0.2)


@pytest.fixture
def site(tmp_path):
    if not (PG_BIN / "initdb").exists():
        require_binary("initdb", package="postgresql-15")
    require_binary("redis-server", package="redis-server")
    cluster, redis_server, processes = Postgres(), Redis(), []
    try:
        cluster.start()
        cluster.createdb("vprplan_health")
        redis_server.start()
        env = {
            **production_env(cluster.url("vprplan_health"), tmp_path / "media"),
            "REDIS_URL": redis_server.url,
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_HEARTBEAT_TTL": "4",
            "HEALTH_DISK_MIN_FREE_MB": "1",
        }
        processes.append(worker(env, log=tmp_path / "worker.log"))
        port = free_port()
        processes.append(gunicorn(env, port=port, log=tmp_path / "gunicorn.log", access_log=tmp_path / "a.log"))
        yield {"base": f"http://127.0.0.1:{port}", "cluster": cluster, "redis": redis_server, "tmp": tmp_path}
    finally:
        for p in processes:
            kill(p, sig=15)
        redis_server.stop()
        cluster.destroy()


def test_health_fails_while_postgres_or_redis_is_down_and_recovers(site, record_property):
    base, cluster, redis_server = site["base"], site["cluster"], site["redis"]
    up, body = wait_for(base, 200, timeout=60)  # the worker's first heartbeat
    assert body == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}

    cluster.ctl("stop", "-m", "fast")
    to_fail, body = wait_for(base, 503, timeout=15)
    assert body["checks"]["database"] == "fail" and body["checks"]["redis"] == "ok"
    assert set(body) == {"status", "checks"} and set(body["checks"]) == CHECKS
    assert set(body["checks"].values()) <= {"ok", "fail"}  # no host, version or error text
    cluster.start()
    pg_back, _ = wait_for(base, 200, timeout=30)
    wait_for(base, 200, timeout=30, steady=6)  # every worker's pool is back

    redis_server.stop()
    redis_to_fail, body = wait_for(base, 503, timeout=15)
    assert body["checks"]["redis"] == "fail"
    _, body = wait_for(base, 503, timeout=15, where=lambda body: body["checks"]["redis"] == "fail", steady=4)
    assert body["checks"]["database"] == "ok"  # Redis's outage is Redis's alone
    redis_server.start()  # empty (no persistence): the worker writes its heartbeat again
    redis_back, body = wait_for(base, 200, timeout=60)
    assert body == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}

    record_property("health_503_after_postgres_stop_s", round(to_fail, 1))
    record_property("health_200_after_postgres_start_s", round(pg_back, 1))
    record_property("health_503_after_redis_stop_s", round(redis_to_fail, 1))
    record_property("health_200_after_redis_start_s", round(redis_back, 1))
