"""Sessions in the database (the embedded default): see vprplan.sessions."""

from django.contrib.sessions.backends import db

from vprplan.sessions import SessionStoreMixin


class SessionStore(SessionStoreMixin, db.SessionStore):
    pass
