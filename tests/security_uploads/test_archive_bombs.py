"""The review's bombs: an .xlsx whose sheet is 1 GiB of zeros packed by bzip2 or LZMA, its headers
declaring 4 KB. zipfile unpacks such a member whole (≈ 2 GiB of memory for one read); the upload
check streams it a megabyte at a time and refuses it at every import point, holding a few MB."""

import html
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security_uploads import hostile
from tests.security_uploads.test_hostile_uploads import points, state  # noqa: F401
from vprplan.uploads import UploadRejected, check_upload

pytestmark = pytest.mark.django_db

IMPORTS = ("plan import", "results import", "flag import", "schedule import")
PEAK_LIMIT = 32 * 1024 * 1024
BOMBS = {"bzip2": zipfile.ZIP_BZIP2, "LZMA": zipfile.ZIP_LZMA}


@pytest.mark.parametrize("method", BOMBS)
def test_the_bomb_really_is_one(method):
    """The control: read as openpyxl reads it, the sheet unpacks to far more than it declares."""
    archive = zipfile.ZipFile(io.BytesIO(hostile.lying_xlsx_bomb(BOMBS[method])))
    member = archive.getinfo("xl/worksheets/sheet1.xml")
    assert member.file_size == 4096 and member.compress_type == BOMBS[method]
    with archive.open(member) as sheet:
        sheet._left = sheet._orig_file_size = hostile.GIB  # as if the header told the truth
        assert len(sheet.read(64 * 1024 * 1024)) == 64 * 1024 * 1024


@pytest.mark.parametrize("method", BOMBS)
def test_the_check_refuses_the_bomb_holding_a_few_megabytes(method, record_property):
    content = hostile.lying_xlsx_bomb(BOMBS[method])
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected, match="распаковывается в больший объём"):
            check_upload(io.BytesIO(content), kinds=("xlsx",), max_bytes=2 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT
    record_property(f"{method}_bomb_bytes", len(content))
    record_property(f"{method}_bomb_check_peak_mib", round(peak / 2**20, 2))


@pytest.mark.parametrize("method", BOMBS)
def test_every_import_point_refuses_the_bomb_and_memory_stays_bounded(
    client,
    points,  # noqa: F811
    method,
    record_property,
):
    table, execution = points
    content = hostile.lying_xlsx_bomb(BOMBS[method])
    peaks = {}
    for point in (p for p in table if p.name in IMPORTS):
        post = point.post()
        before = state(client, execution)
        tracemalloc.start()
        try:
            response = post(SimpleUploadedFile(point.named("list.xlsx"), content))
            peaks[point.name] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert response.status_code == 200, point.name
        assert "распаковывается в больший объём" in html.unescape(response.content.decode()), point.name
        assert state(client, execution) == before, point.name
    assert set(peaks) == set(IMPORTS)
    assert max(peaks.values()) < PEAK_LIMIT, peaks
    record_property(f"{method}_bomb_import_points_refused", len(peaks))
    record_property(f"{method}_bomb_worst_request_peak_mib", round(max(peaks.values()) / 2**20, 2))
