"""Sessions in the shared cache, written through to the database: see vprplan.sessions."""

from django.contrib.sessions.backends import cached_db

from vprplan.sessions import SessionStoreMixin


class SessionStore(SessionStoreMixin, cached_db.SessionStore):
    pass
