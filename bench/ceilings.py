"""Bare views: the same rows as our pages from one query, through a minimal template.

They are the ceiling a page is measured against: what the request machinery, one query and
rendering the rows cost, without scoping helpers, selectors, base templates or per-cell logic.
They check nothing (no login, no scope) and are mounted only by the bench URLconf
(bench.urls), never by the app's.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template import engines

from activities.choices import PUBLISHED_STATUSES, PlanStatus
from activities.models import Activity, Plan
from schools.models import Membership
from vprplan.access import MANAGING_ROLES

PLAN_TEMPLATE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><table>
{% for a in rows %}{% ifchanged a.section_id %}<tr><th colspan="6">{{ a.section__number }}. {{ a.section__title }}</th></tr>
{% endifchanged %}<tr id="activity-{{ a.pk }}"><td>{{ a.number }}</td><td>{{ a.title|linebreaksbr }}</td><td>{{ a.deadline_text|linebreaksbr }}</td><td>{{ a.responsible_text|linebreaksbr }}</td><td>{{ a.expected_result|linebreaksbr }}</td><td>{{ a.note|linebreaksbr }}</td></tr>
{% endfor %}</table></body></html>"""

HOME_TEMPLATE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Главная</title></head>
<body><h1>Планы</h1>
{% for p in rows %}{% ifchanged p.owner_id %}{% if not forloop.first %}</table>{% endif %}<h3>{{ p.owner__name }}</h3><table>
{% endifchanged %}<tr><td><a href="/plans/{{ p.pk }}/">{{ p.title }}</a></td><td>{{ p.period_start|date:"d.m.Y" }} — {{ p.period_end|date:"d.m.Y" }}</td><td>{{ p.status_label }}</td><td>{{ p.activity_count }}</td></tr>
{% endfor %}{% if rows %}</table>{% endif %}</body></html>"""

_compiled: dict = {}


def _template(source: str):
    """The template compiled once per engine (the bench swaps engines when it turns DEBUG off)."""
    engine = engines["django"]
    key = (id(engine), source)
    if key not in _compiled:
        _compiled[key] = engine.from_string(source)
    return _compiled[key]


def plan_page(request, pk: int) -> HttpResponse:
    """A plan's rows with their section headings: one query."""
    rows = list(
        Activity.objects.filter(plan_id=pk)
        .order_by("section__position", "position")
        .values(
            "pk",
            "number",
            "title",
            "deadline_text",
            "responsible_text",
            "expected_result",
            "note",
            "section_id",
            "section__number",
            "section__title",
            "plan__title",
        )
    )
    title = rows[0]["plan__title"] if rows else ""
    return HttpResponse(_template(PLAN_TEMPLATE).render({"rows": rows, "title": title}))


def visible_plans(user_id: int):
    """The plans the home page lists for this user, with their activity counts, as one query.

    The rule of vprplan.access in SQL: plans of organisations the user manages (any status) and
    published plans of the organisations he works under (his own, their municipality and region).
    """
    mine = Membership.objects.filter(user_id=user_id, organization__is_active=True)
    owner = ("owner_id", "owner__municipality_id", "owner__region_id")
    managed = mine.filter(role__in=MANAGING_ROLES).filter(
        Q(organization_id=OuterRef(owner[0]))
        | Q(organization_id=OuterRef(owner[1]))
        | Q(organization_id=OuterRef(owner[2]))
    )
    context = mine.filter(
        Q(organization_id=OuterRef("owner_id"))
        | Q(organization__municipality_id=OuterRef("owner_id"))
        | Q(organization__region_id=OuterRef("owner_id"))
    )
    count = (
        Activity.objects.filter(plan_id=OuterRef("pk"))
        .order_by()
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Plan.objects.filter(Exists(managed) | (Exists(context) & Q(status__in=PUBLISHED_STATUSES)))
        .annotate(activity_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .order_by("owner__kind", "owner__name", "-period_start", "title")
        .values(
            "pk", "title", "period_start", "period_end", "status", "owner_id", "owner__name", "activity_count"
        )
    )


STATUS_LABELS = dict(PlanStatus.choices)


def home_page(request, user_id: int) -> HttpResponse:
    """The plans a user's home page lists, grouped by owner: one query."""
    rows = list(visible_plans(user_id))
    for row in rows:
        row["status_label"] = STATUS_LABELS[row["status"]]
    return HttpResponse(_template(HOME_TEMPLATE).render({"rows": rows}))


ROW_TEMPLATE = """<li id="activity-{{ a.pk }}"><span>{{ a.number }}</span><div>{{ a.title|linebreaksbr }}</div>
<div>{{ a.deadline_text }}</div><div>{{ a.responsible_text }}</div></li>"""


def activity_save(request, pk: int) -> HttpResponse:
    """An in-place edit at its floor: one UPDATE of the posted fields, one SELECT, one row rendered."""
    Activity.objects.filter(pk=pk).update(
        title=request.POST["title"], deadline_text=request.POST["deadline_text"]
    )
    row = Activity.objects.values("pk", "number", "title", "deadline_text", "responsible_text").get(pk=pk)
    return HttpResponse(_template(ROW_TEMPLATE).render({"a": row}))


def floor(request) -> HttpResponse:
    """The framework's floor for a logged-in page: every middleware, the session and the user
    loaded (request.user read), no query of its own, no template (the load run's Django anchor)."""
    user = request.user
    return HttpResponse(f"user:{user.get_username()}" if user.is_authenticated else "anonymous")
