"""Domain errors: raised by services with a message a user can read, turned into a message by views."""


class DomainError(Exception):
    """A rule of the domain refused the change; `str(error)` is the Russian message."""


class EditConflict(DomainError):
    """Someone saved the object after this user opened it: nothing was overwritten."""

    def __init__(self, message: str, *, current, changed_by=None, changed_at=None):
        super().__init__(message)
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at


class NotAllowed(DomainError):
    """The actor lacks the capability the change needs (vprplan.access.require)."""
