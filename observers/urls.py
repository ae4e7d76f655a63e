from django.urls import path

from observers import views

app_name = "observers"

urlpatterns = [
    path("vpr/", views.CampaignListView.as_view(), name="campaign_list"),
    path("vpr/sessions/<int:pk>/assign/", views.AssignView.as_view(), name="assignment_create"),
    path("vpr/<int:campaign_pk>/<slug:code>/board/", views.BoardView.as_view(), name="assignment_board"),
    path(
        "vpr/<int:campaign_pk>/<slug:code>/suggest/", views.SuggestView.as_view(), name="assignment_suggest"
    ),
    path("vpr/<int:campaign_pk>/<slug:code>/coverage/", views.CoverageView.as_view(), name="coverage_report"),
    path(
        "vpr/<int:campaign_pk>/<slug:code>/observers.xlsx",
        views.ObserverScheduleExportView.as_view(format="xlsx"),
        name="observer_schedule_xlsx",
    ),
    path(
        "vpr/<int:campaign_pk>/<slug:code>/observers.pdf",
        views.ObserverScheduleExportView.as_view(format="pdf"),
        name="observer_schedule_pdf",
    ),
    path("observers/", views.ObserverListView.as_view(), name="observer_list"),
    path("observers/<int:pk>/", views.ObserverDetailView.as_view(), name="observer_detail"),
    path("observers/<int:pk>/edit/", views.ObserverUpdateView.as_view(), name="observer_edit"),
    path("observers/<slug:code>/new/", views.ObserverCreateView.as_view(), name="observer_create"),
    path("assignments/<int:pk>/status/", views.AssignmentStatusView.as_view(), name="assignment_status"),
    path("assignments/<int:pk>/delete/", views.AssignmentDeleteView.as_view(), name="assignment_delete"),
    path("assignments/<int:pk>/act/", views.ActFileView.as_view(), name="act_file"),
    path("acts/<int:pk>/scan/", views.ActScanView.as_view(), name="act_scan"),
    path("my/observations/", views.MyAssignmentsView.as_view(), name="my_assignments"),
]
