"""The project's URLs plus views that fail each way, for tests/vprplan/test_error_pages.py."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def _raise(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("fail/400/", _raise(BadRequest("broken"))),
    path("fail/403/", _raise(PermissionDenied("no"))),
    path("fail/500/", _raise(RuntimeError("boom"))),
    *urlpatterns,
]
