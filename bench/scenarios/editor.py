"""The plan editor (issue 4): its page for a 150-activity draft and one in-place edit."""

from urllib.parse import urlencode

from django.urls import reverse

from activities import services
from activities.models import Activity, Plan
from bench.registry import BenchError, Case, Context, same_rows, scenario
from bench.scenarios.pages import CEILING
from schools.choices import Role


def _draft(ctx: Context) -> Plan:
    """A draft new version of the measured plan (made once; asking again returns the same draft)."""
    approved = Plan.objects.get(pk=ctx.data.plan)
    return services.plan_new_version(plan=approved, actor=ctx.user(Role.MUNICIPAL_COORDINATOR))


@scenario("editor page, 150 activities", goal_ratio=3.0)
def editor_page(ctx: Context) -> Case:
    """/plans/<pk>/edit/ of a draft as large as the measured plan, with every row's due dates."""
    draft = _draft(ctx)
    client = ctx.client(ctx.user(Role.MUNICIPAL_COORDINATOR))
    ours = ctx.page(client, reverse("activities:plan_edit", args=[draft.pk]))
    anchor = ctx.page(client, reverse("bench_plan_ceiling", args=[draft.pk]))
    same_rows(r'id="activity-(\d+)"', ours(), anchor(), "editor page")
    return Case(ours=ours, anchor=anchor, anchor_name=CEILING)


# Both posted as the browser posts them (hx-post: urlencoded), not as the test client's multipart.
FORM = "application/x-www-form-urlencoded"


def encoded(data: dict) -> str:
    return urlencode(data, doseq=True)


@scenario("editor: save one activity in place", goal_ratio=3.0)
def activity_save(ctx: Context) -> Case:
    """POST of the activity form (validation, deadline parsing, version check, history record,
    the row rendered back) against one UPDATE and one row rendered."""
    draft = _draft(ctx)
    activity = Activity.objects.filter(plan=draft).order_by("section__position", "position").first()
    client = ctx.client(ctx.user(Role.MUNICIPAL_COORDINATOR))
    url = reverse("activities:activity_edit", args=[activity.pk])
    anchor_url = reverse("bench_activity_save", args=[activity.pk])
    state = {"version": activity.version, "n": 0}
    # The form as the editor shows it for this activity: every field it posts back unchanged.
    base = {
        "deadline_mode": "auto",
        "responsible_text": activity.responsible_text,
        "expected_result": activity.expected_result,
        "execution_level": activity.execution_level,
        "target_kind": activity.target_kind,
        "target_flag_year": activity.target_flag_year or "",
        "target_schools": list(activity.target_schools.values_list("pk", flat=True)),
        "responsible_roles": list(activity.responsible_roles.values_list("pk", flat=True)),
        "responsible_persons": list(activity.responsible_persons.values_list("pk", flat=True)),
    }

    def form(n: int) -> dict:
        return {**base, "title": f"{activity.title[:200]} ({n})", "deadline_text": "До 15.03.2025"}

    def ours():
        state["n"] += 1
        response = client.post(url, encoded({**form(state["n"]), "version": state["version"]}), content_type=FORM)
        if response.status_code != 200 or b"ed-main" not in response.content:
            raise BenchError(f"POST {url}: the row did not come back ({response.status_code})")
        state["version"] += 1
        return response

    def anchor():
        state["n"] += 1
        return client.post(anchor_url, encoded(form(state["n"])), content_type=FORM)

    return Case(ours=ours, anchor=anchor, anchor_name="bare view: 1 UPDATE, 1 SELECT, one row")
