from django.contrib import admin
from django.urls import include, path

from vprplan.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("activities.urls")),
    path("", include("reports.urls")),
    path("", include("observers.urls")),
    path("", include("results.urls")),
    path("", include("schools.urls")),
    path("notifications/", include("activities.reminders.urls")),
]
