"""Each marker on constructed results: where it must fire, where it must not, and that small
samples give no marker at all. Pure functions: no database."""

import pytest
from django.test import override_settings

from results.markers import (
    Row,
    Thresholds,
    above_region,
    boundary_peaks,
    chance,
    cohort_drop,
    compute,
    journal,
    twos_change,
)
from results.wording import num, times

T = Thresholds()
SCALE = [(3, 6), (4, 11), (5, 16)]  # Математика 5: «3» from 6, «4» from 11, «5» from 16 of 20


def row(marks=None, *, year=2025, grade=5, scores=(), jour=None, org=1, subject="Математика") -> Row:
    return Row(org, year, subject, grade, sum(marks or scores or jour or ()), marks, tuple(scores), jour)


REGION = row((100, 400, 350, 150))  # «4»+«5» 50 %


def flat_scores(n_per_score=3, top=20):
    return [n_per_score] * (top + 1)


# Results far above the region ---------------------------------------------------------------------


def test_above_region_fires_with_its_numbers():
    marker = above_region(row((1, 4, 20, 25)), REGION, T)  # 90 % against 50 %
    assert marker is not None and marker.kind == "above_region"
    assert "90 % (45 из 50)" in marker.text and "по региону — 50 %" in marker.text
    assert "выше на 40 п. п." in marker.text and "более чем на 20 п. п." in marker.text


def test_above_region_needs_more_than_the_threshold():
    assert above_region(row((5, 15, 20, 10)), REGION, T) is None  # 60 %: 10 points above
    assert above_region(row((2, 18, 20, 10)), REGION, T) is None  # 60 %
    assert above_region(row((0, 15, 25, 10)), REGION, T) is None  # exactly 70 %: 20 points, not more
    assert above_region(row((0, 14, 26, 10)), REGION, T) is not None  # 72 %


def test_above_region_is_silent_on_a_small_sample_or_without_the_region():
    assert above_region(row((0, 1, 8, 10)), REGION, T) is None  # 19 participants < 20
    assert above_region(row((0, 1, 9, 10)), REGION, T) is not None  # 20
    assert above_region(row((1, 4, 20, 25)), None, T) is None
    assert above_region(row(None, scores=flat_scores()), REGION, T) is None


# Against the journal ------------------------------------------------------------------------------


def test_journal_fires_on_few_lowered_and_many_raised():
    marker = journal(row(jour=(1, 37, 12)), T)  # 2 % lowered, 24 % raised
    assert marker is not None and marker.kind == "journal"
    assert "2 % участников (1 из 50)" in marker.text and "24 % (12 из 50)" in marker.text


@pytest.mark.parametrize(
    "jour",
    [
        (10, 30, 10),  # many lowered (the usual picture)
        (1, 44, 5),  # few lowered, few raised
        (3, 37, 10),  # 6 % lowered: not below 5 %
    ],
)
def test_journal_is_silent_on_the_usual_picture(jour):
    assert journal(row(jour=jour), T) is None


def test_journal_threshold_edges_and_small_samples():
    assert journal(row(jour=(0, 42, 8)), T) is not None  # 0 % and 16 %
    assert journal(row(jour=(0, 43, 7)), T) is None  # 14 % raised
    assert journal(row(jour=(0, 12, 7)), T) is None  # 19 participants
    assert journal(row((1, 4, 20, 25)), T) is None  # no journal comparison imported


# Peaks at the mark boundaries ---------------------------------------------------------------------


def test_boundary_peak_fires_at_the_least_score_of_a_mark():
    scores = flat_scores()
    scores[6], scores[5] = 12, 2  # «3» from 6 points: 12 pupils, 2 just below
    marker = boundary_peaks(row(scores=scores), SCALE, T)
    assert marker is not None and marker.kind == "boundary_peak"
    assert marker.text.startswith(
        "За 6 первичных баллов (наименьший балл для «3») — 12 участников, за 5 — 2: в 6 раз"
    )
    assert "реже чем в 1 случае из 100 (без распределения по региону)" in marker.text


