from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("schools/<slug:code>/flags/", views.FlagListView.as_view(), name="flag_list"),
    path("schools/<slug:code>/flags/import/", views.FlagImportView.as_view(), name="flag_import"),
    path("vpr/<int:campaign_pk>/schedule/", views.ScheduleView.as_view(), name="session_list"),
    path("vpr/<int:campaign_pk>/schedule/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("vpr/<int:campaign_pk>/schedule/import/", views.ScheduleImportView.as_view(), name="session_import"),
    path(
        "vpr/<int:campaign_pk>/schedule/export.xlsx",
        views.ScheduleExportView.as_view(),
        name="session_export",
    ),
    path("vpr/sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session_edit"),
    path("vpr/sessions/<int:pk>/delete/", views.SessionDeleteView.as_view(), name="session_delete"),
]
