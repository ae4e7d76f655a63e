"""Rendered fragments stay out of the embedded default cache (a 300-entry LocMemCache shared with
the rate-limit counts) and go to the shared cache when there is one (vprplan.fragments)."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from vprplan.fragments import LIMITS, fragment_cache


def test_with_the_embedded_default_each_kind_has_its_own_bounded_store():
    rows, documents = fragment_cache("editor-rows"), fragment_cache("plan-documents")
    assert isinstance(rows, LocMemCache) and isinstance(documents, LocMemCache)
    assert rows is not caches["default"] and rows is not documents
    assert rows._max_entries == LIMITS["editor-rows"] and documents._max_entries == LIMITS["plan-documents"]
    rows.set("editor-row:x", "<li>")
    assert caches["default"].get("editor-row:x") is None


def test_with_a_shared_cache_the_fragments_go_there():
    shared = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    with override_settings(CACHES=shared):
        assert fragment_cache("editor-rows") is caches["default"]
