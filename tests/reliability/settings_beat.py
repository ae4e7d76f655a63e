"""Settings of the beat singleton test: the production scheduler with a schedule of seconds."""

from vprplan.settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {
    "ping-a": {"task": "vprplan.ping", "schedule": 1.0, "args": ["a"]},
    "ping-b": {"task": "vprplan.ping", "schedule": 2.0, "args": ["b"]},
}
