"""The permission matrix of the flag pages, and the import journey: preview, choose, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.choices import FlagSource
from schools.models import UnobjectivityFlag
from tests.matrix import assert_matrix
from tests.results import files

pytestmark = pytest.mark.django_db
STAFF = ("head", "coordinator", "specialist")
NOT_STAFF = ("school", "school2", "observer", "nobody", "neighbour_coordinator", "other_admin", "other_head",
             "other_coordinator", "other_school")  # fmt: skip


def url(name, code="m1"):
    return reverse(f"schools:{name}", args=[code])


def test_flag_list_matrix_and_content(client, world):
    w = world
    mine = UnobjectivityFlag.objects.create(
        school=w.s1, year=2025, source=FlagSource.ROSOBRNADZOR, subjects="Математика"
    )
    theirs = UnobjectivityFlag.objects.create(school=w.s3, year=2025, source=FlagSource.REGIONAL)
    assert_matrix(client, url("flag_list"), allowed=w.people("admin", *STAFF), denied=w.people(*NOT_STAFF))
    client.force_login(w.specialist)
    html = client.get(url("flag_list")).content.decode()
    assert f'id="flag-{mine.pk}"' in html and f'id="flag-{theirs.pk}"' not in html
    assert "Загрузить перечень" not in html  # the specialist reads only
    client.force_login(w.admin)
    html = client.get(url("flag_list", "region-a") + "?year=2025").content.decode()
    assert f'id="flag-{mine.pk}"' in html and f'id="flag-{theirs.pk}"' in html


def test_flag_import_matrix(client, world):
    w = world
    assert_matrix(
        client, url("flag_import"), allowed=w.people("admin", "coordinator"),
        denied=w.people("head", "specialist", *NOT_STAFF),
    )  # fmt: skip
    assert_matrix(
        client, url("flag_import"), method="post", data={"action": "preview"}, allowed=w.people("coordinator"),
        denied=w.people("specialist", "school", "neighbour_coordinator", "other_admin"),
    )  # fmt: skip


def test_the_import_journey(client, world):
    w = world
    w.s1.fis_oko_login = "sch110001"
    w.s1.save()
    content = files.flag_list_file([
        [1, "Регион А", "Муниципалитет 1", "sch110001", "Школа 1", "Математика", "5"],
        [2, "Регион А", "Муниципалитет 1", "", "Школа № 2 (филиал)", "История", "6"],
    ])  # fmt: skip
    client.force_login(w.coordinator)
    upload = SimpleUploadedFile("list.xlsx", content)
    html = client.post(
        url("flag_import"), {"file": upload, "year": 2025, "source": "rosobrnadzor", "action": "preview"}
    ).content.decode()
    assert "по логину ФИС ОКО" in html and "сомнительно: выберите ОО" in html
    assert f'<option value="{w.s2.pk}">' in html and not UnobjectivityFlag.objects.exists()
    response = client.post(url("flag_import"), {"action": "confirm", "row-5": str(w.s2.pk)})
    assert response.status_code == 302 and response.url.endswith("?year=2025")
    assert set(UnobjectivityFlag.objects.values_list("school__code", "year", "source")) == {
        ("s1", 2025, "rosobrnadzor"), ("s2", 2025, "rosobrnadzor")
    }  # fmt: skip


def test_a_bad_file_is_explained_and_nothing_is_kept(client, world):
    client.force_login(world.coordinator)
    upload = SimpleUploadedFile("list.xlsx", b"not an xlsx")
    html = client.post(
        url("flag_import"), {"file": upload, "year": 2025, "source": "regional", "action": "preview"}
    ).content.decode()
    assert "Файл не читается как таблица Excel (.xlsx)" in html
    response = client.post(url("flag_import"), {"action": "confirm"}, follow=True)
    assert "Загрузите файл ещё раз" in response.content.decode() and not UnobjectivityFlag.objects.exists()
