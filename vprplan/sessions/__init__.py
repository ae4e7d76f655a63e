"""Django's database sessions, the session read as a statement written once (vprplan.statements).

Every request with a session cookie reads its session: the ORM spent 2.5 times as long building
that query as running it. `SessionStoreMixin` replaces only that read; everything else is
Django's (`db` and `cached_db`, the engines settings.SESSION_ENGINE names).
"""

import functools

from django.db import connections, router
from django.utils import timezone

from vprplan.statements import Read, Table


class SessionStoreMixin:
    """`_get_session_from_db` as Django's: the unexpired session of this key, or None (and the
    key forgotten, so that a new session gets a new one)."""

    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        row = _session_read(model).first([self.session_key, now], using=using)
        if row is None:
            self._session_key = None
            return None
        return row[0]


@functools.cache
def _session_read(model) -> Read:
    return Read(Table(model, "s"), rest="FROM {s} WHERE s.session_key = %s AND s.expire_date > %s")
