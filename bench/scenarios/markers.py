"""Markers of VPR results (issue 10) for a whole region: 1,000 schools × 3 years × 10
subject-grades, against loading the same rows.

The generated region has no VPR results (bench.data predates them), so the setup adds them
once, with bulk inserts, to the bench database: for every school, year and work a realistic mark
distribution, primary score distribution and comparison with the journal, drawn around the school's
own level; about 5 % of schools have inflated results (higher marks, pupils nudged over the mark
boundaries, few «понизили»); the region's own rows are the sums, as the ФИС ОКО reports them.
Ours loads everything (three queries) and computes every marker; the anchor reads the same rows
in one query and does nothing with them. The goal is 5×, not a page's 3×: ours is a Python pass
that builds and compares every one of the 30,000 rows (as the import scenario parses every row).
"""

import random

from django.db import connection

from bench.registry import BenchError, Case, Context, scenario
from results.analysis import analyse
from results.models import GradingScale, VprResult
from schools.models import Organization, UnobjectivityFlag

WORKS = [
    ("Русский язык", 4, 38), ("Математика", 4, 20), ("Окружающий мир", 4, 32), ("Русский язык", 5, 45),
    ("Математика", 5, 20), ("История", 5, 15), ("Биология", 5, 29), ("Русский язык", 6, 51),
    ("Математика", 6, 20), ("География", 6, 37),
]  # fmt: skip
YEARS = 3
INFLATED_SHARE = 0.05
ANCHOR = "the same rows, one query (UNION ALL)"


def _years(region_id: int) -> list[int]:
    flags = UnobjectivityFlag.objects.filter(school__region_id=region_id).values_list("year", flat=True)
    last = max(flags, default=2025)
    return list(range(last - YEARS + 1, last + 1))


def _scale(top: int) -> tuple[int, int, int]:
    return round(top * 0.25), round(top * 0.55), round(top * 0.8)


def _school_rows(
    rng: random.Random, school: int, level: float, inflated: bool, years: list[int]
) -> list[VprResult]:
    rows = []
    for year in years:
        for subject, grade, top in WORKS:
            m3, m4, m5 = _scale(top)
            n = rng.randint(12, 95)
            mean, spread = top * (0.55 + 0.08 * level + (0.12 if inflated else 0)), top * 0.18
            scores = [0] * (top + 1)
            for _ in range(n):
                s = min(top, max(0, round(rng.gauss(mean, spread))))
                if inflated and s + 1 in (m3, m4, m5) and rng.random() < 0.6:
                    s += 1  # nudged over the boundary
                scores[s] += 1
            marks = [sum(scores[:m3]), sum(scores[m3:m4]), sum(scores[m4:m5]), sum(scores[m5:])]
            lowered = round(n * (rng.uniform(0.0, 0.04) if inflated else rng.uniform(0.08, 0.3)))
            raised = round(n * (rng.uniform(0.16, 0.3) if inflated else rng.uniform(0.0, 0.1)))
            rows.append(
                VprResult(
                    organization_id=school,
                    year=year,
                    subject=subject,
                    grade=grade,
                    participants=n,
                    marks_2=marks[0],
                    marks_3=marks[1],
                    marks_4=marks[2],
                    marks_5=marks[3],
                    scores=scores,
                    lowered=lowered,
                    confirmed=n - lowered - raised,
                    raised=raised,
                )  # fmt: skip
            )
    return rows


def _region_rows(region_id: int, rows: list[VprResult]) -> list[VprResult]:
    sums: dict[tuple, VprResult] = {}
    for r in rows:
        key = (r.year, r.subject, r.grade)
        total = sums.get(key)
        if total is None:
            total = sums[key] = VprResult(
                organization_id=region_id, year=r.year, subject=r.subject, grade=r.grade, participants=0,
                marks_2=0, marks_3=0, marks_4=0, marks_5=0, scores=[0] * len(r.scores), lowered=0, confirmed=0, raised=0,
            )  # fmt: skip
        for name in (
            "participants",
            "marks_2",
            "marks_3",
            "marks_4",
            "marks_5",
            "lowered",
            "confirmed",
            "raised",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.scores = [a + b for a, b in zip(total.scores, r.scores, strict=True)]
    return list(sums.values())


def ensure_data(region_id: int) -> list[int]:
    """The region's VPR results of three years and the scales, written once per bench database."""
    years = _years(region_id)
    if VprResult.objects.filter(organization_id=region_id, year=years[-1]).exists():
        return years
    rng = random.Random(10)
    GradingScale.objects.bulk_create(
        [
            GradingScale(year=y, subject=s, grade=g, max_score=top, min_3=m3, min_4=m4, min_5=m5)
            for y in years
            for s, g, top in WORKS
            for m3, m4, m5 in [_scale(top)]
        ],
        ignore_conflicts=True,
    )
    schools = (
        Organization.objects.schools().filter(region_id=region_id).order_by("pk").values_list("pk", flat=True)
    )
    rows: list[VprResult] = []
    for school in schools:
        rows += _school_rows(rng, school, rng.gauss(0, 1), rng.random() < INFLATED_SHARE, years)
    VprResult.objects.bulk_create(rows + _region_rows(region_id, rows), batch_size=2000)
    return years


def anchor_rows(region_id: int, years: list[int]) -> list[tuple]:
    """The schools' rows (with the year before the first), the region's rows and the scales."""
    result, org, scale = VprResult._meta.db_table, Organization._meta.db_table, GradingScale._meta.db_table
    columns = "r.organization_id, r.year, r.subject, r.grade, r.participants, r.marks_2, r.marks_3, r.marks_4, " \
              "r.marks_5, r.scores, r.lowered, r.confirmed, r.raised"  # fmt: skip
    sql = f"""
        SELECT 1, {columns} FROM {result} r JOIN {org} o ON o.id = r.organization_id
         WHERE o.region_id = %s AND o.kind = 'school' AND r.year >= %s AND r.year <= %s
        UNION ALL
        SELECT 2, {columns} FROM {result} r WHERE r.organization_id = %s AND r.year >= %s AND r.year <= %s
        UNION ALL
        SELECT 3, NULL, s.year, s.subject, s.grade, s.max_score, s.min_3, s.min_4, s.min_5, NULL, NULL, NULL,
               NULL, NULL
          FROM {scale} s WHERE s.year >= %s AND s.year <= %s
    """
    first, last = years[0], years[-1]
    with connection.cursor() as cursor:
        cursor.execute(sql, [region_id, first - 1, last, region_id, first, last, first, last])
        return cursor.fetchall()


@scenario("markers: 1,000 schools × 3 years × 10 subject-grades", goal_ratio=5.0)
def region_markers(ctx: Context) -> Case:
    """Every marker of every school of the region in three years, from the rows as imported."""
    years = ensure_data(ctx.data.region)
    region = Organization.objects.get(pk=ctx.data.region)

    def ours():
        return analyse(area=region, years=years)

    def anchor():
        return anchor_rows(region.pk, years)

    analysis = ours()
    kinds = [row[0] for row in anchor()]
    if kinds.count(1) != len(analysis.rows) or not kinds.count(2):
        raise BenchError("markers: the anchor reads other rows than the analysis")
    if not analysis.markers or analysis.computed:
        raise BenchError("markers: no marker fired, or the region's rows are missing")
    return Case(ours=ours, anchor=anchor, anchor_name=ANCHOR)
