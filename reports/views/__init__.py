from reports.views.exports import PlanExportView
from reports.views.imports import PlanImportPreviewView, PlanImportView
from reports.views.public import PublicPlanDetailView, PublicPlanListView

__all__ = [
    "PlanExportView",
    "PlanImportPreviewView",
    "PlanImportView",
    "PublicPlanDetailView",
    "PublicPlanListView",
]
