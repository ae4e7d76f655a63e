"""Markers (маркеры) of VPR results, each explained in plain Russian with its numbers.

A marker is a sign worth looking into, never a verdict: the texts say what was measured, the
threshold it crossed and what it may mean. Pure functions over plain rows: `results.analysis`
loads the rows in a few queries and calls `compute` once for a whole municipality or region.

| kind           | fires when (defaults in settings)                                                  |
|----------------|------------------------------------------------------------------------------------|
| above_region   | share of «4»+«5» more than 20 points above the region's                            |
| journal        | «понизили» below 5 % and «повысили» above 15 % of participants                     |
| boundary_peak  | the least score of «3»/«4»/«5» held by ≥ 2× as many as the score just below, a     |
|                | surplus that chance explains less than once in 100 (against the region's slope)    |
| twos_rose      | share of «2» up by 10 points or more since last year                               |
| twos_fell      | share of «2» down by 10 points or more since last year                             |
| cohort_drop    | «4»+«5» of grade N this year 25 points or more below grade N-1 last year (subject) |

Shares need 20 participants, the score distribution 50 (both settings); smaller samples give
no marker at all.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from results.choices import MarkerKind
from results.wording import once_in, part, pct, people, pp, sentence, times

EPSILON = 1e-9  # 10.000000001 - 0 is a rise of 10 points, not more


@dataclass(frozen=True)
class Thresholds:
    min_participants: int = 20
    min_participants_scores: int = 50
    above_region_points: float = 20.0
    journal_lowered_max: float = 5.0
    journal_raised_min: float = 15.0
    peak_ratio: float = 2.0
    peak_chance: float = 0.01
    twos_rise_points: float = 10.0
    twos_fall_points: float = 10.0
    cohort_drop_points: float = 25.0

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            **{name: getattr(settings, f"RESULTS_{name.upper()}") for name in cls.__dataclass_fields__}
        )


class Row:
    """One organisation's results of one VPR; `marks` is («2», «3», «4», «5»), `journal` is
    (понизили, подтвердили, повысили), `scores` the count of participants for 0, 1, 2… points
    (or its JSON text as loaded: `counts()` reads it on first use — most rows never need it).

    A plain slotted class, not a dataclass: a region's 30,000 rows are built in one go, and the
    shares every marker compares are computed once, here."""

    __slots__ = (
        "org_id", "year", "subject", "grade", "participants", "marks", "scores", "journal", "marked", "share_2",
        "share_45",
    )  # fmt: skip

    def __init__(
        self,
        org_id: int,
        year: int,
        subject: str,
        grade: int,
        participants: int = 0,
        marks: tuple[int, int, int, int] | None = None,
        scores: tuple[int, ...] | str = (),
        journal: tuple[int, int, int] | None = None,
    ):
        self.org_id, self.year, self.subject, self.grade = org_id, year, subject, grade
        self.participants, self.marks, self.scores, self.journal = participants, marks, scores, journal
        self.marked, self.share_2, self.share_45 = 0, 0.0, 0.0
        if marks:
            self.marked = total = marks[0] + marks[1] + marks[2] + marks[3]
            if total:
                self.share_2 = 100.0 * marks[0] / total
                self.share_45 = 100.0 * (marks[2] + marks[3]) / total

    def __repr__(self) -> str:
        return f"Row({self.org_id}, {self.year}, {self.subject!r}, {self.grade}, marks={self.marks})"

    def counts(self) -> tuple[int, ...]:
        if isinstance(self.scores, str):
            self.scores = tuple(json.loads(self.scores)) if self.scores else ()
        return self.scores

    def share(self, *marks: int) -> float:
        """Percent of participants with one of `marks` (2–5)."""
        total = self.marked
        return 100.0 * sum(self.marks[m - 2] for m in marks) / total if total else 0.0  # type: ignore[index]


@dataclass(slots=True)
class Marker:
    kind: str
    school_id: int
    year: int
    subject: str
    grade: int
    text: str

    @property
    def label(self) -> str:
        return MarkerKind(self.kind).label

    @property
    def work(self) -> str:
        return f"{self.subject}, {self.grade} класс"

    def line(self) -> str:
        """The marker in one line, as a flag's «маркеры» keeps it."""
        return f"ВПР-{self.year}, {self.work}: {self.label}. {self.text}"


# The markers ---------------------------------------------------------------------------------------


def above_region(row: Row, region: Row | None, t: Thresholds) -> Marker | None:
    if region is None or not row.marks or not region.marks or row.marked < t.min_participants:
        return None
    ours, theirs = row.share_45, region.share_45
    if ours - theirs <= t.above_region_points + EPSILON:
        return None
    good = row.marks[2] + row.marks[3]
    return _marker(
        MarkerKind.ABOVE_REGION,
        row,
        f"Доля отметок «4» и «5» — {pct(ours)} ({good} из {row.marked}), по региону — {pct(theirs)}: "
        f"выше на {pp(ours - theirs)} (маркер — более чем на {pp(t.above_region_points)}).",
    )


