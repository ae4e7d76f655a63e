from django.urls import path

from reports import views

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
]
