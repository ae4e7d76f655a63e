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
from observers.views.campaigns import CampaignListView
from observers.views.registry import (
    ObserverCreateView,
    ObserverDetailView,
    ObserverListView,
    ObserverUpdateView,
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
    "SuggestView",
]
