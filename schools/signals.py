"""Signals of the schools app: what other apps may react to without schools importing them.

`calendar_changed` — the VPR calendar of a region moved: a campaign's dates (`whole_region=True`),
a school's sessions, a flag recorded. Sent inside the writing transaction with the keywords
`region_id`, `year`, `school_ids` (the schools concerned, may be empty), `actor` and
`whole_region`; a receiver that does work defers it to after the commit (activities re-syncs the
due dates of plans whose relative deadlines read the calendar, in a job enqueued on commit).
"""

from django.dispatch import Signal

calendar_changed = Signal()
