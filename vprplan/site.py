"""The site's own address for absolute links (mail, iCal feeds, documents)."""

from django.conf import settings

from vprplan.security import current_request


def site_url() -> str:
    """SITE_URL; in DEBUG with SITE_URL unset, the address the current request came to (a first
    run on `manage.py runserver 0.0.0.0:8000` opened from another machine), so that links made
    during a request work from where the user is. Outside a request (a job, a command): SITE_URL
    or its default."""
    if settings.DEBUG and not settings.SITE_URL_SET:
        request = current_request()
        if request is not None:
            return request.build_absolute_uri("/").rstrip("/")
    return settings.SITE_URL
