"""Prometheus metrics at `/metrics`: django-prometheus's request metrics and the job queue.

The job queue is read at scrape time (so every web process answers the same figures):

- `vprplan_job_queue_depth{queue, status}`: jobs of the outbox (vprplan.jobs, the Job table)
  pending (not sent yet: the broker was down), queued (sent, not started) and running;
- `vprplan_job_queue_oldest_age_seconds{queue, status}`: how long the oldest pending and the oldest
  queued job have waited (0 when there is none);
- `vprplan_celery_queue_length{queue}`: messages waiting in the broker's Redis list of each queue;
- `vprplan_workers_alive{queue}`: workers with a live heartbeat consuming each queue;
- `vprplan_metrics_source_up{source}`: 1 when the database or the broker could be read for this
  scrape, 0 when not (the other figures of that source are then absent).

Who may read it: a request from an address in METRICS_ALLOWED_IPS (addresses or networks; the
client's address as vprplan.security.client_ip sees it, so behind nginx with TRUSTED_PROXY_COUNT=1
the real client, not nginx), or one with `Authorization: Bearer <METRICS_TOKEN>` when that is set.
Anyone else gets 404. Request counters are per process: with several gunicorn workers set
PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at each start) and they are added up.
"""

import hmac
import ipaddress
import logging
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from vprplan import heartbeat
from vprplan.models import Job
from vprplan.queues import queue_for, queue_names
from vprplan.security import client_ip

log = logging.getLogger(__name__)

WAITING = ("pending", "queued")
OPEN = ("pending", "queued", "running")
PRIORITY_STEPS = (3, 6, 9)  # kombu's Redis transport keeps a list per priority step: «celery\x06\x163»


class JobQueueCollector:
    """The outbox and the broker, read when Prometheus scrapes."""

    def collect(self):
        now = time.time()
        depth = GaugeMetricFamily(
            "vprplan_job_queue_depth", "Jobs of the outbox by queue and status", labels=["queue", "status"]
        )
        age = GaugeMetricFamily(
            "vprplan_job_queue_oldest_age_seconds",
            "Age of the oldest job waiting, by queue and status",
            labels=["queue", "status"],
        )
        up = GaugeMetricFamily(
            "vprplan_metrics_source_up", "Whether a source could be read", labels=["source"]
        )
        try:
            self._jobs(depth, age, now)
            up.add_metric(["database"], 1)
            yield depth
            yield age
        except Exception as exc:
            log.warning("Metrics: the job table could not be read: %s", type(exc).__name__)
            up.add_metric(["database"], 0)
        if heartbeat.broker_redis_url():
            length = GaugeMetricFamily(
                "vprplan_celery_queue_length", "Messages waiting in the broker, by queue", labels=["queue"]
            )
            alive = GaugeMetricFamily(
                "vprplan_workers_alive", "Workers with a live heartbeat, by queue", labels=["queue"]
            )
            try:
                self._broker(length, alive)
                up.add_metric(["broker"], 1)
                yield length
                yield alive
            except Exception as exc:
                log.warning("Metrics: the broker could not be read: %s", type(exc).__name__)
                up.add_metric(["broker"], 0)
        yield up

    def _jobs(self, depth, age, now: float) -> None:
        figures = {(q, s): [0, None] for q in queue_names() for s in OPEN}
        rows = (
            Job.objects.filter(status__in=OPEN)
            .values("task", "status")
            .annotate(n=Count("pk"), oldest=Min("created_at"))
            .order_by()
        )
        for row in rows:
            entry = figures.setdefault((queue_for(row["task"]), row["status"]), [0, None])
            entry[0] += row["n"]
            if entry[1] is None or row["oldest"] < entry[1]:
                entry[1] = row["oldest"]
        for (queue, status), (n, oldest) in sorted(figures.items()):
            depth.add_metric([queue, status], n)
            if status in WAITING:
                age.add_metric([queue, status], max(0.0, now - oldest.timestamp()) if oldest else 0.0)

    def _broker(self, length, alive) -> None:
        connection = heartbeat.client(timeout=1.0)
        try:
            for queue in queue_names():
                names = [queue, *(f"{queue}\x06\x16{p}" for p in PRIORITY_STEPS)]
                length.add_metric([queue], sum(connection.llen(n) for n in names))
            workers = heartbeat.live_workers(connection)
            for queue in queue_names():
                alive.add_metric([queue], sum(queue in qs for qs in workers.values()))
        finally:
            connection.close()


jobs_registry = CollectorRegistry(auto_describe=False)
jobs_registry.register(JobQueueCollector())


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    address = client_ip(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed_net in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed_net, strict=False):
                return True
        except ValueError:
            continue
    return False


def _process_registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
def metrics(request):
    if not allowed(request):
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(jobs_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