def journal(row: Row, t: Thresholds) -> Marker | None:
    if not row.journal:
        return None
    lowered, _confirmed, raised = row.journal
    total = sum(row.journal)
    if total < t.min_participants:
        return None
    low, high = 100.0 * lowered / total, 100.0 * raised / total
    if not (low < t.journal_lowered_max - EPSILON and high > t.journal_raised_min + EPSILON):
        return None
    return _marker(
        MarkerKind.JOURNAL,
        row,
        f"Понизили отметку по журналу (отметка за ВПР ниже) {pct(low)} участников ({lowered} из {total}), "
        f"повысили — {pct(high)} ({raised} из {total}). Обычно ВПР чаще понижает журнальную отметку; "
        f"маркер — понизили меньше {pct(t.journal_lowered_max)} и повысили больше {pct(t.journal_raised_min)}.",
    )


@lru_cache(maxsize=65536)
def chance(surplus: int, pair: int, p: float, stop: float = 1.0) -> float:
    """How often chance alone gives at least `surplus` of `pair` pupils at the boundary score when
    each of them lands there with probability `p` (the binomial tail). Summing stops once the tail
    reaches `stop`: the caller only asks whether it is below it. Cached: the same few counts
    recur across a region's schools."""
    total = 0.0
    for k in range(surplus, pair + 1):
        total += math.comb(pair, k) * p**k * (1 - p) ** (pair - k)
        if total >= stop:
            break
    return total


def boundary_peaks(
    row: Row,
    boundaries: list[tuple[int, int]] | None,
    t: Thresholds,
    reference: tuple[int, ...] = (),
    reference_label: str = "по региону",
) -> Marker | None:
    """The least score of a mark much more frequent than the score just below it, beyond what the
    `reference` distribution (the region's, without this school) and chance explain."""
    if not boundaries or row.participants < t.min_participants_scores:
        return None
    scores = row.scores
    if isinstance(scores, str):
        scores = scores[1:-1].split(",")  # "[0, 1, 2]" as stored: decoded in full only if it fires
    found = []
    for mark, least in boundaries:
        if least < 1 or least >= len(scores):
            continue
        at, below = int(scores[least]), int(scores[least - 1])
        if at + EPSILON < t.peak_ratio * max(below, 1):
            continue
        ref_at = reference[least] if least < len(reference) else 0
        ref_below = reference[least - 1] if least - 1 < len(reference) else 0
        p = ref_at / (ref_at + ref_below) if ref_at + ref_below else 0.5
        odds = chance(at, at + below, p, t.peak_chance)
        if odds >= t.peak_chance:
            continue
        ratio = f"{times(at / below)} больше" if below else "а на балл ниже — никого"
        compared = (
            f"; {reference_label} за эти баллы — {pct(part(ref_at, reference))} и "
            f"{pct(part(ref_below, reference))} участников"
            if sum(reference)
            else ""
        )
        found.append(
            f"за {least} первичных баллов (наименьший балл для «{mark}») — {people(at)}, за {least - 1} — "
            f"{below}: {ratio}{compared}"
        )
    if not found:
        return None
    total = sum(row.counts())
    if total < t.min_participants_scores:
        return None
    basis = f"с учётом распределения {reference_label}" if sum(reference) else "без распределения по региону"
    return _marker(
        MarkerKind.BOUNDARY_PEAK,
        row,
        f"{sentence('; '.join(found))} (всего участников {total}). Случайно такой перевес возникает реже "
        f"чем в {once_in(t.peak_chance)} ({basis}). Маркер — на границе отметки не менее чем "
        f"{times(t.peak_ratio)} больше участников, чем на балл ниже, и случайность так же маловероятна.",
    )


def twos_change(row: Row, last_year: Row | None, t: Thresholds) -> Marker | None:
    if last_year is None or not row.marks or not last_year.marks:
        return None
    if min(row.marked, last_year.marked) < t.min_participants:
        return None
    now, before = row.share_2, last_year.share_2
    change = (
        f"с {pct(before)} ({last_year.marks[0]} из {last_year.marked}) в {last_year.year} году "
        f"до {pct(now)} ({row.marks[0]} из {row.marked}) в {row.year} году"
    )
    if now - before + EPSILON >= t.twos_rise_points:
        return _marker(
            MarkerKind.TWOS_ROSE,
            row,
            f"Доля «2» выросла {change} — на {pp(now - before)} (маркер — рост на {pp(t.twos_rise_points)} "
            "и более). Резкий рост без видимой причины может означать, что прошлогодние результаты были "
            "выше реальных (например, в этом году работы проверяли строже).",
        )
    if before - now + EPSILON >= t.twos_fall_points:
        return _marker(
            MarkerKind.TWOS_FELL,
            row,
            f"Доля «2» снизилась {change} — на {pp(before - now)} (маркер — снижение на "
            f"{pp(t.twos_fall_points)} и более). Такое улучшение за один год встречается редко; стоит "
            "проверить, как проводились и проверялись работы этого года.",
        )
    return None


