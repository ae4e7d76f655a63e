"""The printed documents as a clerk files them, read back from the PDF (pdftotext -bbox, pdftoppm,
pypdf): an order with the 14 activities of the Inta plan and one with 150, the «Справка» and the
observers' schedule.

For each: every word of the PDF is a word of the source text once hyphenated line breaks are
joined (nothing broken mid-word without a hyphen), margins 20/20/30/10 mm, page numbers from page 2
at least 10 mm from the top edge, every font embedded and the shipped serif; for the orders also
requisite 31 (the QR code) at the bottom right of page 1, no section heading as the last line of a
page, the one appendix heading block ≤ 8 cm, «№ п/п» on one line. The figures go to
record_property."""

import json
import os
import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from activities.choices import PlanStatus
from activities.models import Activity, Section
from activities.progress.pdf import progress_context
from observers.exports import schedule_context
from observers.services import observer_assign
from reports.models import Order
from reports.orders import services
from reports.orders.render import order_context
from reports.signing import CertificateInfo
from schools.models import EducationAuthority
from tests.factories import PlanFactory
from tests.observers.conftest import vpr  # noqa: F401 (the observers' fixture)
from tests.reports.orders.layout import dark_box, fonts, joined_words, read_pages, source_words
from vprplan.documents.pdf import render_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils are not installed"),
]
PLANS = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "plans"
CERTIFICATE = CertificateInfo(
    serial="09513ED2C1A70B4F00112233445566778899AABB",  # a leading zero, as issued
    owner="Круглова Эвелина Олеговна",
    organization="Отдел образования",
    valid_from=datetime(2024, 1, 1, tzinfo=UTC),
    valid_to=datetime(2028, 12, 31, tzinfo=UTC),
    issuer="Демо УЦ",
    der=b"",
)
FIELDS = ("title", "deadline_text", "responsible_text", "expected_result", "note")


@pytest.fixture
def authority(world):
    return EducationAuthority.objects.create(
        municipality=world.m1,
        full_name="Управление образования администрации Северо-Енисейского района",
        genitive_name="Управления образования администрации Северо-Енисейского района",
        place="гп Северо-Енисейский",
        head_position="Начальник Управления образования",
        head_name="Т.Ю. Ткаченко",
        head_full_name="Ткаченко Татьяна Юрьевна",
        phone="8 (39160) 21-1-58",
    )


