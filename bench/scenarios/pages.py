"""The key pages against their bare ceilings: the plan page and every role's home page."""

from django.urls import reverse

from bench.registry import Case, Context, same_rows, scenario
from schools.choices import Role

CEILING = "bare view: 1 query, minimal template"

HOME_ROLES = {
    "regional admin": Role.REGIONAL_ADMIN,
    "head": Role.HEAD,
    "municipal coordinator": Role.MUNICIPAL_COORDINATOR,
    "specialist": Role.SPECIALIST,
    "school coordinator": Role.SCHOOL_COORDINATOR,
    "observer": Role.OBSERVER,
}


@scenario("plan page, 150 activities", goal_ratio=3.0)
def plan_page(ctx: Context) -> Case:
    """/plans/<pk>/ of the measured municipality's current plan, as its coordinator opens it."""
    client = ctx.client(ctx.user(Role.MUNICIPAL_COORDINATOR))
    ours = ctx.page(client, reverse("activities:plan_detail", args=[ctx.data.plan]))
    anchor = ctx.page(client, reverse("bench_plan_ceiling", args=[ctx.data.plan]))
    same_rows(r'id="activity-(\d+)"', ours(), anchor(), "plan page")
    return Case(ours=ours, anchor=anchor, anchor_name=CEILING)


@scenario("home page, {}", goal_ratio=3.0, params=HOME_ROLES)
def home_page(ctx: Context, role: str) -> Case:
    """/ of a user holding `role` in the measured municipality (the regional admin: the region)."""
    user = ctx.user(role)
    client = ctx.client(user)
    ours = ctx.page(client, reverse("home"))
    anchor = ctx.page(client, reverse("bench_home_ceiling", args=[user.pk]))
    same_rows(r'href="/plans/(\d+)/"', ours(), anchor(), f"home page of {role}")
    return Case(ours=ours, anchor=anchor, anchor_name=CEILING)
