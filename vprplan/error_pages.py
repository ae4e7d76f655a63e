"""The error pages shown with DEBUG off: Russian, in the site's layout, with a way home
(templates/404.html, 403.html, 400.html, 500.html; a stale form's CSRF failure is 403_csrf.html).

The 500 page is rendered from the template alone: no request context and no query, so that it shows
even when the database is what failed."""

from django.http import HttpResponseServerError
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render())
