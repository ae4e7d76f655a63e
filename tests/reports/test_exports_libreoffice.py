"""The .docx and .xlsx exports as LibreOffice prints them: converted to PDF by soffice and read
back with pdftotext -bbox (page count, no overlapping text lines, column widths, no lost text).

Needs Debian `libreoffice-writer-nogui`, `libreoffice-calc-nogui` and `poppler-utils`; skipped
without soffice locally, failed under CI=true. `LO_KEEP_DIR=/some/dir` keeps the PDFs to look at.
"""

import os
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

from activities.choices import PlanStatus
from activities.models import Activity, Plan
from activities.progress import plan_dashboard
from activities.progress.xlsx import progress_xlsx
from activities.selectors import plan_document
from observers.exports import schedule_xlsx
from reports.exports.docx import plan_docx
from reports.exports.order_docx import order_docx
from reports.exports.xlsx import plan_xlsx
from reports.imports.draft import read_plan
from reports.imports.services import plan_import
from reports.orders import services as order_services
from results.analysis import Analysis
from results.choices import MarkerKind
from results.exports import markers_xlsx
from results.markers import Marker
from schools.models import EducationAuthority
from tests.observers import conftest as observers_conftest
from tests.reports import documents

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
LEFT_MARGIN = 30 * MM
APPROVAL = "УТВЕРЖДЕН приказом Управления образования администрации МР 1 от 01.09.2023 № 5"


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        message = "soffice is not installed (Debian libreoffice-writer-nogui, libreoffice-calc-nogui)"
        if settings.TEST_REQUIRE_SERVICES:
            pytest.fail(message + " (CI=true: this test may not skip)")
        pytest.skip(message)
    return found


