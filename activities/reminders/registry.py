"""Reminders that the apps above activities owe their people (the observers' sessions and late
acts), registered from their AppConfig.ready(): the sweep and the digest read them here, so
activities never imports those apps."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q


@dataclass(frozen=True)
class ReminderSource:
    """One app's reminders.

    kinds: the ReminderKinds whose subjects this source names and describes.
    recipients(region_id=): a condition on users (OuterRef("pk")) saying who, besides the
        region's members, may be owed a reminder (a page of the sweep reads them).
    candidates(region_id=, user_ids=, today=, since=): (user id, kind, subject id, reminder day)
        of a page of users; `since` is the oldest day an overdue reminder still looks at.
    describe(ids): {subject id: {"text", "detail", "url", "sort"}} in at most one query; a line
        may add "by_kind": {kind: {"detail": …, "url": …}} where a kind words it otherwise.
    """

    name: str
    kinds: tuple[str, ...]
    recipients: Callable[..., Q]
    candidates: Callable[..., Iterable[tuple[int, str, int, date]]]
    describe: Callable[[Iterable[int]], dict[int, dict]]


_sources: dict[str, ReminderSource] = {}


def register_source(source: ReminderSource) -> None:
    """Add (or replace, by name) a source; called from the owning app's ready()."""
    _sources[source.name] = source


def reminder_sources() -> list[ReminderSource]:
    return list(_sources.values())
