from django.contrib import admin
from django.urls import include, path

from vprplan.audit_log import AuditLogView
from vprplan.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("audit/", AuditLogView.as_view(), name="audit_log"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("activities.urls")),
    path("", include("reports.urls")),
    path("", include("observers.urls")),
    path("", include("results.urls")),
    path("", include("schools.urls")),
    path("notifications/", include("activities.reminders.urls")),
]