def test_boundary_peak_reports_every_boundary_and_an_empty_score_below():
    scores = flat_scores()
    scores[10], scores[11] = 0, 8
    scores[15], scores[16] = 1, 11
    marker = boundary_peaks(row(scores=scores), SCALE, T)
    assert "наименьший балл для «4») — 8 участников, за 10 — 0: а на балл ниже — никого" in marker.text
    assert "наименьший балл для «5») — 11 участников, за 15 — 1: в 11 раз больше" in marker.text
    assert "«3»" not in marker.text


def test_boundary_peak_is_silent_on_a_smooth_distribution_a_small_sample_or_without_a_scale():
    assert boundary_peaks(row(scores=flat_scores()), SCALE, T) is None
    peaked = flat_scores()
    peaked[6], peaked[5] = 12, 2
    assert boundary_peaks(row(scores=peaked), None, T) is None  # the scale of that VPR is unknown
    small = [2] * 21
    small[6], small[5] = 10, 1  # 49 participants: a distribution needs 50
    assert sum(small) == 49 and boundary_peaks(row(scores=small), SCALE, T) is None
    small[0] += 1
    assert boundary_peaks(row(scores=small), SCALE, T) is not None
    # A peak elsewhere (not at a boundary) is not this marker.
    elsewhere = flat_scores()
    elsewhere[8] = 15
    assert boundary_peaks(row(scores=elsewhere), SCALE, T) is None


def test_boundary_peak_needs_twice_the_score_below_and_more_than_chance():
    scores = flat_scores(4)
    scores[6], scores[5] = 7, 4  # 1.75×
    assert boundary_peaks(row(scores=scores), SCALE, T) is None
    scores[6] = 8  # 2×, but 8 against 4 happens by chance one time in five
    assert boundary_peaks(row(scores=scores), SCALE, T) is None
    scores[6], scores[5] = 40, 15  # 2.7× of 55 pupils: chance almost never does that
    assert boundary_peaks(row(scores=scores), SCALE, T) is not None


def test_boundary_peak_allows_for_the_regions_own_slope():
    scores = flat_scores(4)
    scores[6], scores[5] = 40, 15
    steep = [10] * 21
    steep[5], steep[6] = 100, 280  # in the region too, far more pupils at 6 than at 5 points
    assert boundary_peaks(row(scores=scores), SCALE, T, reference=tuple(steep)) is None
    smooth = [100] * 21
    marker = boundary_peaks(row(scores=scores), SCALE, T, reference=tuple(smooth))
    assert "по региону за эти баллы — 4,8 % и 4,8 % участников" in marker.text
    assert "с учётом распределения по региону" in marker.text


def test_compute_compares_peaks_with_the_region_or_else_the_other_schools():
    peaked = flat_scores(4)
    peaked[6], peaked[5] = 40, 15
    rows = [row(scores=peaked, org=1), row(scores=flat_scores(4), org=2), row(scores=flat_scores(4), org=3)]
    scales = {("Математика", 5, 2025): SCALE}
    found = compute(rows, years=[2025], region={}, scales=scales)
    assert [(m.school_id, m.kind) for m in found] == [(1, "boundary_peak")]
    assert "по остальным ОО за эти баллы — 4,8 % и 4,8 % участников" in found[0].text  # without school 1
    steep = [10] * 21
    steep[5], steep[6] = 100, 280
    region = {("Математика", 5, 2025): Row(0, 2025, "Математика", 5, 1000, None, tuple(steep))}
    assert compute(rows, years=[2025], region=region, scales=scales) == []


def test_chance_is_the_binomial_tail():
    assert chance(12, 14, 0.5) == pytest.approx(106 / 16384)
    assert chance(0, 5, 0.3) == pytest.approx(1.0)


# The share of «2» year over year ------------------------------------------------------------------


