"""A synthetic region at any scale, written with bulk inserts (`manage.py generate_scale_data`).

One region; municipalities of 10–40 schools, each with its education authority and staff (head,
coordinator, specialists, observers); a coordinator for every school; unobjectivity flags for ~5%
of schools a year; per year one approved plan of 80–150 activities in 5–6 sections for every
municipality and a regional model plan; executions for every target school (or the authority) and
every occurrence, with completion, review and evidence rows as a year's work leaves them.

Texts come from the real plans of fixtures/demo/plans, so rows render like real ones. Numbers of
sections and activities are written directly: they are denormalised (activities.services
plan_renumber) and a bulk insert bypasses the services. The VPR sessions and observers of
DESIGN.md §2 belong here once their models exist (bump VERSION when the data changes).
"""

import time
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from activities.models import Activity, Evidence, Execution, Plan, Section
from bench.data.generator import DataSet, _Generator
from bench.data.vocabulary import (
    BATCH,
    MEASURED_PLAN_ACTIVITIES,
    PASSWORD,
    VERSION,
    municipality_sizes,
)
from schools.choices import OrgKind
from schools.models import Membership, Organization, UnobjectivityFlag

__all__ = [
    "BATCH",
    "MEASURED_PLAN_ACTIVITIES",
    "PASSWORD",
    "VERSION",
    "DataSet",
    "generate",
    "municipality_sizes",
    "row_counts",
]


def row_counts() -> dict[str, int]:
    """How many rows each generated table holds."""
    orgs = Organization.objects
    return {
        "regions": orgs.filter(kind=OrgKind.REGION).count(),
        "municipalities": orgs.filter(kind=OrgKind.MUNICIPALITY).count(),
        "schools": orgs.filter(kind=OrgKind.SCHOOL).count(),
        "users": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "flags": UnobjectivityFlag.objects.count(),
        "plans": Plan.objects.count(),
        "sections": Section.objects.count(),
        "activities": Activity.objects.count(),
        "activity_roles": Activity.responsible_roles.through.objects.count(),
        "activity_persons": Activity.responsible_persons.through.objects.count(),
        "activity_target_schools": Activity.target_schools.through.objects.count(),
        "executions": Execution.objects.count(),
        "evidence": Evidence.objects.count(),
    }


def generate(*, schools: int, years: int, seed: int = 1, today: date | None = None, log=None) -> DataSet:
    """Write a synthetic region of `schools` schools and `years` yearly plans into the default
    database (empty of bench data), in one transaction; returns where the bench should measure."""
    if schools < 1 or years < 1:
        raise ValueError("Нужны хотя бы одна школа и один год.")
    started = time.perf_counter()
    gen = _Generator(
        schools=schools, years=years, seed=seed, today=today or date.today(), log=log or (lambda _: None)
    )
    with transaction.atomic():
        gen.organisations()
        gen.people()
        gen.log(
            f"  {len(gen.municipalities)} municipalities, {len(gen.schools)} schools, {len(gen.users)} users"
        )
        gen.plans()
        gen.execution_rows.reset_sequence()
        gen.evidence_rows.reset_sequence()
    analyze()
    gen.dataset.counts = row_counts()
    gen.dataset.generated_in_s = round(time.perf_counter() - started, 1)
    return gen.dataset


def analyze() -> None:
    """Give PostgreSQL's planner the statistics of the data just written, as autovacuum would a
    minute after a bulk load: without them it guessed one row per table, and a school's task list
    (111 rows of 8,962) took 4.8 ms to read instead of 0.7 ms."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
