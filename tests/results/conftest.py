import pytest

from results.models import GradingScale, VprResult


def result(
    org, *, year=2025, subject="Математика", grade=5, marks=None, scores=(), journal=None
) -> VprResult:
    """A VprResult of `org`; `marks` are the counts of «2», «3», «4», «5»."""
    m2, m3, m4, m5 = marks or (None, None, None, None)
    lowered, confirmed, raised = journal or (None, None, None)
    return VprResult.objects.create(
        organization=org, year=year, subject=subject, grade=grade,
        participants=sum(marks) if marks else sum(scores), marks_2=m2, marks_3=m3, marks_4=m4, marks_5=m5,
        scores=list(scores), lowered=lowered, confirmed=confirmed, raised=raised,
    )  # fmt: skip


@pytest.fixture
def results_world(world):
    """The World with ФИС ОКО logins, the 2025 scale of Математика 5 and results:
    - the region's own row: «4»+«5» 50 %;
    - S1 (M1): «4»+«5» 90 % in 2025 (above the region), 40 % a year before in grade 4;
    - S2 (M1): like the region; S3 (M2, next door): far above the region too."""
    w = world
    for name, login in (("s1", "sch000001"), ("s2", "sch000002"), ("s3", "sch000003"), ("s4", "sch000004")):
        w.orgs[name].fis_oko_login = login
        w.orgs[name].save()
    GradingScale.objects.create(
        year=2025, subject="Математика", grade=5, max_score=20, min_3=6, min_4=11, min_5=16
    )
    result(w.region, marks=(100, 400, 350, 150))
    result(w.region, year=2024, grade=4, marks=(80, 420, 380, 120))
    result(w.s1, marks=(1, 4, 20, 25))
    result(w.s1, year=2024, grade=4, marks=(5, 25, 15, 5))
    result(w.s2, marks=(5, 20, 18, 7))
    result(w.s3, marks=(0, 3, 22, 25))
    return w
