"""The review's probe: four posts put 31 files on one execution (limit 10 per request). The limit is
per execution: files already attached count, and nothing of a refused post is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Evidence
from tests.activities.conftest import execution_of, tiny_pdf

pytestmark = pytest.mark.django_db


def pdfs(n: int, start: int = 0) -> list:
    return [
        SimpleUploadedFile(f"скан-{start + i}.pdf", tiny_pdf(str(i)), "application/pdf") for i in range(n)
    ]


def test_posts_cannot_put_more_files_on_an_execution_than_the_limit(
    client, world, approved, settings, record_property
):
    settings.EVIDENCE_MAX_FILES = 10
    execution = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    url = reverse("activities:execution_report", args=[execution.pk])
    pages = []
    for post in range(4):
        response = client.post(
            url, {"action": "progress", "comment": "", "files": pdfs(8, 8 * post)}, HTTP_HX_REQUEST="true"
        )
        pages.append(response.content.decode())
    assert Evidence.objects.filter(execution=execution).count() == 8
    assert "К выполнению уже приложено файлов: 8; всего можно не больше 10" in pages[1]
    client.post(url, {"action": "progress", "comment": "", "files": pdfs(2, 40)}, HTTP_HX_REQUEST="true")
    assert Evidence.objects.filter(execution=execution).count() == 10
    record_property("evidence_files_after_4_posts_of_8_and_one_of_2", 10)
