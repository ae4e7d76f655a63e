"""The logged-in user and his memberships, read in one query, and from the shared cache instead
of that query on every request.

`CachedModelBackend` is Django's ModelBackend whose `get_user` (called by every request with a
session) reads the user with his memberships (vprplan.access.user_with_memberships) and keeps them
in the shared cache for USER_CACHE_SECONDS. Django still checks the session's hash against the cached user's
password hash, so a changed password ends the other sessions as before. Whatever a cached user is
made of forgets him when its transaction commits: his account (here), his memberships and their
organisations (schools.signals connects those, as the ground knows no Membership). With the
embedded default cache (local memory, one per process) it is off: another process's copy would not
be forgotten (settings: USER_CACHE_SECONDS is 0 without REDIS_CACHE_URL).
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from vprplan import access


def _key(user_id) -> str:
    return f"auth-user:{user_id}"


class CachedModelBackend(ModelBackend):
    """Local passwords, as ModelBackend; the session's user from the shared cache (see the module)."""

    def get_user(self, user_id):
        seconds = settings.USER_CACHE_SECONDS
        user = cache.get(_key(user_id)) if seconds else None
        if user is None:
            # With his memberships, in one query (kept with him in the cache).
            user = access.user_with_memberships(get_user_model(), user_id)
            if user is None:
                return None
            if seconds:
                cache.set(_key(user_id), user, seconds)
        return user if self.user_can_authenticate(user) else None


def forget(user_ids: Iterable) -> None:
    """Drop the kept users `user_ids` once the current transaction commits (and now, so that no
    request in between reads the old copy)."""
    keys = [_key(pk) for pk in set(user_ids) if pk is not None]
    if not keys or not settings.USER_CACHE_SECONDS:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _user_changed(sender, instance, **kwargs):
    forget([instance.pk])


def connect() -> None:
    """Forget a user when his account changes or goes (called from VprplanConfig.ready())."""
    User = get_user_model()
    post_save.connect(_user_changed, sender=User, dispatch_uid="vprplan.userstore.user_saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid="vprplan.userstore.user_deleted")
