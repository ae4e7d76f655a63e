"""Worker heartbeats: each Celery worker keeps a key in the broker's Redis alive while it runs.

When a worker is ready it starts a thread that writes `vprplan:worker-heartbeat:<hostname>`
(the queues it consumes, as JSON) every WORKER_HEARTBEAT_SECONDS with a time to live of
WORKER_HEARTBEAT_TTL; at a clean shutdown it deletes the key. A worker killed outright leaves a key
that expires after the TTL. /health/ fails while some queue has no live worker, and /metrics counts
them per queue (vprplan/health.py, vprplan/metrics.py).
"""

import json
import logging
import os
import threading

import redis
from celery import signals
from django.conf import settings

log = logging.getLogger(__name__)

PREFIX = "vprplan:worker-heartbeat:"


def broker_redis_url() -> str:
    """The broker's URL when it is a Redis one, else empty (no heartbeats to read or write)."""
    url = settings.CELERY_BROKER_URL or ""
    return url if url.startswith(("redis://", "rediss://")) else ""


def client(url: str | None = None, *, timeout: float = 2.0) -> redis.Redis:
    return redis.Redis.from_url(
        url or broker_redis_url(), socket_connect_timeout=timeout, socket_timeout=timeout
    )


def live_workers(connection: redis.Redis) -> dict[str, list[str]]:
    """{worker hostname: the queues it consumes} of every worker whose heartbeat has not expired."""
    found = {}
    for key in connection.scan_iter(match=PREFIX + "*", count=200):
        raw = connection.get(key)
        if raw is None:
            continue
        try:
            queues = list(json.loads(raw).get("queues", []))
        except (ValueError, AttributeError):
            queues = []
        found[key.decode()[len(PREFIX) :]] = queues
    return found


class Heartbeat(threading.Thread):
    def __init__(self, hostname: str, queues: list[str]):
        super().__init__(name="vprplan-heartbeat", daemon=True)
        self.key = PREFIX + hostname
        self.value = json.dumps({"queues": queues, "pid": os.getpid()})
        self.stopped = threading.Event()
        self.connection = client()

    def beat(self) -> None:
        self.connection.set(self.key, self.value, ex=settings.WORKER_HEARTBEAT_TTL)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
            except (redis.RedisError, OSError) as exc:  # the broker is down: the worker waits too
                log.warning("Worker heartbeat not written: %s", type(exc).__name__)
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)

    def stop(self) -> None:
        self.stopped.set()
        try:
            self.connection.delete(self.key)
        except (redis.RedisError, OSError):
            pass


_current: Heartbeat | None = None


@signals.worker_ready.connect(weak=False, dispatch_uid="vprplan.heartbeat.start")
def start(sender=None, **_) -> None:
    global _current
    if not broker_redis_url() or _current is not None:
        return
    try:
        queues = sorted(q.name for q in sender.task_consumer.queues)
    except AttributeError:
        queues = []
    _current = Heartbeat(getattr(sender, "hostname", "") or f"worker-{os.getpid()}", queues)
    _current.start()
    log.info("Worker heartbeat started for queues %s", ",".join(queues))


@signals.worker_shutdown.connect(weak=False, dispatch_uid="vprplan.heartbeat.stop")
def stop(sender=None, **_) -> None:
    global _current
    if _current is not None:
        _current.stop()
        _current = None
