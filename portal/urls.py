from django.contrib import admin
from django.urls import include, path

from portal.views import HomeView
from vprplan.audit_log import AuditLogView
from vprplan.directory.views import OIDCCallbackView, OIDCStartView
from vprplan.health import health
from vprplan.metrics import metrics

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # For load balancers and Prometheus (issue 20): anonymous, no data but ok/fail; /metrics restricted.
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("audit/", AuditLogView.as_view(), name="audit_log"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Login through OpenID Connect (vprplan.directory): 404 unless OIDC_RP_CLIENT_ID is set.
    path("oidc/login/", OIDCStartView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", OIDCCallbackView.as_view(), name="oidc_authentication_callback"),
    path("admin/", admin.site.urls),
    path("", include("activities.urls")),
    path("", include("reports.urls")),
    path("", include("observers.urls")),
    path("", include("results.urls")),
    path("", include("schools.urls")),
    path("notifications/", include("activities.reminders.urls")),
]

# Russian error pages with DEBUG off (vprplan/error_pages.py).
handler400 = "vprplan.error_pages.bad_request"
handler403 = "vprplan.error_pages.permission_denied"
handler404 = "vprplan.error_pages.page_not_found"
handler500 = "vprplan.error_pages.server_error"
