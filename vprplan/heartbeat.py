"""Worker heartbeats: each Celery worker keeps its entry in the broker's Redis alive while it runs.

When a worker is ready it starts a thread that, every WORKER_HEARTBEAT_SECONDS, sets its score in
the sorted set `vprplan:worker-heartbeats` to the moment its heartbeat expires (Redis's own clock
+ WORKER_HEARTBEAT_TTL) and its queues in the hash `vprplan:worker-queues`; at a clean shutdown it
removes both. A worker killed outright stays in the set with a score in the past. Reading the live
workers is two commands however many keys the Redis holds (sessions, cache). /health/ fails while
some queue has no live worker, and /metrics counts them per queue (vprplan/health.py,
vprplan/metrics.py).
"""

import json
import logging
import os
import threading

import redis
from celery import signals
from django.conf import settings

log = logging.getLogger(__name__)

WORKERS_KEY = "vprplan:worker-heartbeats"  # sorted set: worker name → when its heartbeat expires
QUEUES_KEY = "vprplan:worker-queues"  # hash: worker name → the queues it consumes (JSON)
FORGET_AFTER = 24 * 3600  # a worker silent this long is removed from both


def broker_redis_url() -> str:
    """The broker's URL when it is a Redis one, else empty (no heartbeats to read or write)."""
    url = settings.CELERY_BROKER_URL or ""
    return url if url.startswith(("redis://", "rediss://")) else ""


def client(url: str | None = None, *, timeout: float = 2.0) -> redis.Redis:
    return redis.Redis.from_url(
        url or broker_redis_url(), socket_connect_timeout=timeout, socket_timeout=timeout
    )


def redis_now(connection: redis.Redis) -> float:
    """Redis's own clock: the machines' clocks need not agree."""
    seconds, micro = connection.time()
    return seconds + micro / 1e6


def live_workers(connection: redis.Redis) -> dict[str, list[str]]:
    """{worker name: the queues it consumes} of every worker whose heartbeat has not expired."""
    names = connection.zrangebyscore(WORKERS_KEY, redis_now(connection), "+inf")
    if not names:
        return {}
    found = {}
    for name, raw in zip(names, connection.hmget(QUEUES_KEY, names), strict=True):
        try:
            queues = list(json.loads(raw)) if raw else []
        except ValueError:
            queues = []
        found[name.decode()] = queues
    return found


class Heartbeat(threading.Thread):
    def __init__(self, name: str, queues: list[str]):
        super().__init__(name="vprplan-heartbeat", daemon=True)
        self.worker = name
        self.queues = json.dumps(sorted(queues))
        self.stopped = threading.Event()
        self.connection = client()

    def beat(self) -> None:
        now = redis_now(self.connection)
        gone = self.connection.zrangebyscore(WORKERS_KEY, "-inf", now - FORGET_AFTER)
        pipe = self.connection.pipeline(transaction=False)
        pipe.zadd(WORKERS_KEY, {self.worker: now + settings.WORKER_HEARTBEAT_TTL})
        pipe.hset(QUEUES_KEY, self.worker, self.queues)
        if gone:
            pipe.zrem(WORKERS_KEY, *gone)
            pipe.hdel(QUEUES_KEY, *gone)
        pipe.execute()

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
            self.connection.zrem(WORKERS_KEY, self.worker)
            self.connection.hdel(QUEUES_KEY, self.worker)
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
