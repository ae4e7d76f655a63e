"""Signals of the schools app: what the apps above it react to without schools importing them; they
connect their receivers in their apps.py.

`calendar_changed`: the VPR calendar of a region moved (a campaign's dates with `whole_region=True`,
a school's sessions, a flag recorded). Sent inside the writing transaction with the keywords
`region_id`, `year`, `school_ids` (the schools concerned, may be empty), `actor` and
`whole_region`; a receiver that does work defers it to after the commit (activities re-syncs the
due dates of plans whose relative deadlines read the calendar, in a job enqueued on commit).

`session_changed`: a session of the VPR schedule was changed (sent with `session`, inside the
saving transaction). A receiver refuses the change by raising DomainError: observers check that
its assignments hold.
"""

from django.dispatch import Signal

calendar_changed = Signal()
session_changed = Signal()
