"""Where rendered fragments are kept (a published plan's document, the editor's rows, the task
cards, an execution's history entries), and `rendered_once`, which renders a list's fragments once per content.

With a shared cache configured (Redis when REDIS_URL is set) they go there, so every worker
renders a fragment once. With the embedded default, a per-process LocMemCache of 300 entries, they
get a private per-process store of their own instead: hundreds of editor rows must not push out
the rate-limit counts that share the default cache (vprplan.ratelimits), and each store is capped
so a worker's memory stays bounded (rows and cards ≈ 2 KB, a plan's document or dashboard up to ≈ 250 KB).
"""

import functools
import hashlib
import json
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

# name: the most entries a worker keeps of that kind without a shared cache
LIMITS = {"editor-rows": 3000, "plan-documents": 40, "task-cards": 5000, "plan-progress": 40, "history-entries": 5000}
TIMEOUT = 6 * 3600


@cache
def _private(name: str) -> LocMemCache:
    return LocMemCache(f"vprplan-{name}", {"OPTIONS": {"MAX_ENTRIES": LIMITS[name]}})


def fragment_cache(name: str) -> BaseCache:
    """The cache for the fragments called `name` (a key of LIMITS)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return _private(name)
    return caches["default"]


@functools.cache
def template_digest(template_name: str) -> str:
    """A short digest of a template's source: a changed template makes new keys."""
    return hashlib.sha256(get_template(template_name).template.source.encode()).hexdigest()[:12]


def content_key(name: str, template_name: str, printed: list) -> str:
    """The key of a fragment made of everything it prints (`printed`) and of its template."""
    digest = hashlib.sha256(json.dumps(printed, default=str, ensure_ascii=False).encode()).hexdigest()[:24]
    return f"{name}:{digest}:{template_digest(template_name)}"


def kept(name: str, key: str, render: Callable[[], str], timeout: int = TIMEOUT) -> SafeString:
    """One fragment from the store `name` (a key of LIMITS) under `key`, rendered by `render()` and
    kept when it is not there."""
    store = fragment_cache(name)
    html = store.get(key)
    if html is None:
        html = str(render())
        store.set(key, html, timeout)
    return mark_safe(html)


def rendered_once(
    name: str,
    items: Iterable,
    *,
    template_name: str,
    printed: Callable[[object], list],
    context: Callable[[object], dict],
) -> None:
    """Give each item its HTML (`item.html`) from `template_name`, rendered once per content: the
    key is made of everything the fragment prints (`printed(item)`), so nothing has to be
    invalidated; a changed item is a new key. One read of the cache for the whole list, one write
    for the fragments rendered now."""
    items = list(items)
    keys = [content_key(name, template_name, printed(item)) for item in items]
    store = fragment_cache(name)
    cached = store.get_many(list(set(keys)))
    template, fresh = get_template(template_name), {}
    for item, key in zip(items, keys, strict=True):
        html = cached.get(key) or fresh.get(key)
        if html is None:
            html = fresh[key] = template.render(context(item))
        item.html = mark_safe(html)
    if fresh:
        store.set_many(fresh, TIMEOUT)
