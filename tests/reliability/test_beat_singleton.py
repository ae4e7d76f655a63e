"""Beat as a singleton (issue 20): two real `celery beat` processes on a Redis of the test's own,
with a schedule of seconds (tests/reliability/settings_beat.py: «a» every second, «b» every two).
Only the beat holding the lock sends: each entry goes out once per tick, not twice. The holder is
killed with SIGKILL: the other takes over once the lock's TTL has run out and goes on from the
last runs the first one left (no burst). The survivor stopped cleanly releases the lock."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.reliability.ops import require_binary, take_messages
from tests.reliability.servers import ROOT, Redis, kill
from vprplan import heartbeat
from vprplan.beat import LOCK_KEY, STATE_KEY

pytestmark = pytest.mark.services

TTL = 4.0  # BEAT_LOCK_TTL of the two beats
INTERVALS = {"a": 1.0, "b": 2.0}  # as settings_beat schedules them
WATCH_BEFORE = 9.0  # seconds both beats run before the holder is killed
WATCH_AFTER = TTL + 7.0


def beat(env: dict, log: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("celery")), "-A", "vprplan", "beat", "-l", "info"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def watch(connection, seconds: float, sends: list) -> None:
    """Collect what is sent to the default queue for `seconds`: (time, marker)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        now = time.monotonic()
        sends += [
            (now, m["args"][0]) for m in take_messages(connection, "celery") if m["task"] == "vprplan.ping"
        ]
        time.sleep(0.05)


def gaps(sends: list, marker: str) -> list[float]:
    times = [t for t, m in sends if m == marker]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_two_beats_send_each_entry_once_and_the_survivor_takes_over(record_property):
    require_binary("redis-server", package="redis-server")
    server = Redis()
    server.start()
    tmp = Path(tempfile.mkdtemp(prefix="vprplan-beat-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.settings_beat",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp / 'unused.sqlite3'}",
        "REDIS_URL": server.url,
        "CELERY_BROKER_URL": "",
        "BEAT_LOCK_TTL": str(TTL),
        "LOG_FORMAT": "json",
    }
    beats = []
    try:
        connection = heartbeat.client(server.url)
        beats = [beat(env, tmp / "beat-1.log"), beat(env, tmp / "beat-2.log")]
        deadline = time.monotonic() + 30
        while connection.get(LOCK_KEY) is None:
            assert time.monotonic() < deadline, (tmp / "beat-1.log").read_text()[-3000:]
            assert all(b.poll() is None for b in beats), (tmp / "beat-1.log").read_text()[-3000:]
            time.sleep(0.1)
        take_messages(connection, "celery")  # from the moment one holds the lock
        before: list = []
        watch(connection, WATCH_BEFORE, before)

        holder_pid = int(connection.get(LOCK_KEY).decode().split(":")[1])
        holder = next(b for b in beats if b.pid == holder_pid)
        survivor = next(b for b in beats if b.pid != holder_pid)
        kill(holder)  # SIGKILL: its lock stays until the TTL runs out
        after: list = []
        watch(connection, WATCH_AFTER, after)

        # Once per tick: as many sends as ticks in the window (two beats would double them), and
        # never two of the same entry closer than half its interval.
        for marker, every in INTERVALS.items():
            sent = sum(1 for _, m in before if m == marker)
            assert WATCH_BEFORE / every - 2 <= sent <= WATCH_BEFORE / every + 1, (marker, sent, before)
            assert min(gaps(before, marker)) > every / 2, (marker, gaps(before, marker))
        # The survivor took over once the lock's TTL ran out: the longest silence of «a» (every
        # second) is the takeover, about the TTL (not less: it waited for the lock). It went on
        # from the last runs the holder left (no burst) and sends each entry once per tick.
        both = before + after
        takeover = max(gaps(both, "a"))
        assert TTL - 1.5 <= takeover <= TTL + 3, (takeover, gaps(both, "a"))
        assert int(connection.get(LOCK_KEY).decode().split(":")[1]) == survivor.pid
        for marker, every in INTERVALS.items():
            assert min(gaps(both, marker)) > every / 2, (marker, gaps(both, marker))
            assert sum(1 for _, m in after if m == marker) >= (WATCH_AFTER - takeover) / every - 2
        assert set(connection.hkeys(STATE_KEY)) == {b"ping-a", b"ping-b"}
        record_property("beat_sends_while_two_beats_ran", len(before))
        duplicates = sum(g <= INTERVALS[m] / 2 for m in INTERVALS for g in gaps(both, m))
        record_property("beat_duplicate_sends", duplicates)
        record_property("beat_silence_seconds_around_sigkill", round(takeover, 1))

        # The survivor stopped cleanly (SIGTERM) gives the lock back at once.
        kill(survivor, signal.SIGTERM)
        assert connection.get(LOCK_KEY) is None
    finally:
        for b in beats:
            kill(b)
        server.stop()
