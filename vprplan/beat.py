"""Celery beat as a singleton that survives its machine: start a beat on two (or more) machines;
one sends, the others wait, and one of them takes over when the sender dies.

`SingletonScheduler` (CELERY_BEAT_SCHEDULER) holds a lock in the broker's Redis: a key set with
NX and a time to live of BEAT_LOCK_TTL seconds, whose value is this beat's own token. The holder
renews it on every tick (a tick comes at least every BEAT_LOCK_TTL / 3 seconds) and sends its due
entries only while the renewal succeeds; the others try to take the key at the same pace and
send nothing. A beat stopped cleanly deletes its key (the next one takes over within a few
seconds); a beat killed, or a machine gone, leaves a key that expires after the TTL.

Every entry's last run is kept in Redis as well (a hash, by entry name), and a beat that takes
the lock loads it first: the new sender goes on from where the old one stopped, so an entry is
not sent again just because the sender changed (an hourly entry the old beat sent at 10:00 is due
again at 11:00, not at once). Without a Redis broker (the embedded defaults never run beat) the
scheduler behaves as Celery's own, in memory.

A sender that stalls longer than the TTL (a frozen machine) loses the lock; it checks the lock
right before sending, so it sends nothing once it has come back. What the lock cannot exclude is a
stall between that check and the send itself (milliseconds): the jobs stay idempotent (vprplan.jobs,
the reminder ledger), as they must under acks_late anyway.
"""

import logging
import os
import socket
import uuid
from datetime import datetime

import redis
from celery.beat import Scheduler
from django.conf import settings

from vprplan import heartbeat

log = logging.getLogger(__name__)

LOCK_KEY = "vprplan:beat:lock"
STATE_KEY = "vprplan:beat:last-run"

# Renew the key only if it is still ours (atomic): 1 when renewed, 0 when lost.
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


class SingletonScheduler(Scheduler):
    """Celery's in-memory scheduler that sends only while it holds the beat lock in Redis."""

    def __init__(self, *args, **kwargs):
        self.url = heartbeat.broker_redis_url()
        self.ttl = float(settings.BEAT_LOCK_TTL)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.holding = False
        self._redis = None
        super().__init__(*args, **kwargs)
        if self.url:  # tick often enough to renew the lock before it expires
            self.max_interval = min(self.max_interval, max(self.ttl / 3, 0.5))

    @property
    def redis(self) -> redis.Redis:
        if self._redis is None:
            self._redis = heartbeat.client(self.url, timeout=2.0)
        return self._redis

    # The lock ------------------------------------------------------------------------------

    def hold_lock(self) -> bool:
        """True when this beat holds the lock (renewed now, or taken now)."""
        if not self.url:
            return True
        ttl_ms = int(self.ttl * 1000)
        try:
            if self.holding:
                if self.redis.eval(RENEW, 1, LOCK_KEY, self.token, ttl_ms):
                    return True
                log.warning("Beat %s lost the lock: another beat sends now", self.token)
                self.holding = False
                return False
            if self.redis.set(LOCK_KEY, self.token, nx=True, px=ttl_ms):
                self.holding = True
                self.load_state()
                log.info("Beat %s holds the lock and sends the schedule", self.token)
                return True
        except (redis.RedisError, OSError) as exc:  # unsure who holds it: send nothing
            if self.holding:
                log.warning("Beat %s cannot reach Redis (%s): sends nothing", self.token, type(exc).__name__)
            self.holding = False
        return False

    def release_lock(self) -> None:
        if self.url and self.holding:
            try:
                self.redis.eval(RELEASE, 1, LOCK_KEY, self.token)
            except (redis.RedisError, OSError):
                pass
            self.holding = False

    # The shared last runs ---------------------------------------------------------------------

    def load_state(self) -> None:
        """The last run of each entry, as the previous holder left it."""
        stored = self.redis.hgetall(STATE_KEY)
        for raw_name, raw_when in stored.items():
            entry = self.schedule.get(raw_name.decode())
            if entry is None:
                continue
            try:
                entry.last_run_at = datetime.fromisoformat(raw_when.decode())
            except ValueError:
                continue
        self._heap = None  # recompute when each entry is due

    def reserve(self, entry):
        new_entry = super().reserve(entry)
        if self.url:
            try:
                self.redis.hset(STATE_KEY, entry.name, new_entry.last_run_at.isoformat())
            except (redis.RedisError, OSError) as exc:
                log.warning("Beat could not record the run of %s: %s", entry.name, type(exc).__name__)
        return new_entry

    # Celery's hooks ------------------------------------------------------------------------------

    def tick(self, *args, **kwargs):
        if not self.hold_lock():
            return self.max_interval  # standby: try again at the next tick
        return min(super().tick(*args, **kwargs), self.max_interval)

    def apply_entry(self, entry, producer=None):
        # Renewed at the start of this tick; a sender that stalled since then checks once more.
        if self.url:
            try:
                still = self.redis.eval(RENEW, 1, LOCK_KEY, self.token, int(self.ttl * 1000))
            except (redis.RedisError, OSError):
                still = False
            if not still:
                self.holding = False
                log.warning("Beat %s lost the lock before sending %s: not sent", self.token, entry.name)
                return
        super().apply_entry(entry, producer=producer)

    def close(self):
        try:
            super().close()
        finally:
            self.release_lock()

    @property
    def info(self):
        return f"    . lock -> {LOCK_KEY} (ttl {self.ttl:g}s)" if self.url else "    . in memory"