def make_plan(world, name: str, *, activities: int | None = None, flat: bool = False):
    """The seed plan `name` (fixtures/demo/plans) for M1; with `activities` its activities are
    repeated over as many sections as it takes to have that many."""
    data = json.loads((PLANS / f"{name}.json").read_text(encoding="utf-8"))
    plan = PlanFactory(
        owner=world.m1, title=data["title"], status=PlanStatus.ON_APPROVAL, columns=data["columns"],
        section_numbering=data["section_numbering"], goals=data["goals"], tasks=data["tasks"],
    )  # fmt: skip
    seed = [(s["title"], s["activities"]) for s in data["sections"]]
    if activities:
        pool = [a for _title, items in seed for a in items]
        titles = [title for title, _ in seed]
        per = 25
        seed = [
            (titles[i % len(titles)], [pool[(i * per + j) % len(pool)] for j in range(per)])
            for i in range(activities // per)
        ]
    if flat:
        seed = [("", [a for _title, items in seed for a in items][:3])]
    rows = []
    for s_index, (title, items) in enumerate(seed, start=1):
        number = "" if flat else plan.section_number(s_index)
        section = Section.objects.create(plan=plan, position=s_index, number=number, title=title)
        for a_index, item in enumerate(items, start=1):
            rows.append(
                Activity(
                    plan=plan,
                    section=section,
                    position=a_index,
                    number=str(a_index) if flat else f"{s_index}.{a_index}",
                    **{f: item.get(f, "") for f in FIELDS},
                )  # fmt: skip
            )
    Activity.objects.bulk_create(rows)
    return plan


def registered(plan, actor) -> Order:
    order = services.order_create(plan=plan, actor=actor)
    Order.objects.filter(pk=order.pk).update(number="51", date=date(2026, 12, 4), year=2026)
    return Order.objects.select_related("plan", "organization").get(pk=order.pk)


def render_order(order):
    context = order_context(order, document_id=uuid.uuid4(), certificate=CERTIFICATE)
    return render_to_string("reports/pdf/order.html", context), render_pdf(
        "reports/pdf/order.html", context
    ).pdf


def heading_block_width(page) -> float:
    """The width (mm) of the block of lines at the top right of a page (above the title)."""
    block = []
    for line in page.lines():
        if line[0].y1 < 20:
            continue  # the page number
        if min(w.x0 for w in line) < page.width / 2:
            break
        block += line
    assert block, "no heading block at the top right"
    return max(w.x1 for w in block) - min(w.x0 for w in block)


def check_common(markup: str, pdf: bytes, record_property, name: str):
    """What every printed document must satisfy; returns the pages read. With LAYOUT_PDF_DIR set,
    the PDF is kept there to be looked at."""
    if os.environ.get("LAYOUT_PDF_DIR"):
        (Path(os.environ["LAYOUT_PDF_DIR"]) / f"{name.replace(' ', '-')}.pdf").write_bytes(pdf)
    pages = read_pages(pdf)
    known = source_words(markup) | {str(n) for n in range(1, len(pages) + 1)}
    words, joins = joined_words(pages, known)
    strangers = sorted({w for w in words if w not in known})
    record_property(f"{name}: pages", len(pages))
    record_property(
        f"{name}: words / hyphenated breaks joined / not in the source",
        f"{len(words)} / {joins} / {len(strangers)}",
    )
    assert not strangers, strangers[:20]
    # Margins: 30 mm left, 10 mm right, 20 mm top and bottom (the page number is in the top one).
    margins = {"left": 99.0, "right": 99.0, "top": 99.0, "bottom": 99.0}
    numbers = []
    for index, page in enumerate(pages):
        body = [w for w in page.words if not (index and w.y1 < 20 and w.text == str(index + 1))]
        heads = [w for w in page.words if index and w.y1 < 20 and w.text == str(index + 1)]
        assert bool(heads) == bool(index), f"page {index + 1}: its number"
        if heads:
            numbers.append(heads[0].y0)
            centre = 30 + (page.width - 40) / 2
            assert abs((heads[0].x0 + heads[0].x1) / 2 - centre) < 3, index + 1
        margins["left"] = min(margins["left"], min(w.x0 for w in body) - 30)
        margins["right"] = min(margins["right"], page.width - 10 - max(w.x1 for w in body))
        margins["top"] = min(margins["top"], min(w.y0 for w in body) - 20)
        margins["bottom"] = min(margins["bottom"], page.height - 20 - max(w.y1 for w in body))
    record_property(
        f"{name}: margin slack mm (left/right/top/bottom)", "/".join(f"{v:.1f}" for v in margins.values())
    )
    assert min(margins.values()) > -0.3, margins
    if numbers:
        record_property(f"{name}: page number from the top edge, mm (min)", f"{min(numbers):.1f}")
        assert min(numbers) >= 10
    used = fonts(pdf)
    record_property(
        f"{name}: fonts",
        ", ".join(sorted(f"{k.split('+')[-1]}{'' if v else ' NOT EMBEDDED'}" for k, v in used.items())),
    )
    assert used and all(used.values()) and all("Order-Serif" in k for k in used), used
    return pages


def check_order(order, pdf_pages, pdf, record_property, name):
    first = pdf_pages[0]
    # Requisite 31 at the bottom right of page 1, inside the margins, clear of the text.
    caption = [w for w in first.words if w.y0 > first.height - 45]
    right_of_caption = max((w.x1 for w in caption), default=150)
    qr = dark_box(pdf, 0, (right_of_caption + 0.5, first.height - 60, first.width, first.height))
    assert qr is not None, "no QR code at the bottom right of page 1"
    size = (qr[2] - qr[0], qr[3] - qr[1])
    record_property(f"{name}: QR on p.1 (x0, y0, x1, y1 mm; size)", f"{qr}; {size[0]:.1f}×{size[1]:.1f}")
    assert 18 <= size[0] <= 30 and abs(size[0] - size[1]) < 1
    assert qr[2] <= first.width - 10 + 0.3 and qr[3] <= first.height - 20 + 0.3 and qr[0] > first.width / 2
    text_above = max(w.y1 for w in first.words if w not in caption)
    assert text_above < qr[1], "the text runs into the QR code"
    # The appendix: one heading block ≤ 8 cm, no «Приложение»/«УТВЕРЖДЕН» repeated.
    landscape = [p for p in pdf_pages if p.landscape]
    width = heading_block_width(landscape[0])
    texts = [w.text for p in landscape for w in p.words]
    record_property(f"{name}: appendix heading block width, mm", f"{width:.1f}")
    assert width <= 80 and texts.count("Приложение") == 1 and texts.count("УТВЕРЖДЕН") == 1
    # No section heading as the last line of a page (it goes over with its first activity).
    stranded = 0
    headings = [s.title for s in order.plan.sections.all() if s.title]
    for page in landscape:
        lines = page.lines()
        starts = [
            i
            for i, line in enumerate(lines)
            if any(" ".join(w.text for w in line).startswith(h[:25]) for h in headings)
        ]
        for i in starts:
            below = [w for line in lines[i + 1 :] for w in line if w.x0 < page.width / 3]
            heading_words = len(lines[i])
            if not below or all(
                " ".join(w.text for w in line) in " ".join(headings) for line in lines[i + 1 :]
            ):
                stranded += 1
            assert heading_words
    record_property(f"{name}: section headings left as a page's last line", stranded)
    assert stranded == 0
    # «№ п/п» on one line where the plan has the column.
    if order.plan.column_keys[0] == "number":
        assert all(any(w.text == "п/п" for w in p.words) for p in landscape)
    return landscape


def test_order_with_the_14_activities_of_the_inta_plan(world, authority, record_property):
    plan = make_plan(world, "inta-2023-2024")
    order = registered(plan, world.coordinator)
    markup, pdf = render_order(order)
    pages = check_common(markup, pdf, record_property, "order 14")
    check_order(order, pages, pdf, record_property, "order 14")
    text = " ".join(w.text for p in pages for w in p.words)
    assert "09513ED2C1A70B4F00112233445566778899AABB" in text  # the serial with its leading zero
    assert "Владелец: Круглова Эвелина Олеговна" in text


def test_order_with_150_activities(world, authority, record_property):
    plan = make_plan(world, "severo-eniseysky-2023-2024", activities=150)
    assert plan.activities.count() == 150
    order = registered(plan, world.coordinator)
    markup, pdf = render_order(order)
    pages = check_common(markup, pdf, record_property, "order 150")
    landscape = check_order(order, pages, pdf, record_property, "order 150")
    # No page of the appendix left nearly empty: each but the last is at least half full.
    fill = [(max(w.y1 for w in p.words) - 20) / (p.height - 40) for p in landscape[:-1]]
    record_property("order 150: appendix page fill (min, all but the last)", f"{min(fill):.0%}")
    assert min(fill) > 0.5
    last_rows = [
        w for w in landscape[-1].words if w.text.count(".") == 1 and w.text.replace(".", "").isdigit()
    ]
    assert len(last_rows) >= 2, "the last page holds one row alone"


def test_a_flat_plan_prints_no_section_row_and_its_own_numbers(world, authority, record_property):
    plan = make_plan(world, "severo-eniseysky-2023-2024", flat=True)
    order = registered(plan, world.coordinator)
    markup, pdf = render_order(order)
    landscape = [p for p in read_pages(pdf) if p.landscape]
    column = [w.text for p in landscape for w in p.words if w.x0 < 45 and w.y0 > 60 and w.text[0].isdigit()]
    record_property("flat plan: numbers in the first column", " ".join(column))
    assert column == ["1", "2", "3"] and "<th colspan" not in markup.split("<tbody")[1]


def test_the_spravka(world, authority, record_property):
    plan = make_plan(world, "inta-2023-2024")
    world.coordinator.first_name, world.coordinator.last_name = "Ольга Сергеевна", "Мальцева"
    context = progress_context(plan, today=date(2026, 12, 4), user=world.coordinator)
    markup = render_to_string("activities/progress_print.html", context)
    pdf = render_pdf("activities/progress_print.html", context).pdf
    pages = check_common(markup, pdf, record_property, "Справка")
    text = " ".join(w.text for p in pages for w in p.words)
    for part in ("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "«04» декабря 2026 года", "Северо-Енисейский", "СПРАВКА",
                 "Начальник Управления образования", "Т.Ю. Ткаченко", "Мальцева"):  # fmt: skip
        assert part in text, part


def test_the_observers_schedule(vpr, authority, record_property):  # noqa: F811
    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    context = schedule_context(vpr.m1, vpr.campaign)
    markup = render_to_string("observers/schedule_pdf.html", context)
    pdf = render_pdf("observers/schedule_pdf.html", context).pdf
    pages = check_common(markup, pdf, record_property, "schedule")
    assert all(p.landscape for p in pages)
    width = heading_block_width(pages[0])
    record_property("schedule: appendix heading block width, mm", f"{width:.1f}")
    text = " ".join(w.text for p in pages for w in p.words)
    assert width <= 80 and "Приложение" in text and "Управления" in text and "ГРАФИК" in text
    assert "Петров С.И." in text and "Т.Ю. Ткаченко" in text
