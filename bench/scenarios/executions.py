"""The progress pages of issue 6 against their bare ceilings: a municipality's dashboard (the
largest municipality of the region and its current plan: schools × activities) and the regional
administrator's overview of every municipality.

The ceilings are bare views of the same rows from one query, like bench.ceilings. They are
mounted by this module's own URLconf (`urlpatterns` below), which the anchor's test client selects
per request (`request.urlconf`), so nothing outside the bench can reach them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler
from django.urls import path, reverse
from django.utils import timezone

from activities.choices import ExecutionStatus, PlanStatus
from activities.models import Execution, Plan
from activities.progress import current_plans
from bench.ceilings import _template
from bench.registry import BenchError, Case, Context, same_rows, scenario
from schools.choices import OrgKind, Role
from schools.models import Organization

CEILING = "bare view: 1 query, minimal template"
OPEN = Q(status__in=(ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS))

DASHBOARD_TEMPLATE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Ход выполнения</title></head>
<body><table>
{% for c in rows %}{% ifchanged c.activity_id %}<tr><th>{{ c.activity__number }}</th><td>{{ c.activity__title|truncatechars:90 }}</td>
{% endifchanged %}<td class="c s-{{ c.state }}"><a href="/executions/{{ c.first }}/" title="{{ c.organization__short_name }}">{{ c.done }}/{{ c.n }}</a></td>
{% endfor %}</table></body></html>"""

REGION_TEMPLATE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Регион</title></head>
<body><table>
{% for m in rows %}<tr id="municipality-{{ m.activity__plan__owner_id }}"><td>{{ m.activity__plan__owner__name }}</td><td>{{ m.done }}/{{ m.n }}</td><td>{{ m.review }}</td><td>{{ m.overdue }}</td></tr>
{% endfor %}</table></body></html>"""


def dashboard_ceiling(request, pk: int) -> HttpResponse:
    """The plan's matrix cells (activity × organisation) with their counts: one query."""
    today = timezone.localdate()
    rows = list(
        Execution.objects.filter(activity__plan_id=pk)
        .values(
            "activity_id",
            "activity__number",
            "activity__title",
            "organization_id",
            "organization__short_name",
        )
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=ExecutionStatus.DONE)),
            overdue=Count("pk", filter=OPEN & Q(due_date__lt=today)),
            first=Min("pk"),
        )
        .order_by("activity__section__position", "activity__position", "organization__name")
    )
    for c in rows:
        c["state"] = "overdue" if c["overdue"] else ("done" if c["done"] == c["n"] else "open")
    return HttpResponse(_template(DASHBOARD_TEMPLATE).render({"rows": rows}))


def region_ceiling(request, pk: int) -> HttpResponse:
    """Each municipality's current plan with its counts: one query."""
    today = timezone.localdate()
    region = Organization(pk=pk, kind=OrgKind.REGION)
    rows = list(
        Execution.objects.filter(activity__plan__in=current_plans(region))
        .values("activity__plan__owner_id", "activity__plan__owner__name")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=ExecutionStatus.DONE)),
            review=Count("pk", filter=Q(status=ExecutionStatus.DONE, review_status="")),
            overdue=Count("pk", filter=OPEN & Q(due_date__lt=today)),
        )
        .order_by("activity__plan__owner__name")
    )
    return HttpResponse(_template(REGION_TEMPLATE).render({"rows": rows}))


urlpatterns = [
    path("__bench__/progress/<int:pk>/", dashboard_ceiling, name="bench_progress_ceiling"),
    path("__bench__/region/<int:pk>/", region_ceiling, name="bench_region_ceiling"),
]


class _CeilingHandler(ClientHandler):
    """Requests resolved against this module's URLconf, through the same middleware as the app's."""

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


def _anchor(ctx: Context, user, name: str, pk: int):
    client = Client()
    client.handler = _CeilingHandler(enforce_csrf_checks=False)
    client.force_login(user)
    link = f"/__bench__/{name}/{pk}/"
    return ctx.page(client, link)


def _largest_municipality(ctx: Context) -> tuple[Organization, Plan]:
    municipality = (
        Organization.objects.municipalities()
        .filter(region_id=ctx.data.region)
        .annotate(schools=Count("children", filter=Q(children__kind=OrgKind.SCHOOL)))
        .order_by("-schools", "pk")
        .first()
    )
    plan = (
        Plan.objects.filter(owner=municipality, status=PlanStatus.APPROVED)
        .order_by("-period_start", "pk")
        .first()
    )
    if plan is None:
        raise BenchError(f"{municipality}: no approved plan")
    return municipality, plan


@scenario("dashboard, largest municipality", goal_ratio=3.0)
def dashboard(ctx: Context) -> Case:
    """/plans/<pk>/progress/ of the region's largest municipality (up to 40 schools) and its current
    plan (80–150 activities), as its municipal coordinator opens it."""
    municipality, plan = _largest_municipality(ctx)
    user = get_user_model().objects.get(username=f"bench-{municipality.code}-coordinator")
    ours = ctx.page(ctx.client(user), reverse("activities:plan_progress", args=[plan.pk]))
    anchor = _anchor(ctx, user, "progress", plan.pk)
    same_rows(r'<td class="c s-\w+"><a href="/executions/(\d+)/"', ours(), anchor(), "dashboard")
    return Case(ours=ours, anchor=anchor, anchor_name=CEILING)


@scenario("regional overview, every municipality", goal_ratio=3.0)
def regional_overview(ctx: Context) -> Case:
    """/regions/<pk>/progress/ of the whole region (1,000 schools at full scale) for its administrator."""
    user = ctx.user(Role.REGIONAL_ADMIN)
    ours = ctx.page(ctx.client(user), reverse("activities:region_progress", args=[ctx.data.region]))
    anchor = _anchor(ctx, user, "region", ctx.data.region)
    same_rows(r'id="municipality-(\d+)"', ours(), anchor(), "regional overview")
    return Case(ours=ours, anchor=anchor, anchor_name=CEILING)
