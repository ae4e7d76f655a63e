"""The declared access rule of every URL name of the project: who may do what on it.

A rule says how to build the URL's kwargs for an object of a place (HOME = M1, where the roles
under test sit; NEIGHBOUR = M2, the same region; AWAY = M3, another region: see objects.py), what
to send (GET, or POST with its data), which of the ROLES get an allowed answer on the HOME object
and what an allowed answer is. Everybody else gets 404, the same as for a missing object; so do
all roles on AWAY's object, and on NEIGHBOUR's all but the roles named `neighbour` (by default the
regional administrator when he is allowed at home: the region is his).

Public URLs (the public plan pages, /verify/, the calendar feed and unsubscribe by token, login
and password reset) answer anonymously; `hidden` lists kwargs that must still be 404 for anyone
(a draft plan on the public page, a document not signed yet, a token that is not one).

A new URL without a rule here fails test_every_url_has_a_rule.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

# The roles under test, by the World's user names (tests/matrix.py): each sits in M1's line.
ROLES = ("admin", "head", "coordinator", "specialist", "school", "observer", "nobody")

Build = Callable[[SimpleNamespace], dict]


def roles(*names: str) -> frozenset[str]:
    unknown = set(names) - set(ROLES)
    assert not unknown, unknown
    return frozenset(names)


EVERYONE = roles(*ROLES)
ADMIN = roles("admin")
STAFF = roles("head", "coordinator", "specialist")  # a municipality's own people
DASHBOARD = roles("admin", "head", "coordinator")
PLAN_READERS = roles("admin", *STAFF)  # any plan of M1, drafts included
TASKS = roles("admin", "coordinator", "specialist", "school")  # who has tasks («Мои задачи»)
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Try:
    """One request tried by every role: `kwargs` builds the URL for a place's objects (None: the
    URL takes none); `data` the POST body (from HOME's objects)."""

    allowed: frozenset[str]
    kwargs: Build | None = None
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] | None = None
    ok: tuple[int, ...] = (200,)
    neighbour: frozenset[str] | None = None  # default: the regional admin if allowed at HOME
    per_region: bool = False  # the object is the region's (a VPR campaign): NEIGHBOUR is HOME's
    query: str = ""

    def neighbour_allowed(self) -> frozenset[str]:
        if self.neighbour is not None:
            return self.neighbour
        return self.allowed & ADMIN


@dataclass(frozen=True)
class Rule:
    tries: tuple[Try, ...] = ()
    public: bool = False
    # Public only: kwargs (from a place's objects) that answer 404 to anyone.
    hidden: tuple[Build, ...] = ()
    # Public only: text of HOME's objects that the page must not show (a draft's title).
    absent: Callable[[SimpleNamespace], list[str]] | None = None
    note: str = field(default="", compare=False)


def get(allowed, kwargs=None, **options) -> Try:
    return Try(allowed=allowed, kwargs=kwargs, **options)


def post(allowed, kwargs=None, data=None, ok=(302,), **options) -> Try:
    return Try(allowed=allowed, kwargs=kwargs, method="post", data=data or (lambda h: {}), ok=ok, **options)


def rule(*tries: Try, **options) -> Rule:
    return Rule(tries=tries, **options)


def pk(name: str) -> Build:
    return lambda t: {"pk": getattr(t, name).pk}


def code(name: str) -> Build:
    return lambda t: {"code": getattr(t, name).code}


def campaign(t) -> dict:
    return {"campaign_pk": t.campaign.pk}


def campaign_area(t) -> dict:
    return {"campaign_pk": t.campaign.pk, "code": t.municipality.code}


PLAN_EDITOR = roles("coordinator")  # a municipal plan is kept by its coordinator alone
PREPARERS = roles("head", "coordinator")  # prepare an order
SESSION_EDITORS = roles("admin", "coordinator", "school")
RESULT_WRITERS = roles("admin", "coordinator")


def scores(h) -> dict:
    return {"rechecked_scores": "1 0 2"}


