"""Security plumbing: the session's idle timeout, the login lockout page, the client's address and
the audit of logins and permission changes.

The receivers here are connected from `VprplanConfig.ready()`. Logins, logouts, failed logins and
lockouts are always written to the audit log; changes of a user's admin flags, groups and
permissions are written when the actor is known: inside a request (the Django admin, any view) or
inside `acting_as(user)` (a management command that wants its changes audited). Changes of roles
(Membership) are audited by the same rule in schools.membership_audit, which reads the actor here.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode, urlsplit

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from vprplan.audit import audit
from vprplan.directory.config import LDAP_BACKEND, OIDC_BACKEND

LAST_ACTIVITY_KEY = "_vprplan_last_activity"
# The session is written at most this often just to note activity (query budgets, load).
ACTIVITY_WRITE_EVERY = 60
IDLE_MESSAGE = "Сеанс завершён: вы не работали в системе больше {minutes} мин. Войдите снова."

User = get_user_model()


# The client -------------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    """The client's address: X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies vouch for
    it (nginx appends the address it saw), else the connection's own address. Axes uses it too."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        chain = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies][:45]
    return (meta.get("REMOTE_ADDR") or "")[:45] or None


def _client(request) -> dict:
    meta = getattr(request, "META", {}) if request is not None else {}
    return {"ip": client_ip(request), "user_agent": meta.get("HTTP_USER_AGENT", "")[:300]}


# The session's idle timeout ---------------------------------------------------------------------


def return_path(request) -> str:
    """Where the login page leads back to: this page; after a POST (a button pressed once the
    session had ended: its URL answers no GET), the page the button was on, HTMX's
    HX-Current-URL or else the Referer, when it is this site's; else the home page."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    source = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if source and url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(source)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home")


def note_activity(session) -> None:
    """Mark the session as active now (as a login does): the idle timeout counts from here."""
    session[LAST_ACTIVITY_KEY] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_SECONDS (the absolute limit is SESSION_COOKIE_AGE).

    The check runs when the request's user is first needed (AuthenticationMiddleware's lazy user
    is wrapped), so a view that never looks at the user costs no session query. The last request's
    time is kept in the session and written at most once a minute; the login sets it, so the first
    pages after a login write nothing. An expired session is flushed, the view sees an anonymous
    user, and the answer is replaced by a redirect to the login page with a Russian message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: self._user(request))
        response = self.get_response(request)
        if getattr(request, "vprplan_logout_reason", None) == "idle":
            return self._expired(request)
        return response

    def _user(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            last = session.get(LAST_ACTIVITY_KEY)
            idle = settings.SESSION_IDLE_SECONDS
            if last is not None and idle and now - int(last) > idle:
                user = auth.get_user(request)
                request.vprplan_logout_reason = "idle"
                user_logged_out.send(sender=user.__class__, request=request, user=user)
                session.flush()
                return AnonymousUser()
            if last is None or now - int(last) >= ACTIVITY_WRITE_EVERY:
                session[LAST_ACTIVITY_KEY] = now
        return auth_middleware.get_user(request)

    def _expired(self, request) -> HttpResponse:
        messages.warning(request, IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_SECONDS // 60))
        target = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': return_path(request)})}"
        if request.headers.get("HX-Request"):
            # HTMX would swap the login page into a fragment: send the whole page there instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


# Who is acting ----------------------------------------------------------------------------------

_actor: ContextVar = ContextVar("vprplan_audit_actor", default=None)


class AuditActorMiddleware:
    """Remember the request while it runs, so model signals can name the user who made a change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


