"""Loading results for markers: the region's reference, a handful of queries at any size."""

import pytest

from results.analysis import analyse, shown_years
from tests.factories import SchoolFactory
from tests.results.conftest import result

pytestmark = pytest.mark.django_db


def test_markers_of_a_municipality_use_the_regions_own_row(results_world):
    w = results_world
    analysis = analyse(area=w.m1, years=shown_years(w.m1))
    assert analysis.years == [2023, 2024, 2025]
    assert {(m.school_id, m.kind) for m in analysis.markers} == {(w.s1.pk, "above_region")}
    assert not analysis.computed  # the region's row was imported
    assert "по региону — 50 %" in analysis.markers[0].text


def test_without_the_regions_row_the_region_is_the_sum_of_its_schools(results_world):
    w = results_world
    w.region.vpr_results.all().delete()
    analysis = analyse(area=w.m1, years=[2025])
    key = ("Математика", 5, 2025)
    assert key in analysis.computed
    # S1 + S2 + S3 of region A (S4 is in region B): «4»+«5» = (45 + 25 + 47) / 150.
    assert analysis.region[key].marks == (6, 27, 60, 57)
    assert analysis.markers == []  # S1: 90 % against 78 % is 12 points, under the threshold


def test_the_same_few_queries_for_one_school_or_many(results_world, django_assert_num_queries):
    w = results_world
    with django_assert_num_queries(3):  # schools' rows, the region's rows, the scales
        small = analyse(area=w.m1, years=[2024, 2025])
    result(w.region, year=2024, marks=(100, 400, 350, 150))
    for n in range(30):
        school = SchoolFactory(parent=w.m1)
        result(school, marks=(0, 2, 20, 28 + n % 3))
        result(school, year=2024, marks=(9, 21, 15, 5))
    with django_assert_num_queries(3):
        large = analyse(area=w.m1, years=[2024, 2025])
    assert len(large.markers) > len(small.markers) + 30
    w.region.vpr_results.filter(year=2024).delete()
    with django_assert_num_queries(4):  # and the sums of the region's schools where its row is missing
        region = analyse(area=w.region, years=[2024, 2025])
    assert w.s3.pk in region.by_school  # the regional administrator's view covers every municipality
