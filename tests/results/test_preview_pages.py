"""A big results file's preview is paged (200 rows a page, rows in error first), not one page of
every row (the review's 19,000 rows made a 17 MB page). VPRPLAN_BIG_PREVIEW_ROWS rows (2,500)."""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.results import files

pytestmark = pytest.mark.django_db

ROWS = int(os.environ.get("VPRPLAN_BIG_PREVIEW_ROWS", "2500"))


def test_a_big_preview_is_paged(client, world, record_property):
    world.s1.fis_oko_login = "sch000001"
    world.s1.save()
    rows = [(f"(sch9{i:05d}) Школа {i}", 20, [2, 5, 8, 5]) for i in range(ROWS - 1)]
    rows.insert(ROWS // 2, ("(sch000001) Школа 1", 20, [2, 5, 8, 5]))
    client.force_login(world.coordinator)
    url = reverse("results:result_import", args=["m1"])
    response = client.post(
        url, {"file": SimpleUploadedFile("stat.xlsx", files.marks_file(rows)), "action": "preview"}
    )
    page = response.content.decode()
    shown = len(re.findall(r'<tr class="row-', page))
    assert response.status_code == 200 and shown == 200
    total = re.search(r"Строки 1–200 из (\d+)", page)
    assert total and int(total.group(1)) >= ROWS  # the file's rows (the whole sample's row too)
    second = client.get(url, {"page": 2}).content.decode()
    assert "Строки 201–400" in second and len(re.findall(r'<tr class="row-', second)) == 200
    record_property("results_preview_rows", ROWS)
    record_property("results_preview_page_bytes", len(response.content))


def test_a_negative_count_is_an_error_of_its_row_not_a_database_error(client, world):
    """Found by the fuzz test with 1,000 cases: «-3» participants failed the database's check (500)."""
    from results.models import VprResult

    world.s1.fis_oko_login = "sch000001"
    world.s1.save()
    content = files.marks_file([("(sch000001) Школа 1", -3, [1, 1, 1, 1])])  # shares of -3 participants
    client.force_login(world.coordinator)
    url = reverse("results:result_import", args=["m1"])
    page = client.post(
        url, {"file": SimpleUploadedFile("stat.xlsx", content), "action": "preview"}
    ).content.decode()
    assert "Число участников и значения — от 0 до 1 000 000" in page
    assert client.post(url, {"action": "confirm"}).status_code == 200
    assert not VprResult.objects.exists()