@contextmanager
def acting_as(user):
    """Audit the permission changes made inside the block as done by `user`."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_request():
    """The request being answered in this thread (or task), or None outside a request."""
    value = _actor.get()
    return value if hasattr(value, "build_absolute_uri") else None


def current_actor():
    """The authenticated user behind the current change, or None (a command, a migration, a test)."""
    value = _actor.get()
    user = getattr(value, "user", value)  # a request (its lazy user) or a user
    return user if getattr(user, "is_authenticated", False) else None


# Logins -----------------------------------------------------------------------------------------


def _home_organization(**membership_filter):
    """The organisation of the user's first role (schools' Organization, or None): where his logins
    show in the audit log. The memberships are read through the user's reverse relation
    `memberships`, so the ground imports no app."""
    memberships = User._meta.get_field("memberships").related_model.objects
    membership = memberships.filter(**membership_filter).select_related("organization").order_by("pk").first()
    return membership.organization if membership else None


# How the user proved who he is, by the backend that let him in (schools.directory).
LOGIN_METHODS = {LDAP_BACKEND: "ldap", OIDC_BACKEND: "oidc"}


@receiver(user_logged_in, dispatch_uid="vprplan.security.logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        note_activity(session)
    method = LOGIN_METHODS.get(getattr(user, "backend", None) or "")
    extra = {"method": method} if method else {}  # a local password's login says nothing more
    audit(user, "auth.login", user, organization=_home_organization(user=user), **extra, **_client(request))


@receiver(user_logged_out, dispatch_uid="vprplan.security.logged_out")
def _on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "vprplan_logout_reason", "user")
    audit(
        user,
        "auth.logout",
        user,
        organization=_home_organization(user=user),
        reason=reason,
        **_client(request),
    )


@receiver(user_login_failed, dispatch_uid="vprplan.security.login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "axes_locked_out", False):
        return  # axes' user_locked_out below records it
    username = str(credentials.get("username", ""))[:150]
    organization = _home_organization(user__username=username) if username else None
    audit(None, "auth.login_failed", None, organization=organization, username=username, **_client(request))


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    organization = _home_organization(user__username=username) if username else None
    audit(
        None,
        "auth.locked_out",
        None,
        organization=organization,
        username=username,
        failures=settings.AXES_FAILURE_LIMIT,
        **_client(request),
    )


def connect_axes() -> None:
    user_locked_out.connect(_on_locked_out, dispatch_uid="vprplan.security.locked_out")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, with the lockout said in Russian (axes' AXES_LOCKOUT_CALLABLE)."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "cooloff_minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


# Permission changes -----------------------------------------------------------------------------

USER_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="vprplan.security.user_pre")
def _user_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or current_actor() is None:
        return
    if update_fields is not None and not set(update_fields) & set(USER_FLAGS):
        return  # e.g. the last_login of every login
    instance._vprplan_flags = User.objects.filter(pk=instance.pk).values(*USER_FLAGS).first()


@receiver(post_save, sender=User, dispatch_uid="vprplan.security.user_post")
def _user_saved(sender, instance, created, raw=False, **kwargs):
    actor = current_actor()
    if raw or actor is None:
        return
    if created:
        flags = {f: getattr(instance, f) for f in USER_FLAGS if f != "is_active" and getattr(instance, f)}
        if flags:
            audit(actor, "user.flags_changed", instance, user=instance.get_username(), changes=flags)
        return
    before = getattr(instance, "_vprplan_flags", None) or {}
    instance._vprplan_flags = None
    changes = {f: [before[f], getattr(instance, f)] for f in before if before[f] != getattr(instance, f)}
    if changes:
        audit(
            actor,
            "user.flags_changed",
            instance,
            organization=_home_organization(user=instance),
            user=instance.get_username(),
            changes=changes,
        )


def _user_m2m_changed(kind: str):
    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        actor = current_actor()
        if actor is None or action not in {"post_add", "post_remove", "post_clear"} or reverse:
            return
        if action != "post_clear" and not pk_set:
            return
        names = sorted(str(o) for o in model.objects.filter(pk__in=pk_set or []))
        audit(
            actor,
            "user.groups_changed" if kind == "groups" else "user.permissions_changed",
            instance,
            organization=_home_organization(user=instance),
            user=instance.get_username(),
            change={"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action],
            items=names,
        )

    return handler


_on_groups_changed = _user_m2m_changed("groups")
_on_permissions_changed = _user_m2m_changed("permissions")
m2m_changed.connect(_on_groups_changed, sender=User.groups.through, dispatch_uid="vprplan.security.groups")
m2m_changed.connect(
    _on_permissions_changed, sender=User.user_permissions.through, dispatch_uid="vprplan.security.perms"
)
connect_axes()