def cohort_drop(row: Row, same_pupils: Row | None, t: Thresholds) -> Marker | None:
    """The same pupils (grade N this year, N-1 last year, same subject) now far below."""
    if same_pupils is None or not row.marks or not same_pupils.marks:
        return None
    if min(row.marked, same_pupils.marked) < t.min_participants:
        return None
    now, before = row.share_45, same_pupils.share_45
    if before - now + EPSILON < t.cohort_drop_points:
        return None
    return _marker(
        MarkerKind.COHORT_DROP,
        row,
        f"Те же обучающиеся год назад ({same_pupils.grade} класс, {same_pupils.year}): доля «4» и «5» — "
        f"{pct(before)} из {same_pupils.marked}; сейчас ({row.grade} класс, {row.year}) — {pct(now)} из "
        f"{row.marked}, ниже на {pp(before - now)} (маркер — на {pp(t.cohort_drop_points)} и более). "
        "Возможно, прошлогодние результаты были выше реальных.",
    )


def _marker(kind: MarkerKind, row: Row, text: str) -> Marker:
    return Marker(kind.value, row.org_id, row.year, row.subject, row.grade, text)


def compute(
    rows: Iterable[Row],
    *,
    years: Iterable[int],
    region: dict[tuple[str, int, int], Row],
    scales: dict[tuple[str, int, int], list[tuple[int, int]]],
    thresholds: Thresholds | None = None,
) -> list[Marker]:
    """Every marker of the schools' `rows` in `years`. `rows` also hold the year before the first
    (for the year-over-year markers); `region` and `scales` are keyed by (subject, grade, year).

    The score distribution each school is compared with is the region's own when imported, else
    the sum of the other schools' rows here. Cheap comparisons come first: a marker's function runs
    only where its numbers could fire it (30,000 rows in well under a second)."""
    t = thresholds or Thresholds.from_settings()
    rows = list(rows)
    wanted = set(years)
    index = {(r.org_id, r.subject, r.grade, r.year): r for r in rows}
    references: dict[tuple[str, int, int], tuple[tuple[int, ...], str]] = {}
    by_key: dict[tuple[str, int, int], list[Row]] = {}
    if any(k not in region or not region[k].counts() for k in scales):
        for r in rows:
            by_key.setdefault((r.subject, r.grade, r.year), []).append(r)
    found: list[Marker] = []
    add = found.append
    least_marked, least_scored = t.min_participants, t.min_participants_scores
    above, twos, cohort = (
        t.above_region_points,
        min(t.twos_rise_points, t.twos_fall_points),
        t.cohort_drop_points,
    )
    lowered_max, get_region, get_row, get_scale = t.journal_lowered_max, region.get, index.get, scales.get
    for r in rows:
        year = r.year
        if year not in wanted:
            continue
        org, subject, grade = r.org_id, r.subject, r.grade
        key = (subject, grade, year)
        if r.marked >= least_marked:
            reg = get_region(key)
            if reg is not None and reg.marked and r.share_45 - reg.share_45 > above:
                add(above_region(r, reg, t))
            last = get_row((org, subject, grade, year - 1))
            if last is not None and last.marked and abs(r.share_2 - last.share_2) + EPSILON >= twos:
                add(twos_change(r, last, t))
            same = get_row((org, subject, grade - 1, year - 1))
            if same is not None and same.marked and same.share_45 - r.share_45 + EPSILON >= cohort:
                add(cohort_drop(r, same, t))
        journal_ = r.journal
        if journal_ and 100.0 * journal_[0] < lowered_max * (journal_[0] + journal_[1] + journal_[2]):
            add(journal(r, t))
        boundaries = get_scale(key)
        if boundaries and r.participants >= least_scored and r.scores and _may_peak(r, boundaries, t):
            if key not in references:
                references[key] = _reference(region.get(key), by_key.get(key, []))
            reference, label = references[key]
            if label != "по региону":  # the others' sum: without this school's own pupils
                own = r.counts()
                reference = tuple(c - (own[i] if i < len(own) else 0) for i, c in enumerate(reference))
            add(boundary_peaks(r, boundaries, t, reference, label))
    found = [m for m in found if m is not None]
    found.sort(key=lambda m: (m.school_id, -m.year, m.subject, m.grade, m.kind))
    return found


def _may_peak(row: Row, boundaries: list[tuple[int, int]], t: Thresholds) -> bool:
    """The cheap half of the boundary-peak test, on the JSON text itself when not yet decoded."""
    scores = row.scores
    if isinstance(scores, str):
        scores = scores[1:-1].split(",")  # "[0, 1, 2]" as stored: most rows are never decoded
    size = len(scores)
    for _mark, least in boundaries:
        if 0 < least < size and int(scores[least]) >= t.peak_ratio * max(int(scores[least - 1]), 1) - EPSILON:
            return True
    return False


def _reference(region: Row | None, rows: list[Row]) -> tuple[tuple[int, ...], str]:
    if region is not None and region.counts():
        return region.counts(), "по региону"
    total: list[int] = []
    for r in rows:
        if r.scores:
            for i, count in enumerate(r.counts()):
                if i >= len(total):
                    total.append(0)
                total[i] += count
    return tuple(total), "по остальным ОО"
