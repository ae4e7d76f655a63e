from django.urls import path

from reports import views
from vprplan.documents.views import EXPORT_STATUS, ExportDownloadView, RenderedFileStatusView

app_name = "reports"

urlpatterns = [
    path("public/<slug:code>/", views.PublicPlanListView.as_view(), name="public_plan_list"),
    path(
        "public/<slug:code>/plans/<int:pk>/",
        views.PublicPlanDetailView.as_view(),
        name="public_plan_detail",
    ),
    path("plans/import/", views.PlanImportView.as_view(), name="plan_import"),
    path("plans/import/<int:pk>/", views.PlanImportPreviewView.as_view(), name="plan_import_preview"),
    path("plans/<int:pk>/export.xlsx", views.PlanExportView.as_view(format="xlsx"), name="plan_export_xlsx"),
    path("plans/<int:pk>/export.docx", views.PlanExportView.as_view(format="docx"), name="plan_export_docx"),
    # Orders (приказы) and their signed documents
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("plans/<int:pk>/order/", views.OrderCreateView.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.OrderUpdateView.as_view(), name="order_update"),
    path("orders/<int:pk>/sign/", views.OrderSignView.as_view(), name="order_sign"),
    path("orders/<int:pk>/revise/", views.OrderReviseView.as_view(), name="order_revise"),
    path("orders/<int:pk>/export.docx", views.OrderDocxView.as_view(), name="order_docx"),
    path("documents/<uuid:pk>/", RenderedFileStatusView.as_view(source=views.DOCUMENT_STATUS), name="document_status"),
    # The ways signed outside the server: the PDF to sign or print, the signature, the scan
    path("documents/<uuid:pk>/pdf/", views.DocumentPdfView.as_view(), name="document_pdf"),
    path("documents/<uuid:pk>/signature/", views.DocumentSignatureView.as_view(), name="document_signature"),
    path("documents/<uuid:pk>/scan/", views.DocumentScanView.as_view(), name="document_scan"),
    path("documents/<uuid:pk>/cancel/", views.DocumentCancelView.as_view(), name="document_cancel"),
    # Long exports (PDFs rendered by a job): the requester's status page and download
    path("exports/<uuid:pk>/", RenderedFileStatusView.as_view(source=EXPORT_STATUS), name="export_status"),
    path("exports/<uuid:pk>/download/", ExportDownloadView.as_view(), name="export_download"),
    # Public, no login: verification of a signed PDF and the QR code's page
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("verify/<uuid:pk>/", views.VerifyDocumentView.as_view(), name="verify_document"),
    path("verify/<uuid:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("verify/<uuid:pk>/signature/", views.PublicSignatureView.as_view(), name="document_signature_download"),
    path("verify/<uuid:pk>/scan/", views.PublicScanView.as_view(), name="document_scan_download"),
]
