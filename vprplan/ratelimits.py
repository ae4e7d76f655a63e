"""Rate limits for the anonymous and the expensive endpoints, in one table, by URL name.

django-ratelimit counts requests in the configured cache (Redis when REDIS_URL is set, so all
workers share the counts; local memory on the embedded default). A request over its limit gets
the Russian 429 page (templates/429.html) with Retry-After, and the view never runs.

    (URL name, methods): [(group, rate, key), …]   key: "ip", "user_or_ip" or "post:<field>"

RATELIMIT_ENABLE=false turns the limits off (the test settings do; the rate-limit tests turn them on).
"""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

GET, POST = ("GET", "HEAD"), ("POST",)
EXPORT = [("exports", "30/m", "user_or_ip")]
IMPORT = [("imports", "20/m", "user_or_ip")]
PUBLIC = [("public", "60/m", "ip")]

RULES: dict[tuple[str, tuple[str, ...]], list[tuple[str, str, str]]] = {
    # /verify/: each check hashes and validates a PDF of up to 30 MB.
    ("reports:verify", POST): [("verify", "10/m", "ip"), ("verify-hour", "60/h", "ip")],
    # Public pages (no login): the published plans and the signed orders.
    ("reports:public_plan_list", GET): PUBLIC,
    ("reports:public_plan_detail", GET): PUBLIC,
    ("reports:verify_document", GET): PUBLIC,
    ("reports:document_download", GET): PUBLIC,
    # A password reset sends a mail: a few per address and per sender an hour.
    ("password_reset", POST): [("password-reset", "10/h", "ip"), ("password-reset-mail", "3/h", "post:email")],
    # Login through OpenID Connect: each start writes a session, each callback asks the provider.
    ("oidc_authentication_init", GET): [("oidc", "30/m", "ip")],
    ("oidc_authentication_callback", GET): [("oidc", "30/m", "ip")],
    # Files built per request (or a job started).
    ("reports:plan_export_xlsx", GET): EXPORT,
    ("reports:plan_export_docx", GET): EXPORT,
    ("reports:order_docx", GET): EXPORT,
    ("activities:plan_progress_xlsx", GET): EXPORT,
    ("activities:plan_progress_pdf", GET + POST): EXPORT,
    ("schools:session_export", GET): EXPORT,
    ("observers:observer_schedule_xlsx", GET): EXPORT,
    ("observers:observer_schedule_pdf", GET + POST): EXPORT,
    ("results:marker_export", GET): EXPORT,
    # Imports read and check a whole spreadsheet or document.
    ("reports:plan_import", POST): IMPORT,
    ("reports:plan_import_preview", POST): IMPORT,
    ("results:result_import", POST): IMPORT,
    ("schools:flag_import", POST): IMPORT,
    ("schools:session_import", POST): IMPORT,
}
LIMITS = {}
for (name, methods), rules in RULES.items():
    LIMITS.setdefault(name, []).extend((methods, *rule) for rule in rules)


def over_limit(request) -> int | None:
    """Seconds until the request may be repeated, when one of its limits is exceeded (the request
    is counted against every limit of its URL)."""
    match = request.resolver_match
    wait = None
    for methods, group, rate, key in LIMITS.get(match.view_name if match else "", ()):
        if request.method not in methods:
            continue
        usage = get_usage(request, group=group, key=key, rate=rate, method=list(methods), increment=True)
        if usage and usage["should_limit"]:
            wait = max(wait or 1, int(usage["time_left"]))
    return wait


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        wait = over_limit(request)
        if wait is None:
            return None
        minutes = max(1, round(wait / 60))
        response = render(request, "429.html", {"wait_seconds": wait, "wait_minutes": minutes}, status=429)
        response["Retry-After"] = str(wait)
        return response
