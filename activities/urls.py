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
]
