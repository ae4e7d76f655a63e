from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("schools/<slug:code>/flags/", views.FlagListView.as_view(), name="flag_list"),
    path("schools/<slug:code>/flags/import/", views.FlagImportView.as_view(), name="flag_import"),
]
