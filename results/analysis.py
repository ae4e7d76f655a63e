"""VPR results of a municipality, a region or one school, loaded in a few queries and analysed
in one pass: the markers, the region's reference figures and what the charts draw.

The region's figures are the region's own row of the ФИС ОКО exports when one was imported;
otherwise the sum of the region's schools in the database (`computed` tells which).
"""

from dataclasses import dataclass, field

from django.db.models import Max, Q, Sum, TextField
from django.db.models.functions import Cast

from results.markers import Marker, Row, Thresholds, compute
from results.models import GradingScale, VprResult
from schools.choices import OrgKind
from schools.models import Organization

YEARS_SHOWN = 3
ROW_FIELDS = (
    "organization_id", "year", "subject", "grade", "participants", "marks_2", "marks_3", "marks_4", "marks_5",
    "scores_text", "lowered", "confirmed", "raised",
)  # fmt: skip


def _values(queryset):
    """The rows as tuples, the score distribution as its JSON text (no decoding of 30,000 lists
    that the markers mostly never read)."""
    return queryset.annotate(scores_text=Cast("scores", TextField())).values_list(*ROW_FIELDS)


Key = tuple[str, int, int]  # (subject, grade, year)


def schools_q(area: Organization, field: str = "organization") -> Q:
    """The schools of `area` (a region, a municipality or one school) through `field`."""
    if area.kind == OrgKind.SCHOOL:
        return Q(**{f"{field}_id": area.pk})
    scope = "region" if area.kind == OrgKind.REGION else "municipality"
    return Q(**{f"{field}__{scope}_id": area.pk, f"{field}__kind": OrgKind.SCHOOL})


def region_id_of(area: Organization) -> int:
    return area.pk if area.kind == OrgKind.REGION else area.region_id


def latest_year(area: Organization) -> int | None:
    return VprResult.objects.filter(schools_q(area)).aggregate(y=Max("year"))["y"]


def shown_years(area: Organization, year: int | None = None) -> list[int]:
    """The three years up to `year` (default: the latest with results), oldest first."""
    last = year or latest_year(area)
    return list(range(last - YEARS_SHOWN + 1, last + 1)) if last else []


def to_row(values: tuple) -> Row:
    org, year, subject, grade, participants, m2, m3, m4, m5, scores, lowered, confirmed, raised = values
    return Row(
        org,
        year,
        subject,
        grade,
        participants,
        None if m2 is None or m3 is None or m4 is None or m5 is None else (m2, m3, m4, m5),
        scores or (),  # JSON text: read only where a marker or a chart needs it
        None if lowered is None or confirmed is None or raised is None else (lowered, confirmed, raised),
    )


@dataclass
class Analysis:
    area: Organization
    years: list[int]
    rows: list[Row]  # the schools' rows of `years` and of the year before
    region: dict[Key, Row]
    computed: set[Key]  # region figures summed from the schools, not imported
    scales: dict[Key, list[tuple[int, int]]]
    markers: list[Marker]
    by_school: dict[int, list[Marker]] = field(default_factory=dict)

    def __post_init__(self):
        for m in self.markers:
            self.by_school.setdefault(m.school_id, []).append(m)


def analyse(*, area: Organization, years: list[int], thresholds: Thresholds | None = None) -> Analysis:
    """Markers of every school of `area` in `years`: 3 or 4 queries whatever the number of schools."""
    if not years:
        return Analysis(area, [], [], {}, set(), {}, [])
    results = VprResult.objects.filter(schools_q(area), year__gte=min(years) - 1, year__lte=max(years))
    rows = [to_row(v) for v in _values(results)]
    region, computed = region_rows(region_id_of(area), {(r.subject, r.grade, r.year) for r in rows})
    scales = {
        (subject, grade, year): [(3, m3), (4, m4), (5, m5)]
        for subject, grade, year, m3, m4, m5 in GradingScale.objects.filter(year__in=years).values_list(
            "subject", "grade", "year", "min_3", "min_4", "min_5"
        )
    }
    markers = compute(rows, years=years, region=region, scales=scales, thresholds=thresholds)
    return Analysis(area, years, rows, region, computed, scales, markers)


def region_rows(region_id: int, keys: set[Key]) -> tuple[dict[Key, Row], set[Key]]:
    """The region's row per key: imported (one query) or, for the keys without marks, the sum of
    the region's schools (one more query, only then)."""
    if not keys:
        return {}, set()
    years = {k[2] for k in keys}
    region = {
        (r.subject, r.grade, r.year): r
        for r in map(to_row, _values(VprResult.objects.filter(organization_id=region_id, year__in=years)))
    }
    missing = {k for k in keys if k not in region or not region[k].marks}
    computed: set[Key] = set()
    if missing:
        sums = (
            VprResult.objects.filter(
                organization__region_id=region_id,
                organization__kind=OrgKind.SCHOOL,
                year__in={k[2] for k in missing},
                subject__in={k[0] for k in missing},
                grade__in={k[1] for k in missing},
                marks_2__isnull=False,
            )
            .values_list("subject", "grade", "year")
            .annotate(Sum("participants"), Sum("marks_2"), Sum("marks_3"), Sum("marks_4"), Sum("marks_5"))
            .order_by()
        )
        for subject, grade, year, n, m2, m3, m4, m5 in sums:
            key = (subject, grade, year)
            if key in missing:
                base = region.get(key)
                region[key] = Row(
                    region_id, year, subject, grade, n, (m2, m3, m4, m5), base.scores if base else ()
                )
                computed.add(key)
    return region, computed


def sum_rows(rows: list[Row]) -> Row | None:
    """The area's total of one work: marks and score distributions added up."""
    if not rows:
        return None
    first = rows[0]
    marked = [r.marks for r in rows if r.marks]
    scores: list[int] = []
    for r in rows:
        for i, count in enumerate(r.counts()):
            if i >= len(scores):
                scores.append(0)
            scores[i] += count
    marks = tuple(sum(m[i] for m in marked) for i in range(4)) if marked else None
    return Row(
        0, first.year, first.subject, first.grade, sum(r.participants for r in rows), marks, tuple(scores)
    )
