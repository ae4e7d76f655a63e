"""`/health/` for load balancers and monitoring: 200 when every check passes, 503 otherwise.

The answer names the checks and says ok or fail for each, nothing else: no host names, versions,
timings or error messages (those go to the log, at WARNING). Checks:

- database: a `SELECT 1` through the connection pool (waits at most DATABASE_POOL_TIMEOUT);
- redis: a PING to the cache's Redis and the broker's (with REDIS_URL; absent otherwise);
- storage: a tiny probe written, read back and deleted through `default_storage` (the local disk or
  S3, whichever is configured);
- worker: every Celery queue has a live worker heartbeat (vprplan/heartbeat.py; only with a Redis
  broker: on the embedded defaults the jobs run in the web process, in the tests eagerly). HEALTH_WORKER_REQUIRED=false
  keeps the answer 200 without workers (the check is still listed);
- disk: at least HEALTH_DISK_MIN_FREE_MB free where uploads land (MEDIA_ROOT and the temporary
  directory).

The view is anonymous and touches neither the session nor the user (no Set-Cookie, no audit line,
no idle-timeout bookkeeping), has no rate limit and is exempt from the HTTPS redirect, so a load
balancer may probe each node over plain HTTP. Its Host header must still be in ALLOWED_HOSTS.
"""

import logging
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from vprplan import heartbeat
from vprplan.queues import queue_names

log = logging.getLogger(__name__)

PROBE = b"vprplan health probe"
TIMEOUT = 1.0  # seconds for each Redis call

_clients: dict[str, redis.Redis] = {}


def _redis(url: str) -> redis.Redis:
    if url not in _clients:
        _clients[url] = heartbeat.client(url, timeout=TIMEOUT)
    return _clients[url]


def workers_expected() -> bool:
    """Jobs go to Celery workers through a Redis broker (not run in-process, nor eagerly in tests)."""
    return bool(heartbeat.broker_redis_url()) and not settings.CELERY_TASK_ALWAYS_EAGER


def redis_urls() -> list[str]:
    """The Redis servers this process uses: the cache's and the broker's."""
    cache = settings.CACHES["default"]
    urls = [cache.get("LOCATION", "") if "redis" in cache["BACKEND"].lower() else ""]
    if workers_expected():
        urls.append(heartbeat.broker_redis_url())
    return list(
        dict.fromkeys(u for u in urls if isinstance(u, str) and u.startswith(("redis://", "rediss://")))
    )


def check_database() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_redis() -> bool:
    return all(_redis(url).ping() for url in redis_urls())


def check_storage() -> bool:
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with default_storage.open(name, "rb") as f:
            return f.read() == PROBE
    finally:
        default_storage.delete(name)


def check_worker() -> bool:
    workers = heartbeat.live_workers(_redis(heartbeat.broker_redis_url()))
    served = {q for queues in workers.values() for q in queues}
    return bool(workers) and set(queue_names()) <= served


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> bool:
    least = settings.HEALTH_DISK_MIN_FREE_MB * 1024 * 1024
    places = {_existing(Path(settings.MEDIA_ROOT)), Path(tempfile.gettempdir())}
    return all(shutil.disk_usage(p).free >= least for p in places)


def checks() -> dict[str, Callable[[], bool]]:
    """The checks that apply to this configuration, by name."""
    found = {"database": check_database}
    if redis_urls():
        found["redis"] = check_redis
    found["storage"] = check_storage
    if workers_expected():
        found["worker"] = check_worker
    found["disk"] = check_disk
    return found


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in checks().items():
        try:
            results[name] = bool(check())
        except Exception as exc:  # any failure is a «fail»; the reason goes to the log only
            log.warning("Health check %s failed: %s", name, type(exc).__name__)
            results[name] = False
        if not results[name]:
            log.warning("Health check %s: fail", name)
    return results


def counts_for_status(name: str) -> bool:
    return name != "worker" or settings.HEALTH_WORKER_REQUIRED


@never_cache
@require_safe
def health(request):
    results = run_checks()
    healthy = all(ok for name, ok in results.items() if counts_for_status(name))
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {name: "ok" if ok else "fail" for name, ok in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
