"""The schools app's pages: unobjectivity flags of an area (flags.py) and the VPR schedule of a
campaign (schedule.py)."""

from schools.views.flags import FlagImportView, FlagListView
from schools.views.schedule import (
    ScheduleExportView,
    ScheduleImportView,
    ScheduleView,
    SessionCreateView,
    SessionDeleteView,
    SessionUpdateView,
)

__all__ = [
    "FlagImportView",
    "FlagListView",
    "ScheduleExportView",
    "ScheduleImportView",
    "ScheduleView",
    "SessionCreateView",
    "SessionDeleteView",
    "SessionUpdateView",
]