def convert(files: dict[str, bytes], out: Path) -> dict[str, Path]:
    """All files to PDF in one soffice run, with a private profile (parallel runs do not clash)."""
    binary = soffice()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        paths.append(str(path))
    profile = Path("/tmp") / f"vprplan-lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
            + ["--convert-to", "pdf", "--outdir", str(out), *paths],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = {name: out / (Path(name).stem + ".pdf") for name in files}
    missing = [str(p) for p in pdfs.values() if not p.exists()]
    assert not missing, f"soffice made no PDF: {missing}"
    keep = os.environ.get("LO_KEEP_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for pdf in pdfs.values():
            shutil.copy(pdf, keep)
    return pdfs


def words_of(pdf: Path) -> tuple[list[Word], list[list[tuple[float, float, float, float]]]]:
    """Every word with its box, and per page the boxes of its text lines (pdftotext -bbox-layout)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ElementTree.fromstring(xml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    words, lines = [], []
    for number, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), start=1):
        boxes = []
        for line in page.iterfind(".//h:line", ns):
            box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            boxes.append(box)
            for w in line.iterfind("h:word", ns):
                words.append(
                    Word(number, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "")
                )
        lines.append(boxes)
    return words, lines


def overlaps(lines: list[tuple[float, float, float, float]]) -> int:
    """Pairs of text lines that share both horizontal and vertical space (one drawn over another)."""
    count = 0
    for i, (ax0, ay0, ax1, ay1) in enumerate(lines):
        for bx0, by0, bx1, by1 in lines[i + 1 :]:
            x = min(ax1, bx1) - max(ax0, bx0)
            y = min(ay1, by1) - max(ay0, by0)
            if x > 1 and y > 0.25 * min(ay1 - ay0, by1 - by0):
                count += 1
    return count


def normal(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("ё", "е"))


def missing_words(words: list[Word], texts: list[str]) -> list[str]:
    """Words of `texts` the PDF does not print (text hidden by a row too short, or cut off)."""
    printed = set(normal(" ".join(w.text for w in words)))
    return sorted({w for t in texts for w in normal(t)} - printed)


def column_widths(words: list[Word], activity: Activity) -> tuple[float, float]:
    """(width of the number column, width of the title column) on the first activity's row: the
    title's first word starts its column, the deadline's first word the next one."""
    title_word, deadline_word = normal(activity.title)[0], normal(activity.deadline_text)[0]
    row = min(
        (w for w in words if normal(w.text)[:1] == [title_word] and w.x0 > LEFT_MARGIN),
        key=lambda w: (w.page, w.y0),
    )
    same_row = [w for w in words if w.page == row.page and abs(w.y0 - row.y0) < 3]
    deadline = next(w for w in same_row if normal(w.text)[:1] == [deadline_word] and w.x0 > row.x1)
    return row.x0 - LEFT_MARGIN, deadline.x0 - row.x0


@pytest.fixture
def plan(world):
    """The Северо-Енисейский plan, imported, with its approval requisite, on approval."""
    _, data = documents.severo_docx()
    plan, _ = plan_import(draft=read_plan(data, "severo.docx"), owner=world.m1, actor=world.coordinator)
    Plan.objects.filter(pk=plan.pk).update(approval_text=APPROVAL, status=PlanStatus.ON_APPROVAL)
    return Plan.objects.get(pk=plan.pk)


def markers(world) -> Analysis:
    """Markers with long explanations, as the results pages compute them."""
    texts = [
        "Доля отметок «5» выше региональной более чем в полтора раза при доле «2» ниже региональной "
        "в три раза; такое расхождение встречается при необъективном оценивании",
        "Короткое пояснение",
    ]
    kinds = list(MarkerKind)
    return Analysis(
        area=world.m1,
        years=[2023, 2024],
        rows=[],
        region={},
        computed=set(),
        scales={},
        markers=[
            Marker(kinds[i % len(kinds)], world.s1.pk, 2024 - i % 2, "Русский язык", 4 + i % 5, texts[i % 2])
            for i in range(60)
        ],
    )


campaign = pytest.fixture(observers_conftest.vpr.__wrapped__, name="campaign")


def test_libreoffice_prints_the_exports_as_laid_out(campaign, plan, tmp_path, record_property):
    world = campaign
    EducationAuthority.objects.create(
        municipality=world.m1,
        full_name="Управление образования администрации муниципального района 1",
        genitive_name="Управления образования администрации МР 1",
        place="г. Первый",
        head_position="Начальник",
        head_name="А.Б. Руководитель",
        head_full_name="Руководитель Анна Борисовна",
        phone="8 (800) 000-00-01",
    )
    order = order_services.order_create(plan=plan, actor=world.coordinator)
    sections = plan_document(plan)
    activities = [a for s in sections for a in s.activities.all()]
    analysis = markers(world)
    files = {
        "plan-docx.docx": plan_docx(plan, sections),
        "plan-xlsx.xlsx": plan_xlsx(plan, sections),
        "order-docx.docx": order_docx(order),
        "progress-xlsx.xlsx": progress_xlsx(plan_dashboard(plan, today=plan.period_start, list_limit=None)),
        "schedule-xlsx.xlsx": schedule_xlsx(world.m1, world.campaign),
        "markers-xlsx.xlsx": markers_xlsx(analysis, {world.s1.pk: (world.s1.name, "sch1")}, {}),
    }
    plan_texts = [
        t for a in activities for t in (a.title, a.deadline_text, a.responsible_text, a.expected_result)
    ]
    texts = {
        "plan-docx.docx": plan_texts,
        "plan-xlsx.xlsx": plan_texts,
        "order-docx.docx": plan_texts,
        "progress-xlsx.xlsx": [plan.title],
        "schedule-xlsx.xlsx": ["Русский язык", "Математика", world.s1.name, "не назначен"],
        "markers-xlsx.xlsx": [m.text for m in analysis.markers],
    }
    started = time.monotonic()
    pdfs = convert(files, tmp_path)
    record_property("libreoffice_convert_seconds", round(time.monotonic() - started, 1))
    for name, pdf in pdfs.items():
        words, lines = words_of(pdf)
        pages = len(lines)
        overlapping = sum(overlaps(page) for page in lines)
        lost = missing_words(words, texts[name])
        record_property(
            f"lo_{name}", f"{pages} pages, {overlapping} overlapping lines, {len(lost)} words lost"
        )
        assert overlapping == 0, f"{name}: {overlapping} pairs of text lines drawn over each other"
        assert not lost, f"{name}: words not printed: {lost[:10]}"
        if name.endswith(".xlsx"):
            for page in range(1, pages + 1):
                bottom = " ".join(w.text for w in words if w.page == page and w.y0 > (297 - 20) * MM * 0.7)
                assert f"Страница {page} из {pages}" in bottom, f"{name}: footer of page {page}: {bottom!r}"
        if name.startswith(("plan", "order")):
            check_plan_table(name, words, pages, activities[0], record_property)


def check_plan_table(name: str, words: list[Word], pages: int, first: Activity, record_property) -> None:
    number_width, title_width = column_widths(words, first)
    record_property(f"lo_{name}_number_vs_title_mm", f"{number_width / MM:.0f} / {title_width / MM:.0f}")
    assert number_width < 0.4 * title_width, (
        f"{name}: «№ п/п» {number_width:.0f} pt, title {title_width:.0f} pt"
    )
    # The header row repeats: «№ п/п» on every page of the plan's table.
    table_pages = {w.page for w in words if w.text.startswith("№")}
    assert table_pages == set(range(min(table_pages), pages + 1)), f"{name}: header on pages {table_pages}"
    if name.endswith(".docx"):
        # A page number at the top of every page but the first (ГОСТ Р 7.0.97-2025).
        for page in range(2, pages + 1):
            top = [w.text for w in words if w.page == page and w.y1 < 20 * MM]
            assert str(page) in top, f"{name}: no page number on page {page}: {top}"
    corner = [w for w in words if w.text == "УТВЕРЖДЕН"]
    page_width = max(w.x1 for w in words)
    assert corner and corner[0].x0 > 0.55 * page_width, f"{name}: the approval block is not at the right"
