"""What the results pages show, built from one Analysis: the tables and the charts. No queries
beyond the few named here (names, flags, the region's score distributions)."""

from dataclasses import dataclass, field

from results import charts
from results.analysis import Analysis, Key, region_id_of, sum_rows
from results.markers import Marker, Row
from results.models import VprResult
from schools.choices import FlagSource, OrgKind
from schools.models import Organization, UnobjectivityFlag


@dataclass
class SchoolLine:
    school: dict
    years: list[tuple[int, list[Marker], list[str]]]  # (year, markers, flag sources)
    total: int = 0


@dataclass
class Work:
    subject: str
    grade: int
    year: int
    row: Row
    marks_chart: str = ""
    scores_chart: str = ""
    dynamics_chart: str = ""
    markers: list[Marker] = field(default_factory=list)
    region_computed: bool = False

    @property
    def param(self) -> str:
        return f"{self.subject}|{self.grade}"


def flag_sources(school_ids, years) -> dict[tuple[int, int], list[str]]:
    found: dict[tuple[int, int], list[str]] = {}
    for school, year, source in UnobjectivityFlag.objects.filter(
        school_id__in=school_ids, year__in=years
    ).values_list("school_id", "year", "source"):
        found.setdefault((school, year), []).append(FlagSource(source).label)
    return found


def school_names(ids) -> dict[int, dict]:
    return {
        s["pk"]: s
        for s in Organization.objects.filter(pk__in=ids).values(
            "pk", "name", "short_name", "code", "fis_oko_login"
        )
    }


def region_scores(analysis: Analysis, keys: set[Key]) -> dict[Key, tuple[int, ...]]:
    """The region's score distribution per key: imported, or summed over its schools (one query)."""
    found = {
        k: analysis.region[k].counts() for k in keys if k in analysis.region and analysis.region[k].counts()
    }
    missing = keys - set(found)
    if missing:
        rows = VprResult.objects.filter(
            organization__region_id=region_id_of(analysis.area),
            organization__kind=OrgKind.SCHOOL,
            year__in={k[2] for k in missing},
            subject__in={k[0] for k in missing},
            grade__in={k[1] for k in missing},
        ).values_list("subject", "grade", "year", "scores")
        sums: dict[Key, list[int]] = {}
        for subject, grade, year, scores in rows:
            if (subject, grade, year) in missing and scores:
                total = sums.setdefault((subject, grade, year), [])
                for i, count in enumerate(scores):
                    total.extend([0] * (i + 1 - len(total)))
                    total[i] += count
        found.update({k: tuple(v) for k, v in sums.items()})
    return found


def _share(row: Row | None, *marks: int) -> float | None:
    return row.share(*marks) if row is not None and row.marks else None


def draw(
    work: Work, analysis: Analysis, rows_by_year: dict[int, Row], region_scores_: tuple, label: str
) -> None:
    key = (work.subject, work.grade, work.year)
    region = analysis.region.get(key)
    work.region_computed = key in analysis.computed
    if work.row.marks:
        work.marks_chart = charts.marks_chart(work.row, region, school_label=label)
    if work.row.counts():
        work.scores_chart = charts.scores_chart(
            work.row.counts(), region_scores_, analysis.scales.get(key), school_label=label
        )
    series = [
        ("line-school", f"«4»+«5», {label}", [_share(rows_by_year.get(y), 4, 5) for y in analysis.years]),
        ("line-region", "«4»+«5», регион", [_share(analysis.region.get((work.subject, work.grade, y)), 4, 5) for y in analysis.years]),
        ("line-school2", f"«2», {label}", [_share(rows_by_year.get(y), 2) for y in analysis.years]),
        ("line-region2", "«2», регион", [_share(analysis.region.get((work.subject, work.grade, y)), 2) for y in analysis.years]),
    ]  # fmt: skip
    if sum(1 for _c, _l, values in series[:1] for v in values if v is not None) > 1:
        work.dynamics_chart = charts.dynamics_chart(analysis.years, series)


def area_context(analysis: Analysis, work_param: str = "") -> dict:
    """The municipal page: schools with markers by year, the chart of their number, and one work's
    distributions and dynamics for the whole area against the region."""
    years = analysis.years
    names = school_names(analysis.by_school)
    flagged = flag_sources(list(analysis.by_school), years)
    lines = []
    for school_id, markers in analysis.by_school.items():
        per_year = [(y, [m for m in markers if m.year == y], flagged.get((school_id, y), [])) for y in years]
        lines.append(SchoolLine(school=names[school_id], years=per_year, total=len(markers)))
    lines.sort(key=lambda line: (-line.total, line.school["name"]))
    with_results = {y: {r.org_id for r in analysis.rows if r.year == y} for y in years}
    counts = [
        (str(y), len({m.school_id for m in analysis.markers if m.year == y}), len(with_results[y]))
        for y in years
    ]
    context = {
        "lines": lines,
        "count_chart": charts.count_chart(counts) if years else "",
        "works": [],
        "work": None,
    }
    if not years:
        return context
    last = years[-1]
    by_work: dict[tuple[str, int], list[Row]] = {}
    for r in analysis.rows:
        by_work.setdefault((r.subject, r.grade), []).append(r)
    works = sorted(
        {(r.subject, r.grade) for r in analysis.rows if r.year == last}, key=lambda w: (w[1], w[0])
    )
    context["works"] = [{"param": f"{s}|{g}", "label": f"{s}, {g} класс"} for s, g in works]
    if not works:
        return context
    marked = {(m.subject, m.grade): 0 for m in analysis.markers if m.year == last}
    for m in analysis.markers:
        if m.year == last:
            marked[(m.subject, m.grade)] += 1
    chosen = next((w for w in works if f"{w[0]}|{w[1]}" == work_param), None)
    chosen = chosen or max(works, key=lambda w: (marked.get(w, 0), -w[1]))
    totals = {y: sum_rows([r for r in by_work[chosen] if r.year == y]) for y in years}
    totals = {y: t for y, t in totals.items() if t is not None}
    work = Work(subject=chosen[0], grade=chosen[1], year=last, row=totals[last])
    key = (work.subject, work.grade, last)
    draw(
        work,
        analysis,
        totals,
        region_scores(analysis, {key}).get(key, ()),
        analysis.area.short_name or "муниципалитет",
    )
    context["work"] = work
    return context


def school_context(analysis: Analysis, school: Organization, *, full: bool) -> dict:
    """The school's page: each work of the latest year it wrote, with its charts (and, in full, its
    markers of the three years)."""
    years = analysis.years
    mine = [r for r in analysis.rows if r.year in years]
    by_work: dict[tuple[str, int], dict[int, Row]] = {}
    for r in mine:
        by_work.setdefault((r.subject, r.grade), {})[r.year] = r
    works = []
    for (subject, grade), rows in sorted(by_work.items(), key=lambda p: (p[0][1], p[0][0])):
        year = max(rows)
        works.append(Work(subject=subject, grade=grade, year=year, row=rows[year]))
    scores = region_scores(analysis, {(w.subject, w.grade, w.year) for w in works if w.row.counts()})
    label = school.short_name or "ОО"
    for work in works:
        draw(
            work,
            analysis,
            by_work[(work.subject, work.grade)],
            scores.get((work.subject, work.grade, work.year), ()),
            label,
        )
        if full:
            work.markers = [m for m in analysis.markers if (m.subject, m.grade) == (work.subject, work.grade)]
    marker_years = sorted({m.year for m in analysis.markers}, reverse=True) if full else []
    return {"works": works, "marker_years": marker_years}
