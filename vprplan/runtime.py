"""How a web process's Python runs: its garbage collector tuned for requests (called by wsgi.py
and asgi.py once the application is loaded, and by the bench, which measures as they serve)."""

import gc

from django.conf import settings


def tune_gc() -> None:
    """Freeze what is loaded by now (Django, the apps, the URLconf: it lives as long as the
    process, so the collector need not look at it again; with gunicorn's --preload it is also
    shared by the workers), and collect the youngest generation after GC_GEN0_THRESHOLD new
    objects instead of Python's 700.

    A request makes tens of thousands of short-lived objects: with 700, the collector ran tens of
    times in each one and took 6–8 % of an editor save's CPU (in process, alternating on and off).
    What a request leaves in reference cycles waits a little longer to be freed: at most
    GC_GEN0_THRESHOLD objects."""
    gc.freeze()
    _, *older = gc.get_threshold()
    gc.set_threshold(settings.GC_GEN0_THRESHOLD, *older)
