"""The bell in the top bar: a user's unread notifications, counted once and kept in the shared
cache (Redis with REDIS_URL) for BELL_CACHE_SECONDS, so that a page does not COUNT on every request.
Every write of notifications forgets the counts of the people it touched once it commits; a cache
that is down answers a miss, and the count comes from the database."""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from activities.models import Notification


def _key(user_id: int) -> str:
    return f"bell:unread:{user_id}"


def unread_count(*, user_id: int) -> int:
    seconds = settings.BELL_CACHE_SECONDS
    if not seconds:
        return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
    count = cache.get(_key(user_id))
    if count is None:
        count = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
        cache.set(_key(user_id), count, seconds)
    return count


def forget(*, user_ids: Iterable[int]) -> None:
    """Drop the kept counts of `user_ids` when the current transaction commits."""
    keys = [_key(u) for u in set(user_ids)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))