RULES: dict[str, Rule] = {
    "home": rule(get(EVERYONE)),
    # For load balancers and Prometheus (vprplan/health.py, vprplan/metrics.py): anonymous. /metrics
    # answers only METRICS_ALLOWED_IPS (loopback by default: the test client's address) or a token;
    # tests/vprplan/test_health_metrics.py tries it from elsewhere.
    "health": rule(get(EVERYONE), public=True),
    "metrics": rule(get(EVERYONE), public=True),
    "audit_log": rule(get(roles("admin", "head"))),  # «Журнал действий»: region / municipality
    # Django's authentication views (django.contrib.auth.urls).
    "login": rule(get(EVERYONE), public=True),
    "logout": rule(post(EVERYONE), public=True),
    "password_change": rule(get(EVERYONE)),
    "password_change_done": rule(get(EVERYONE)),
    "password_reset": rule(get(EVERYONE), public=True),
    "password_reset_done": rule(get(EVERYONE), public=True),
    "password_reset_confirm": rule(
        get(EVERYONE, lambda t: {"uidb64": "MQ", "token": "set-password"}),
        public=True,
        note="an invalid link",
    ),
    "password_reset_complete": rule(get(EVERYONE), public=True),
    # Login through OpenID Connect (vprplan.directory): off in this run, so not found for anyone;
    # tests/directory/test_oidc_login.py runs them on against a real provider.
    "oidc_authentication_init": rule(get(EVERYONE, ok=(404,)), public=True, note="OIDC off"),
    "oidc_authentication_callback": rule(
        get(EVERYONE, ok=(404,), query="?code=forged&state=forged"), public=True, note="OIDC off"
    ),
    # Plans and the editor.
    "activities:plan_create": rule(
        get(roles("admin", "coordinator", "school")),
        post(roles("admin", "coordinator", "school"), ok=(200,)),  # empty: the form's errors
    ),
    "activities:plan_detail": rule(
        get(PLAN_READERS, pk("draft")),
        get(EVERYONE - {"nobody"}, pk("approved")),
        get(roles("admin", "school", *STAFF), pk("school_plan")),
    ),
    "activities:plan_edit": rule(get(PLAN_EDITOR, pk("draft"))),
    "activities:plan_settings": rule(
        get(PLAN_EDITOR, pk("draft")), post(PLAN_EDITOR, pk("draft"), ok=(200,))
    ),
    "activities:plan_copy": rule(get(PLAN_EDITOR, pk("approved"))),
    "activities:plan_compare": rule(get(PLAN_READERS, pk("amendment"))),
    "activities:plan_school_plan": rule(post(roles("school"), pk("approved"))),
    "activities:plan_transition": rule(
        post(PLAN_EDITOR, lambda t: {"pk": t.draft.pk, "action": "submit"}),
        post(roles("head", "coordinator"), lambda t: {"pk": t.on_approval.pk, "action": "return"}),
        post(roles("head"), lambda t: {"pk": t.on_approval.pk, "action": "approve"}),
        post(roles("head", "coordinator"), lambda t: {"pk": t.approved.pk, "action": "archive"}),
        post(PLAN_EDITOR, lambda t: {"pk": t.approved.pk, "action": "new_version"}),
    ),
    "activities:section_add": rule(
        post(PLAN_EDITOR, pk("draft"), lambda h: {"title": "Новый"}, ok=(200, 302))
    ),
    "activities:plan_reorder": rule(post(PLAN_EDITOR, pk("draft"), ok=(200, 204, 302, 400))),
    "activities:deadline_preview": rule(get(PLAN_READERS, pk("draft"), query="?deadline_text=До 15.10.2025")),
    "activities:deletion_undo": rule(
        post(PLAN_EDITOR, lambda t: {"pk": t.draft.pk, "event_id": t.deletion.pk}, ok=(200, 302)),
        post(NOBODY, lambda t: {"pk": t.draft.pk, "event_id": t.peer.deletion.pk}),  # another's deletion
    ),
    "activities:section_edit": rule(
        get(PLAN_EDITOR, pk("section")),
        post(PLAN_EDITOR, pk("section"), lambda h: {"title": "Раздел изменён"}, ok=(200, 302)),
    ),
    "activities:section_move": rule(
        post(PLAN_EDITOR, pk("section"), lambda h: {"direction": "down"}, ok=(200, 302))
    ),
    "activities:section_delete": rule(post(PLAN_EDITOR, pk("section"), ok=(200, 302))),
    "activities:activity_add": rule(post(PLAN_EDITOR, pk("section"), ok=(200, 302))),
    "activities:activity_row": rule(get(PLAN_EDITOR, pk("activity"))),
    "activities:activity_edit": rule(get(PLAN_EDITOR, pk("activity"))),
    "activities:activity_move": rule(
        post(PLAN_EDITOR, pk("activity"), lambda h: {"direction": "down"}, ok=(200, 302))
    ),
    "activities:activity_delete": rule(post(PLAN_EDITOR, pk("activity"), ok=(200, 302))),
    "activities:activity_history": rule(get(PLAN_READERS, pk("activity"))),
    # Executions: tasks, reports with evidence, review.
    "activities:task_list": rule(get(TASKS)),
    "activities:task_counts": rule(get(TASKS)),
    "activities:calendar": rule(get(TASKS), post(TASKS)),
    "activities:calendar_feed": rule(
        get(EVERYONE, lambda t: {"token": t.feed_token}),
        public=True,
        hidden=(lambda t: {"token": "not-a-token"},),
    ),
    "activities:execution_detail": rule(
        get(roles("admin", "head", "coordinator", "school"), pk("execution")),
        get(roles("admin", "head", "coordinator", "specialist"), pk("authority_execution")),
    ),
    "activities:execution_report": rule(
        get(roles("school"), pk("execution")),
        post(roles("school"), pk("execution"), lambda h: {"action": "progress", "comment": "Начали"}),
    ),
    "activities:execution_review": rule(
        post(roles("coordinator"), pk("execution"), lambda h: {"decision": "accept"}, ok=(200, 302))
    ),
    "activities:evidence_download": rule(
        get(roles("admin", "head", "coordinator", "school"), pk("evidence"))
    ),
    "activities:evidence_delete": rule(post(roles("school"), pk("evidence"))),
    # Progress dashboards.
    "activities:progress_home": rule(get(DASHBOARD, ok=(200, 302))),  # one dashboard: straight to it
    "activities:plan_progress": rule(get(DASHBOARD, pk("approved"))),
    "activities:plan_progress_school": rule(
        get(DASHBOARD, lambda t: {"pk": t.approved.pk, "school": t.school.pk}),
        get(NOBODY, lambda t: {"pk": t.approved.pk, "school": t.peer.school.pk}),  # not the plan's school
    ),
    "activities:plan_progress_xlsx": rule(get(DASHBOARD, pk("approved"))),
    # A job renders the PDF: the request makes an export and redirects to its status page.
    "activities:plan_progress_pdf": rule(get(DASHBOARD, pk("approved"), ok=(200, 302)), post(DASHBOARD, pk("approved"))),
    "activities:region_progress": rule(get(ADMIN, pk("region"), per_region=True)),
    # Public pages, import and export of plans.
    "reports:public_plan_list": rule(
        get(EVERYONE, code("municipality")),
        public=True,
        absent=lambda t: [t.draft.title, t.on_approval.title, t.amendment.title],
    ),
    "reports:public_plan_detail": rule(
        get(EVERYONE, lambda t: {"code": t.municipality.code, "pk": t.approved.pk}),
        public=True,
        hidden=(
            lambda t: {"code": t.municipality.code, "pk": t.draft.pk},
            lambda t: {"code": t.municipality.code, "pk": t.on_approval.pk},
            lambda t: {"code": t.school.code, "pk": t.school_plan.pk},
            lambda t: {"code": t.municipality.code, "pk": t.peer.approved.pk},  # published, but not M1's
        ),
    ),
    "reports:plan_import": rule(get(roles("admin", "coordinator", "school"))),
    "reports:plan_import_preview": rule(get(PLAN_EDITOR, pk("plan_import"))),
    "reports:plan_export_xlsx": rule(
        get(PLAN_READERS, pk("draft")), get(EVERYONE - {"nobody"}, pk("approved"))
    ),
    "reports:plan_export_docx": rule(
        get(PLAN_READERS, pk("draft")), get(EVERYONE - {"nobody"}, pk("approved"))
    ),
    # Orders and their signed documents.
    "reports:order_list": rule(get(DASHBOARD)),
    "reports:order_create": rule(post(PREPARERS, pk("on_approval"))),
    "reports:order_detail": rule(get(DASHBOARD, pk("order")), get(DASHBOARD, pk("signed_order"))),
    "reports:order_update": rule(get(PREPARERS, pk("order")), post(PREPARERS, pk("order"), ok=(200,))),
    "reports:order_sign": rule(post(roles("head"), pk("order"))),
    "reports:order_revise": rule(post(PREPARERS, pk("signed_order"))),
    "reports:order_docx": rule(get(DASHBOARD, pk("order"))),
    "reports:document_status": rule(get(DASHBOARD, pk("pending_document")), get(DASHBOARD, pk("document"))),
    # The ways signed outside the server: the order's readers get the PDF to sign or print; only the
    # head sends the signature or the scan, or cancels (an empty form: a message and back, 302).
    "reports:document_pdf": rule(get(DASHBOARD, pk("awaiting_document")), get(DASHBOARD, pk("document"))),
    "reports:document_signature": rule(post(roles("head"), pk("awaiting_document"))),
    "reports:document_scan": rule(post(roles("head"), pk("awaiting_document"))),
    "reports:document_cancel": rule(post(roles("head"), pk("cancel_document"))),
    # Long exports: only the user who asked (each place's coordinator asked for its `export`).
    "reports:export_status": rule(
        get(roles("coordinator"), pk("export")), get(roles("coordinator"), pk("pending_export"))
    ),
    "reports:export_download": rule(
        get(roles("coordinator"), pk("export")),
        get(NOBODY, pk("pending_export")),  # not ready: 404
    ),
    "reports:verify": rule(get(EVERYONE), public=True),
    "reports:verify_document": rule(
        get(EVERYONE, pk("document")), public=True, hidden=(pk("pending_document"),)
    ),
    "reports:document_download": rule(
        get(EVERYONE, pk("document")), public=True, hidden=(pk("pending_document"),)
    ),
    "reports:document_signature_download": rule(
        get(EVERYONE, pk("document")), public=True, hidden=(pk("pending_document"), pk("awaiting_document"))
    ),
    "reports:document_scan_download": rule(
        get(EVERYONE, pk("document")), public=True, hidden=(pk("pending_document"), pk("awaiting_document"))
    ),
    # The VPR schedule and the observers.
    "observers:campaign_list": rule(get(EVERYONE)),
    "schools:session_list": rule(get(roles("admin", "school", *STAFF), campaign, per_region=True)),
    "schools:session_create": rule(get(SESSION_EDITORS, campaign, per_region=True)),
    "schools:session_import": rule(get(SESSION_EDITORS, campaign, per_region=True)),
    "schools:session_export": rule(get(roles("admin", "school", *STAFF), campaign, per_region=True)),
    "schools:session_edit": rule(get(SESSION_EDITORS, pk("session"))),
    "schools:session_delete": rule(post(SESSION_EDITORS, pk("spare_session"))),
    "observers:assignment_create": rule(get(roles("coordinator"), pk("spare_session"))),
    "observers:assignment_board": rule(
        get(roles("admin", *STAFF), campaign_area),
        get(NOBODY, lambda t: {"campaign_pk": t.peer.campaign.pk, "code": t.municipality.code}),
    ),
    "observers:assignment_suggest": rule(get(roles("coordinator"), campaign_area)),
    "observers:coverage_report": rule(get(roles("admin", *STAFF), campaign_area)),
    "observers:observer_schedule_xlsx": rule(get(roles("admin", *STAFF), campaign_area)),
    "observers:observer_schedule_pdf": rule(
        get(roles("admin", *STAFF), campaign_area, ok=(200, 302)), post(roles("admin", *STAFF), campaign_area)
    ),
    "observers:observer_list": rule(get(STAFF)),
    "observers:observer_detail": rule(get(STAFF, pk("observer"))),
    "observers:observer_edit": rule(get(roles("coordinator"), pk("observer"))),
    "observers:observer_create": rule(get(roles("coordinator"), code("municipality"))),
    "observers:assignment_status": rule(
        post(roles("observer", "coordinator"), pk("assignment"), lambda h: {"status": "confirmed"})
    ),
    "observers:assignment_delete": rule(post(roles("coordinator"), pk("assignment"))),
    "observers:act_file": rule(get(roles("observer"), pk("assignment"))),
    "observers:act_scan": rule(get(roles("observer", *STAFF), pk("act"))),
    "observers:my_assignments": rule(get(roles("observer"))),
    # VPR results, markers and rechecks.
    "results:school_results": rule(get(roles("admin", "school", *STAFF), code("school"))),
    "results:flag_create": rule(post(RESULT_WRITERS, code("school"), lambda h: {"year": "2025"})),
    "results:recheck_detail": rule(get(roles("admin", *STAFF), pk("recheck"))),
    "results:recheck_expert_add": rule(post(RESULT_WRITERS, pk("recheck"), ok=(200, 302))),
    "results:recheck_work_add": rule(post(RESULT_WRITERS, pk("recheck"), ok=(200, 302))),
    "results:recheck_work_score": rule(
        post(RESULT_WRITERS, lambda t: {"pk": t.recheck.pk, "work_pk": t.work.pk}, scores),
        # A valid form, so that the work is looked up: another recheck's work is 404.
        post(NOBODY, lambda t: {"pk": t.recheck.pk, "work_pk": t.peer.work.pk}, scores),
    ),
    "results:recheck_finish": rule(post(RESULT_WRITERS, pk("recheck"), ok=(200, 302))),
    "results:marker_list": rule(
        get(roles("admin", *STAFF), code("municipality")), get(ADMIN, code("region"), per_region=True)
    ),
    "results:marker_export": rule(
        get(roles("admin", *STAFF), code("municipality")), get(ADMIN, code("region"), per_region=True)
    ),
    "results:result_import": rule(
        get(RESULT_WRITERS, code("municipality")), post(RESULT_WRITERS, code("municipality"), ok=(200,))
    ),
    "results:recheck_list": rule(get(roles("admin", *STAFF), code("municipality"))),
    "results:recheck_create": rule(get(RESULT_WRITERS, code("municipality"))),
    # Unobjectivity flags.
    "schools:flag_list": rule(
        get(roles("admin", *STAFF), code("municipality")), get(ADMIN, code("region"), per_region=True)
    ),
    "schools:flag_import": rule(
        get(RESULT_WRITERS, code("municipality")),
        post(RESULT_WRITERS, code("municipality"), lambda h: {"action": "preview"}, ok=(200,)),
    ),
    # Notifications.
    "notifications:notification_list": rule(get(EVERYONE)),
    "notifications:notification_read": rule(post(roles("coordinator"), pk("notification"))),
    "notifications:notification_read_all": rule(post(EVERYONE)),
    "notifications:preference_edit": rule(get(EVERYONE), post(EVERYONE)),
    "notifications:unsubscribe": rule(
        get(EVERYONE, lambda t: {"token": t.unsubscribe_token}),
        post(EVERYONE, lambda t: {"token": t.unsubscribe_token}, ok=(200,)),
        public=True,
        hidden=(lambda t: {"token": "not-a-token"},),
    ),
}

# The Django admin is staff only; its own test tries a few of its pages (test_admin_is_staff_only).
ADMIN_NAMESPACE = "admin"
