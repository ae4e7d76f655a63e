from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditorView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/settings/", views.PlanSettingsView.as_view(), name="plan_settings"),
    path("plans/<int:pk>/copy/", views.PlanCopyView.as_view(), name="plan_copy"),
    path("plans/<int:pk>/compare/", views.PlanCompareView.as_view(), name="plan_compare"),
    path("plans/<int:pk>/school-plan/", views.SchoolPlanCreateView.as_view(), name="plan_school_plan"),
    path("plans/<int:pk>/do/<slug:action>/", views.PlanTransitionView.as_view(), name="plan_transition"),
    path("plans/<int:pk>/sections/add/", views.SectionAddView.as_view(), name="section_add"),
    path("plans/<int:pk>/reorder/", views.PlanReorderView.as_view(), name="plan_reorder"),
    path("plans/<int:pk>/deadline-preview/", views.DeadlinePreviewView.as_view(), name="deadline_preview"),
    path("plans/<int:pk>/undo/<int:event_id>/", views.DeletionUndoView.as_view(), name="deletion_undo"),
    path("sections/<int:pk>/", views.SectionEditView.as_view(), name="section_edit"),
    path("sections/<int:pk>/move/", views.SectionMoveView.as_view(), name="section_move"),
    path("sections/<int:pk>/delete/", views.SectionDeleteView.as_view(), name="section_delete"),
    path("sections/<int:pk>/activities/add/", views.SectionActivityAddView.as_view(), name="activity_add"),
    path("activities/<int:pk>/", views.ActivityRowView.as_view(), name="activity_row"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/move/", views.ActivityMoveView.as_view(), name="activity_move"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("activities/<int:pk>/history/", views.ActivityHistoryView.as_view(), name="activity_history"),
    # Executions: tasks, reports with evidence, review, progress.
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/counts/", views.TaskCountsView.as_view(), name="task_counts"),
    path("executions/<int:pk>/", views.ExecutionDetailView.as_view(), name="execution_detail"),
    path("executions/<int:pk>/report/", views.ExecutionReportView.as_view(), name="execution_report"),
    path("executions/<int:pk>/review/", views.ExecutionReviewView.as_view(), name="execution_review"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("progress/", views.ProgressHomeView.as_view(), name="progress_home"),
    path("plans/<int:pk>/progress/", views.PlanProgressView.as_view(), name="plan_progress"),
    path(
        "plans/<int:pk>/progress/schools/<int:school>/",
        views.SchoolProgressView.as_view(),
        name="plan_progress_school",
    ),
    path(
        "plans/<int:pk>/progress.xlsx",
        views.PlanProgressExportView.as_view(format="xlsx"),
        name="plan_progress_xlsx",
    ),
    path(
        "plans/<int:pk>/progress.pdf",
        views.PlanProgressExportView.as_view(format="pdf"),
        name="plan_progress_pdf",
    ),
    path("regions/<int:pk>/progress/", views.RegionProgressView.as_view(), name="region_progress"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
]
