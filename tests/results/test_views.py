"""The permission matrix of every results view, and what the pages show to whom."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from results import services
from results.models import RecheckWork, VprResult
from schools.choices import FlagSource
from schools.models import UnobjectivityFlag
from tests.factories import SchoolFactory
from tests.matrix import assert_matrix
from tests.results import files
from tests.results.conftest import result
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db
STAFF = ("head", "coordinator", "specialist")
AWAY = ("neighbour_coordinator", "other_admin", "other_head", "other_coordinator", "other_school")
NOT_STAFF = ("school", "school2", "observer", "nobody", *AWAY)


def url(name, *args):
    return reverse(f"results:{name}", args=args)


def test_marker_list_matrix_and_content(client, results_world):
    w = results_world
    assert_matrix(
        client, url("marker_list", "m1"), allowed=w.people("admin", *STAFF), denied=w.people(*NOT_STAFF)
    )
    client.force_login(w.coordinator)
    html = client.get(url("marker_list", "m1")).content.decode()
    assert f'id="school-{w.s1.pk}"' in html and f'id="school-{w.s3.pk}"' not in html
    assert "Доля отметок «4» и «5» — 90 % (45 из 50), по региону — 50 %" in html
    assert "а не вывод о необъективности" in html and "<svg" in html and "Отметить признаки 2025" in html
    client.force_login(w.head)
    assert "Отметить признаки" not in client.get(url("marker_list", "m1")).content.decode()


def test_a_regions_page_is_its_administrators(client, results_world):
    w = results_world
    assert_matrix(
        client, url("marker_list", "region-a"), allowed=w.people("admin"), denied=w.people(*STAFF, *NOT_STAFF)
    )
    client.force_login(w.admin)
    html = client.get(url("marker_list", "region-a")).content.decode()
    assert f'id="school-{w.s1.pk}"' in html and f'id="school-{w.s3.pk}"' in html


def test_marker_list_queries_do_not_grow_with_schools(client, results_world):
    w = results_world
    client.force_login(w.coordinator)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("marker_list", "m1")).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for _ in range(20):
        school = SchoolFactory(parent=w.m1)
        result(school, marks=(0, 2, 20, 28), scores=[2] * 21)
    assert count() == before


def test_marker_export_matrix_and_rows(client, results_world):
    w = results_world
    assert_matrix(
        client, url("marker_export", "m1"), allowed=w.people("admin", *STAFF), denied=w.people(*NOT_STAFF)
    )
    client.force_login(w.specialist)
    response = client.get(url("marker_export", "m1"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "а не вывод о необъективности" in rows[1][0]
    assert rows[4][:6] == (
        "Школа 1",
        "sch000001",
        2025,
        "Математика",
        5,
        "результаты намного выше региональных",
    )
    assert len(rows) == 5


def test_result_import_matrix(client, results_world):
    w = results_world
    assert_matrix(
        client, url("result_import", "m1"), allowed=w.people("admin", "coordinator"),
        denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip
    assert_matrix(
        client, url("result_import", "m1"), method="post", data={}, allowed=w.people("coordinator"),
        denied=w.people("head", "school", "neighbour_coordinator", "other_admin"),
    )  # fmt: skip


def test_result_import_previews_then_writes(client, results_world):
    w = results_world
    client.force_login(w.coordinator)
    upload = SimpleUploadedFile("stat.xlsx", files.marks_file([("(sch000002) Школа 2", 40, [2, 10, 20, 8])]))
    html = client.post(url("result_import", "m1"), {"file": upload, "action": "preview"}).content.decode()
    assert "изменится" in html and "Загрузить результаты" in html
    assert VprResult.objects.get(organization=w.s2, year=2025).marks_2 == 5  # nothing written yet
    response = client.post(url("result_import", "m1"), {"action": "confirm"})
    assert response.status_code == 302
    assert VprResult.objects.get(organization=w.s2, year=2025).marks == (2, 10, 20, 8)


def test_a_bad_file_is_explained_on_the_page(client, results_world):
    client.force_login(results_world.coordinator)
    upload = SimpleUploadedFile("stat.xlsx", b"PK\x03\x04 broken")
    html = client.post(url("result_import", "m1"), {"file": upload, "action": "preview"}).content.decode()
    assert "Файл не читается как таблица Excel (.xlsx)" in html


def test_flag_from_markers_matrix_and_effect(client, results_world):
    w = results_world
    assert_matrix(
        client, url("flag_create", "s1"), method="post", data={"year": "2025"}, ok=(302,),
        allowed=w.people("coordinator", "admin"), denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip
    flag = UnobjectivityFlag.objects.get(school=w.s1, year=2025)
    assert flag.source == FlagSource.MUNICIPAL and (flag.subjects, flag.grades) == ("Математика", "5")
    assert "ВПР-2025, Математика, 5 класс: результаты намного выше региональных. Доля" in flag.markers
    assert AuditEvent.objects.filter(action="flag.created", object_id=str(flag.pk)).count() == 1  # then «same»


def test_flag_from_markers_refuses_a_school_without_markers(client, results_world):
    client.force_login(results_world.coordinator)
    response = client.post(url("flag_create", "s2"), {"year": "2025"}, follow=True)
    assert "нет маркеров в результатах ВПР-2025: отмечать нечего" in response.content.decode()
    assert not UnobjectivityFlag.objects.exists()


def test_school_page_matrix(client, results_world):
    w = results_world
    assert_matrix(
        client, url("school_results", "s1"), allowed=w.people("admin", *STAFF, "school"),
        denied=w.people("school2", "observer", "nobody", *AWAY),
    )  # fmt: skip


def test_the_school_sees_its_results_and_measures_but_not_the_markers(client, results_world):
    from tests.factories import ActivityFactory, PlanFactory

    w = results_world
    client.force_login(w.school)
    html = client.get(url("school_results", "s1")).content.decode()
    assert "<svg" in html and "Отметки, %" in html and "Распределение первичных баллов" not in html
    assert "по региону — 50 %" not in html and "Отметить признаки" not in html  # markers are the staff's
    client.force_login(w.coordinator)
    html = client.get(url("school_results", "s1")).content.decode()
    assert 'class="marker-list"' in html and "по региону — 50 %" in html and "Назначить перепроверку" in html

    services.flag_from_markers(actor=w.coordinator, school=w.s1, year=2025)
    plan = PlanFactory(owner=w.m1)
    measure = ActivityFactory(
        plan=plan, section__plan=plan, title="Перепроверка работ в ОО с признаками",
        execution_level="school", target_kind="flagged", target_flag_year=2025,
    )  # fmt: skip
    other_year = ActivityFactory(
        plan=plan,
        section=measure.section,
        execution_level="school",
        target_kind="flagged",
        target_flag_year=2023,
    )
    client.force_login(w.school)
    html = client.get(url("school_results", "s1")).content.decode()
    assert f'id="measure-{measure.pk}"' in html and f'id="measure-{other_year.pk}"' not in html
    # Once flagged, the school reads the flag with its reasons, still not the working markers list.
    assert "муниципальный анализ" in html and 'class="marker-list"' not in html
    client.force_login(w.school2)
    assert client.get(url("school_results", "s1")).status_code == 404


@pytest.fixture
def recheck(results_world):
    return services.recheck_create(
        actor=results_world.coordinator, school=results_world.s1, year=2025, subject="Математика", grade=5,
        task_max_scores=[1, 2, 2], starts_on=date(2025, 5, 20), ends_on=date(2025, 6, 10),
    )  # fmt: skip


def test_recheck_pages_matrix(client, results_world, recheck):
    w = results_world
    readers, others = w.people("admin", *STAFF), w.people(*NOT_STAFF)
    assert_matrix(client, url("recheck_list", "m1"), allowed=readers, denied=others)
    assert_matrix(client, url("recheck_detail", recheck.pk), allowed=readers, denied=others)
    assert_matrix(
        client, url("recheck_create", "m1"), allowed=w.people("admin", "coordinator"),
        denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("recheck_expert_add", {"full_name": "Орлова А.В.", "workplace": "s2"}),
        ("recheck_work_add", {"participant_code": "10051", "class_label": "5 А", "original_scores": "1 2 2"}),
        ("recheck_finish", {"conclusion": "Расхождений нет."}),
    ],
)
def test_recheck_actions_matrix(client, results_world, recheck, name, data):
    w = results_world
    data = {k: (str(w.orgs[v].pk) if k == "workplace" else v) for k, v in data.items()}
    assert_matrix(
        client, url(name, recheck.pk), method="post", data=data, ok=(302,),
        allowed=w.people("coordinator", "admin"), denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip


def test_a_recheck_from_the_pages(client, results_world):
    w = results_world
    today = timezone.localdate()  # the scores are entered today: the works must still be kept
    client.force_login(w.coordinator)
    form = {"school": w.s1.pk, "year": today.year, "subject": "Математика", "grade": 5, "task_max_scores": "1 2 2",
            "starts_on": today.isoformat()}  # fmt: skip
    response = client.post(url("recheck_create", "m1"), {**form, "ends_on": f"{today.year + 1}-02-01"})
    assert f"Работы участников хранятся до 31.12.{today.year}" in response.content.decode()
    response = client.post(url("recheck_create", "m1"), {**form, "ends_on": today.isoformat()})
    detail = response.url
    pk = int(detail.rstrip("/").split("/")[-1])
    client.post(url("recheck_expert_add", pk), {"full_name": "Своя Т.Т.", "workplace": w.s1.pk})
    html = client.get(detail).content.decode()
    assert "Своя Т.Т. работает в ОО «Школа 1», работы которой перепроверяются" in html
    client.post(
        url("recheck_work_add", pk),
        {"participant_code": "7", "class_label": "5а", "original_scores": "1 2 2"},
    )
    work = RecheckWork.objects.get(recheck_id=pk)
    client.post(url("recheck_work_score", pk, work.pk), {"rechecked_scores": "1 1 0"})
    html = client.get(detail).content.decode()
    assert "2→1" in html and "2→0" in html and "с расхождениями: 1" in html


def test_the_home_panel_links_each_role_to_its_pages(results_world):
    from django.template.loader import render_to_string

    from results.home import home_context

    w = results_world
    html = render_to_string("results/_home_panel.html", {"results_home": home_context(w.coordinator)})
    assert url("marker_list", "m1") in html and reverse("schools:flag_list", args=["m1"]) in html
    html = render_to_string("results/_home_panel.html", {"results_home": home_context(w.school)})
    assert url("school_results", "s1") in html and "marker_list" not in html and "/results/m1/" not in html
    assert home_context(w.observer) == {"areas": [], "schools": []}


def test_recheck_work_score_matrix(client, results_world, recheck):
    w = results_world
    work = services.recheck_work_add(
        actor=w.coordinator,
        recheck=recheck,
        participant_code="1",
        class_label="5 А",
        original_scores=[1, 2, 2],
    )
    assert_matrix(
        client, url("recheck_work_score", recheck.pk, work.pk), method="post", data={"rechecked_scores": "1 1 1"},
        ok=(302,), allowed=w.people("coordinator", "admin"), denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip
