from results.views.areas import (
    FlagFromMarkersView,
    MarkerExportView,
    MarkerListView,
    ResultImportView,
    SchoolResultsView,
)
from results.views.rechecks import (
    RecheckCreateView,
    RecheckDetailView,
    RecheckExpertAddView,
    RecheckFinishView,
    RecheckListView,
    RecheckWorkAddView,
    RecheckWorkScoreView,
)

__all__ = [
    "FlagFromMarkersView",
    "MarkerExportView",
    "MarkerListView",
    "RecheckCreateView",
    "RecheckDetailView",
    "RecheckExpertAddView",
    "RecheckFinishView",
    "RecheckListView",
    "RecheckWorkAddView",
    "RecheckWorkScoreView",
    "ResultImportView",
    "SchoolResultsView",
]
