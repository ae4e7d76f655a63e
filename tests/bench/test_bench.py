"""The benchmark suite runs and reports every field; the synthetic region has the promised shape.

Only the harness is tested here, never a timing: the bench is a measurement, not a timed test.
"""

import io
import json
from collections import Counter
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from activities.choices import ExecutionLevel, PlanStatus, TargetKind
from activities.models import Activity, Evidence, Execution, Plan
from activities.services import plan_renumber
from bench import registry
from bench.data import generate, municipality_sizes
from bench.registry import BenchError, Scenario, all_scenarios
from schools.choices import OrgKind, Role
from schools.models import Membership, Organization, UnobjectivityFlag

FIELDS = {"name", "ours_s", "anchor", "anchor_s", "ratio", "queries", "goal_ratio"}
HOME_ROLES = [
    "regional admin",
    "head",
    "municipal coordinator",
    "specialist",
    "school coordinator",
    "observer",
]


def test_bench_quick_writes_every_scenario_with_every_field(tmp_path, django_db_blocker):
    out = tmp_path / "bench.json"
    stdout = io.StringIO()
    with django_db_blocker.unblock():  # the bench uses its own databases, under tmp_path
        call_command(
            "bench",
            "--quick",
            *("--schools", "12", "--years", "1", "--repeat", "2", "--dir", str(tmp_path)),
            *("--json", str(out)),
            stdout=stdout,
            stderr=io.StringIO(),
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    names = [s["name"] for s in report["scenarios"]]
    assert names == [s.name for s in all_scenarios()]
    assert "plan page, 150 activities" in names
    assert all(f"home page, {role}" in names for role in HOME_ROLES)
    for s in report["scenarios"]:
        assert FIELDS <= s.keys(), s["name"]
        assert s["ours_s"] > 0 and s["anchor_s"] > 0
        # The ratio is printed to two decimals, the times are rounded too: a cached page at 0.33× of
        # its anchor is 0.3258 from the rounded times.
        assert s["ratio"] == pytest.approx(s["ours_s"] / s["anchor_s"], rel=0.01, abs=0.006)
        assert s["goal_ratio"] >= 1 and s["anchor"]
        assert s["anchor_queries"] <= 2  # a bare ceiling: at most one query (an edit: UPDATE + SELECT)
        # Both scales were measured: the small one (10 schools) and the run's.
        assert (s["schools_small"], s["schools"]) == (10, 12)
        assert s["queries_small"] > 0 and s["queries"] > 0
        assert s["queries_flat"] == (s["queries"] <= s["queries_small"])
    assert report["machine"]["nproc"] >= 1 and report["machine"]["database"]
    # The printed table has a row per scenario.
    assert all(f"| {name} |" in stdout.getvalue() for name in names)


def test_a_failing_scenario_is_reported_and_the_others_still_measured(
    tmp_path, django_db_blocker, monkeypatch
):
    def broken(ctx):
        raise BenchError("the page answers 500")

    all_ = [*registry._REGISTRY, Scenario(name="home page, broken", setup=broken, goal_ratio=3.0)]
    monkeypatch.setattr(registry, "_REGISTRY", all_)
    out = tmp_path / "bench.json"
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="home page, broken"):
        call_command(
            "bench",
            *("--quick", "--schools", "10", "--years", "1", "--repeat", "1", "-k", "home page, "),
            *("--dir", str(tmp_path), "--json", str(out)),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    by_name = {s["name"]: s for s in json.loads(out.read_text(encoding="utf-8"))["scenarios"]}
    assert "the page answers 500" in by_name["home page, broken"]["error"]
    assert by_name["home page, broken"]["goal_met"] is False
    assert by_name["home page, head"]["error"] is None and by_name["home page, head"]["ours_s"] > 0


def test_municipalities_have_10_to_40_schools():
    import random

    rng = random.Random(3)
    for schools in (10, 11, 40, 41, 49, 50, 333, 1000):
        sizes = municipality_sizes(schools, rng)
        assert sum(sizes) == schools
        assert all(10 <= size <= 40 for size in sizes), (schools, sizes)
    assert municipality_sizes(7, rng) == [7]


@pytest.mark.django_db
def test_generated_region_has_the_promised_shape():
    dataset = generate(schools=45, years=2, today=date(2026, 11, 1))  # plans of 2025/26 and 2026/27

    schools = Organization.objects.filter(kind=OrgKind.SCHOOL)
    per_municipality = schools.values("municipality").annotate(n=Count("pk"))
    assert schools.count() == 45 and len(per_municipality) >= 2
    assert all(10 <= row["n"] <= 40 for row in per_municipality)
    # Every role is held by someone; the ones the bench logs in as hold it where it measures.
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role)
    assert Membership.objects.get(user_id=dataset.users[Role.HEAD]).organization_id == dataset.municipality
    assert all(
        Membership.objects.filter(organization=s, role=Role.SCHOOL_COORDINATOR).exists() for s in schools
    )
    assert UnobjectivityFlag.objects.filter(year=2026).count() == 2  # ~5% of 45

    # One approved plan a year per municipality (and the region's model plan), 80–150 rows in 5–6 sections.
    municipal = Plan.objects.filter(owner__kind=OrgKind.MUNICIPALITY)
    assert municipal.count() == 2 * len(per_municipality)
    assert set(Counter(municipal.values_list("owner_id", flat=True)).values()) == {2}
    assert set(Plan.objects.values_list("status", flat=True)) == {PlanStatus.APPROVED}
    for plan in Plan.objects.annotate(
        a=Count("activities", distinct=True), s=Count("sections", distinct=True)
    ):
        assert 80 <= plan.a <= 150 and 5 <= plan.s <= 6, plan
    measured = Plan.objects.get(pk=dataset.plan)
    assert measured.owner_id == dataset.municipality and measured.activities.count() == 150

    # Numbers are what plan_renumber would write.
    numbers = dict(Activity.objects.filter(plan=measured).values_list("pk", "number"))
    plan_renumber(plan=measured)
    assert dict(Activity.objects.filter(plan=measured).values_list("pk", "number")) == numbers

    # An execution for every target school (or the authority) and every occurrence.
    for activity in Activity.objects.filter(plan__owner__kind=OrgKind.MUNICIPALITY).select_related("plan")[
        :200
    ]:
        done_by = set(activity.executions.values_list("organization_id", flat=True))
        if activity.execution_level == ExecutionLevel.AUTHORITY:
            assert done_by == {activity.plan.owner_id}
        elif activity.target_kind == TargetKind.ALL:
            assert done_by == set(
                schools.filter(municipality=activity.plan.owner_id).values_list("pk", flat=True)
            )
        elif activity.target_kind == TargetKind.FLAGGED:
            flagged = UnobjectivityFlag.objects.filter(
                year=activity.target_flag_year, school__municipality=activity.plan.owner_id
            )
            assert done_by == set(flagged.values_list("school_id", flat=True))
        else:
            assert done_by == set(activity.target_schools.values_list("pk", flat=True))
        occurrences = Counter(activity.executions.values_list("organization_id", flat=True))
        assert len(set(occurrences.values())) <= 1  # every target has every occurrence
    assert Evidence.objects.exists()
    assert not Evidence.objects.exclude(execution__status="done").exists()
    assert dataset.counts["executions"] == Execution.objects.count()
