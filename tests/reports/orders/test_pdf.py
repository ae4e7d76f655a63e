"""The demo's Inta order № 51 as the signed PDF, read back with pypdf: every requisite of
ГОСТ Р 7.0.97-2025 the seed order has, the complete appendix on landscape pages, page numbers from
page 2, embedded Times-metric fonts, and a PAdES signature that a changed byte breaks.

The order is rendered once for the module, inside a transaction that is rolled back."""

import io
import re

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings

from activities.selectors import plan_document
from reports.demo import INTA_ORDER, seed_orders
from reports.models import OrderDocument
from reports.signing.demo import make_pkcs12
from reports.signing.pades import check_signatures
from schools.models import Organization
from tests.reports.orders.helpers import MM, flat, fragments, squeeze

A4_SHORT, A4_LONG = 210 * MM, 297 * MM


@pytest.fixture(scope="module")
def inta(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("signing")
    (directory / "inta.p12").write_bytes(make_pkcs12(owner="Круглова Эвелина Олеговна", organization="Отдел"))
    with (
        override_settings(
            SIGNING_PKCS12_DIR=directory, SIGNING_PKCS12_PATH="", SITE_URL="https://vpr.example.ru"
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        from portal.demo import seed_demo

        seed_demo()
        orgs = {o.code: o for o in Organization.objects.all()}
        users = {u.username: u for u in get_user_model().objects.all()}
        order = seed_orders(orgs, users)
        document = order.documents.get(status=OrderDocument.Status.SIGNED)
        with default_storage.open(document.file.name, "rb") as f:
            pdf = f.read()
        facts = {
            "pdf": pdf,
            "document": document,
            "order": order,
            "authority": orgs["inta"].authority,
            "sections": [(s.title, [a.title for a in s.activities.all()]) for s in plan_document(order.plan)],
            "plan_title": order.plan.title,
            "signed_by": order.signed_by.username,
            "again": seed_orders(orgs, users).documents.count(),  # idempotent: no second document
        }
        transaction.set_rollback(True)
    return facts


@pytest.fixture(scope="module")
def reader(inta):
    return pypdf.PdfReader(io.BytesIO(inta["pdf"]))


def page_text(reader, index: int) -> str:
    return flat(reader.pages[index].extract_text())


def is_landscape(page) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if page.rotation in (90, 270):
        width, height = height, width
    return width > height


def order_pages(reader) -> list[int]:
    return [i for i, p in enumerate(reader.pages) if not is_landscape(p)]


def test_the_seed_is_signed_once_and_reused(inta):
    assert inta["document"].pages == len(pypdf.PdfReader(io.BytesIO(inta["pdf"])).pages)
    assert inta["again"] == 1


CAPTION = re.compile(r"Проверка подлинности документа: (\S+) (\S+/)")


def order_text(reader) -> tuple[str, str]:
    """The order's running text (without page numbers and the QR code's caption), and the
    address the caption gives."""
    parts, address = [], ""
    for i in order_pages(reader):
        text = page_text(reader, i)
        if i:
            text = re.sub(rf"^{i + 1} ", "", text)
        if match := CAPTION.search(text):
            address = match.group(1) + match.group(2)
            text = CAPTION.sub("", text)
        parts.append(text)
    return " ".join(" ".join(parts).split()), address


def test_every_requisite_of_the_order_is_printed(inta, reader):
    text, address = order_text(reader)
    squeezed = squeeze(text)
    authority, order, document = inta["authority"], inta["order"], inta["document"]
    assert order.status == "signed" and inta["signed_by"] == "head"
    # The blank in both languages, the document kind in both, date, number and place.
    assert squeeze(authority.full_name.upper()) in squeezed
    assert squeeze(authority.full_name_local.upper()) in squeezed
    assert "ПРИКАЗ" in squeezed and "ТШӦКТӦД" in squeezed
    assert "«29» февраля 2024 года" in text and "№ 51" in text and "г. Инта" in text
    # Title, preamble, «ПРИКАЗЫВАЮ:» and the six numbered clauses, verbatim.
    assert squeeze(INTA_ORDER["title"]) in squeezed
    assert squeeze(INTA_ORDER["preamble"]) in squeezed
    assert "ПРИКАЗЫВАЮ:" in squeezed
    for number, clause in enumerate(INTA_ORDER["clauses"], start=1):
        assert squeeze(f"{number}. {clause}") in squeezed, number
    # Signatory, and the e-signature mark in place of the handwritten signature.
    assert "Начальник" in text and "Э.О. Круглова" in text
    assert "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text
    assert f"Сертификат: {document.certificate_serial}" in text
    assert len(document.certificate_serial) % 2 == 0  # its bytes as issued, leading zeros kept
    assert f"Владелец: {document.certificate_owner}" in text
    assert re.search(r"Действителен: с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4}", text)
    # Requisite 31: the QR code's page, written out under it as well.
    assert address == f"https://vpr.example.ru/verify/{document.pk}/"
    # Executor and distribution list.
    assert "Круглова Эвелина Олеговна, 6-20-08" in text
    assert "Рассылка:" in text and "1 – в дело" in text
    assert "9 – МБОУ: СОШ № 5, 6, 8, 10, Абезь, Петрунь, Лицей № 1 г. Инты, Гимназии № 2, 3" in text


def test_the_signature_block_never_stands_alone_on_its_page(reader):
    """The last clause is carried over with the signature (a clerk rejects a lone signature)."""
    pages = order_pages(reader)
    signature_page = next(i for i in pages if "Э.О. Круглова" in page_text(reader, i))
    assert "6. Контроль исполнения настоящего приказа оставляю за собой." in page_text(reader, signature_page)


def test_the_appendix_is_complete_on_landscape_pages_with_the_header_repeated(inta, reader):
    landscape = [i for i, p in enumerate(reader.pages) if is_landscape(p)]
    assert landscape and landscape == list(range(landscape[0], len(reader.pages)))
    first = page_text(reader, landscape[0])
    # One heading block: «Приложение», the approval stamp, the order.
    assert (
        "Приложение УТВЕРЖДЕН приказом Отдела образования администрации МО «Инта» от 29.02.2024 № 51" in first
    )
    assert first.count("Приложение") == 1 and first.count("УТВЕРЖДЕН") == 1
    assert "ПЛАН МЕРОПРИЯТИЙ" in first
    header = "Наименование мероприятия Ожидаемый результат Сроки реализации Ответственные лица"
    assert all(header in page_text(reader, i) for i in landscape)  # the header row repeats
    # Every activity's title, read from the first column of the table only.
    column = ""
    for i in landscape:
        page = reader.pages[i]
        left = 30 * MM
        boundary = left + 0.30 * (A4_LONG - 40 * MM)
        column += " ".join(f.text for f in fragments(page) if left <= f.x < boundary and f.size == 12)
    titles = [title for _section, activities in inta["sections"] for title in activities]
    assert len(titles) == 14
    for title in titles:
        assert squeeze(title) in squeeze(column), title
    for section, _activities in inta["sections"]:
        assert squeeze(section) in squeeze(column)


def test_pages_are_numbered_from_page_two_at_the_top_centre(reader):
    for index, page in enumerate(reader.pages):
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        top = [f for f in fragments(page) if f.y > height - 20 * MM]
        numbers = [f for f in top if f.text == str(index + 1)]
        if index == 0:
            assert not numbers and not top, "the first page has no number"
            continue
        assert len(numbers) == 1, index + 1
        centre = 30 * MM + (width - 40 * MM) / 2
        assert abs(numbers[0].x - centre) < 10, (index + 1, numbers[0].x, centre)


def test_a4_margins_fonts_and_sizes(reader):
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (
        round(A4_SHORT),
        round(A4_LONG),
    )
    body = [f for f in fragments(first) if f.size >= 12]
    assert min(f.x for f in body) == pytest.approx(30 * MM, abs=1)  # left margin 30 mm
    assert max(f.y for f in body) < A4_LONG - 20 * MM  # top margin 20 mm
    # 14 pt text, 12 pt table.
    clauses = [f for f in fragments(first) if "Утвердить" in f.text or "Руководителям" in f.text]
    assert clauses and {f.size for f in clauses} == {14.0}
    table = [f for f in fragments(reader.pages[-1]) if "Ведение и наполнение" in f.text]
    assert table and {f.size for f in table} == {12.0}
    # Every font is embedded, and it is the shipped Times-metric serif.
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts
    assert all("Serif" in name for name in fonts)


def test_the_signature_validates_and_one_changed_byte_breaks_it(inta):
    pdf, document = inta["pdf"], inta["document"]
    [check] = check_signatures(pdf, trust=[bytes(document.certificate_der)])
    assert check.bottom_line and check.intact and check.covers_whole_file
    assert check.serial == document.certificate_serial and check.message_digest == document.signature_digest
    changed = bytearray(pdf)
    position = pdf.index(b"stream", 2000) + 40  # inside a content stream the signature covers
    changed[position] ^= 0x01
    [check] = check_signatures(bytes(changed), trust=[bytes(document.certificate_der)])
    assert check.valid and not check.intact and not check.bottom_line  # TECH-NOTES: read bottom_line