def test_a_rise_of_ten_points_in_twos_fires_as_the_issue_states():
    marker = twos_change(row((9, 21, 15, 5)), row((2, 23, 18, 7), year=2024), T)  # 4 % → 18 %
    assert marker is not None and marker.kind == "twos_rose"
    assert "выросла с 4 % (2 из 50) в 2024 году до 18 % (9 из 50) в 2025 году — на 14 п. п." in marker.text
    assert twos_change(row((7, 23, 15, 5)), row((2, 23, 18, 7), year=2024), T) is not None  # exactly 10


def test_a_sharp_fall_of_twos_is_a_separate_marker():
    marker = twos_change(row((2, 23, 18, 7)), row((11, 20, 14, 5), year=2024), T)  # 22 % → 4 %
    assert marker is not None and marker.kind == "twos_fell"
    assert "снизилась с 22 %" in marker.text and "на 18 п. п." in marker.text


def test_twos_change_is_silent_on_small_changes_small_samples_or_no_last_year():
    assert twos_change(row((5, 21, 17, 7)), row((2, 23, 18, 7), year=2024), T) is None  # +6
    assert twos_change(row((9, 6, 3, 1)), row((0, 10, 7, 2), year=2024), T) is None  # 19 pupils
    assert twos_change(row((9, 21, 15, 5)), None, T) is None


# The same cohort a year before --------------------------------------------------------------------


def test_a_cohort_far_below_its_own_last_year_fires():
    now = row((10, 20, 15, 5), grade=6)  # «4»+«5» 40 %
    before = row((0, 8, 22, 20), grade=5, year=2024)  # 84 %
    marker = cohort_drop(now, before, T)
    assert marker is not None and marker.kind == "cohort_drop"
    assert "(5 класс, 2024): доля «4» и «5» — 84 %" in marker.text and "ниже на 44 п. п." in marker.text


def test_cohort_drop_is_silent_below_the_threshold_or_on_small_samples():
    assert cohort_drop(row((5, 20, 20, 5), grade=6), row((2, 18, 22, 8), grade=5, year=2024), T) is None
    assert cohort_drop(row((5, 5, 4, 1), grade=6), row((0, 2, 8, 5), grade=5, year=2024), T) is None


def test_compute_pairs_the_rows_itself_and_keeps_to_the_years_asked():
    rows = [
        row((1, 4, 20, 25), org=1),  # above the region
        row((9, 21, 15, 5), org=2),
        row((2, 23, 18, 7), org=2, year=2024),  # org 2: «2» rose
        row((10, 20, 15, 5), org=3, grade=6),
        row((0, 8, 22, 20), org=3, grade=5, year=2024),  # org 3: the cohort dropped
        row((0, 8, 22, 20), org=4, grade=5, year=2024),  # org 4: above the region, but in 2024
    ]
    region = {
        ("Математика", 5, 2025): REGION,
        ("Математика", 6, 2025): REGION,
        ("Математика", 5, 2024): REGION,
    }
    found = compute(rows, years=[2025], region=region, scales={})
    assert {(m.school_id, m.kind) for m in found} == {
        (1, "above_region"),
        (2, "twos_rose"),
        (3, "cohort_drop"),
    }
    assert all(m.year == 2025 for m in found)
    assert (
        found[0]
        .line()
        .startswith("ВПР-2025, Математика, 5 класс: результаты намного выше региональных. Доля")
    )


@override_settings(RESULTS_ABOVE_REGION_POINTS=50, RESULTS_MIN_PARTICIPANTS=60)
def test_thresholds_come_from_the_settings():
    t = Thresholds.from_settings()
    assert t.above_region_points == 50 and t.min_participants == 60 and t.peak_ratio == 2
    assert above_region(row((1, 4, 20, 25)), REGION, t) is None


def test_numbers_read_as_russian():
    assert num(31.44) == "31,4" and num(40.0) == "40"
    assert [times(v) for v in (1.75, 2, 6, 22, 12)] == [
        "в 1,8 раза",
        "в 2 раза",
        "в 6 раз",
        "в 22 раза",
        "в 12 раз",
    ]
