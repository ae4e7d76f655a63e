from observers.views.acts import ActFileView, ActScanView, MyAssignmentsView
from observers.views.board import (
    AssignmentDeleteView,
    AssignmentStatusView,
    AssignView,
    BoardView,
    CoverageView,
    ObserverScheduleExportView,
    SuggestView,
)
from observers.views.registry import (
    ObserverCreateView,
    ObserverDetailView,
    ObserverListView,
    ObserverUpdateView,
)
from observers.views.schedule import (
    CampaignListView,
    ScheduleExportView,
    ScheduleImportView,
    ScheduleView,
    SessionCreateView,
    SessionDeleteView,
    SessionUpdateView,
)

__all__ = [
    "ActFileView",
    "ActScanView",
    "AssignView",
    "AssignmentDeleteView",
    "AssignmentStatusView",
    "BoardView",
    "CampaignListView",
    "CoverageView",
    "MyAssignmentsView",
    "ObserverCreateView",
    "ObserverDetailView",
    "ObserverListView",
    "ObserverScheduleExportView",
    "ObserverUpdateView",
    "ScheduleExportView",
    "ScheduleImportView",
    "ScheduleView",
    "SessionCreateView",
    "SessionDeleteView",
    "SessionUpdateView",
    "SuggestView",
]
