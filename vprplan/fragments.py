"""Where rendered fragments are kept (a published plan's document, the editor's rows).

With a shared cache configured (Redis when REDIS_URL is set) they go there, so every worker
renders a fragment once. With the embedded default, a per-process LocMemCache of 300 entries, they
get a private per-process store of their own instead: hundreds of editor rows must not push out
the rate-limit counts that share the default cache (vprplan.ratelimits), and each store is capped
so a worker's memory stays bounded (rows ≈ 2 KB, a plan's document up to ≈ 200 KB).
"""

from functools import cache

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache

# name: the most entries a worker keeps of that kind without a shared cache
LIMITS = {"editor-rows": 3000, "plan-documents": 40}


@cache
def _private(name: str) -> LocMemCache:
    return LocMemCache(f"vprplan-{name}", {"OPTIONS": {"MAX_ENTRIES": LIMITS[name]}})


def fragment_cache(name: str) -> BaseCache:
    """The cache for the fragments called `name` (a key of LIMITS)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return _private(name)
    return caches["default"]
