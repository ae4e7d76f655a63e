from reports.views.exports import PlanExportView
from reports.views.imports import PlanImportPreviewView, PlanImportView
from reports.views.orders import (
    DOCUMENT_STATUS,
    OrderCreateView,
    OrderDetailView,
    OrderDocxView,
    OrderListView,
    OrderReviseView,
    OrderSignView,
    OrderUpdateView,
)
from reports.views.public import PublicPlanDetailView, PublicPlanListView
from reports.views.signing import (
    DocumentCancelView,
    DocumentPdfView,
    DocumentScanView,
    DocumentSignatureView,
    PublicScanView,
    PublicSignatureView,
)
from reports.views.verify import DocumentDownloadView, VerifyDocumentView, VerifyView

__all__ = [
    "DOCUMENT_STATUS",
    "DocumentCancelView",
    "DocumentPdfView",
    "DocumentScanView",
    "DocumentSignatureView",
    "PublicScanView",
    "PublicSignatureView",
    "DocumentDownloadView",
    "OrderCreateView",
    "OrderDetailView",
    "OrderDocxView",
    "OrderListView",
    "OrderReviseView",
    "OrderSignView",
    "OrderUpdateView",
    "PlanExportView",
    "PlanImportPreviewView",
    "PlanImportView",
    "PublicPlanDetailView",
    "PublicPlanListView",
    "VerifyDocumentView",
    "VerifyView",
]
