"""vprplan.uploads: the one checker every upload goes through, and the attachment response."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.security_uploads import hostile
from vprplan.errors import DomainError
from vprplan.uploads import (
    DISPLAY_NAME_MAX,
    UploadRejected,
    attachment_response,
    check_upload,
    display_name,
)

OFFICE = ("docx", "xlsx")
EVIDENCE = ("pdf", "docx", "xlsx", "jpg", "png")
MB = 1024 * 1024


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")  # the browser's word: ignored


def refusal(content: bytes, name: str, kinds=EVIDENCE, **options) -> str:
    with pytest.raises(UploadRejected) as info:
        check_upload(
            upload(name, content), kinds=kinds, max_bytes=options.pop("max_bytes", 20 * MB), **options
        )
    return str(info.value)


def test_the_refusal_is_a_form_error_and_a_domain_error_with_a_plain_message():
    error = UploadRejected("«x.pdf»: файл пустой.")
    assert isinstance(error, ValidationError) and isinstance(error, DomainError)
    assert str(error) == "«x.pdf»: файл пустой." and error.messages == ["«x.pdf»: файл пустой."]


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("скан.pdf", hostile.tiny_pdf(), "pdf", "application/pdf"),
        ("схема.PNG", hostile.png_bytes(), "png", "image/png"),
        ("plan.csv", "№;Мероприятие\n1;Совещание\n".encode("cp1251"), "csv", "text/csv"),
    ],
)
def test_the_content_decides_the_kind_and_our_content_type(name, content, kind, content_type):
    checked = check_upload(upload(name, content), kinds=(*EVIDENCE, "csv"), max_bytes=MB)
    assert (checked.kind, checked.content_type, checked.size) == (kind, content_type, len(content))
    assert checked.read() == content


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("prikaz.pdf", hostile.HTML_AS_PDF, "веб-страница или скрипт"),
        ("foto.png", hostile.SVG_AS_PNG, "веб-страница или скрипт"),
        ("foto.png", hostile.JS_AS_PNG, "по содержимому это не PDF, Word (DOCX), Excel (XLSX), JPG или PNG"),
        ("prikaz.pdf", hostile.PDF_WRONG_HEADER, "по содержимому это не"),
        ("prikaz.pdf", hostile.tiny_pdf()[:60], "PDF повреждён или загружен не полностью"),
        ("plan.docx", hostile.docx_without_document(), "по содержимому это не"),
        ("scan.png", hostile.huge_png(), "изображение слишком большое"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "изображение повреждено"),
        ("scan.png", hostile.tiny_pdf(), "по содержимому это PDF, а расширение другое"),
        ("empty.pdf", b"", "файл пустой"),
    ],
)
def test_hostile_and_broken_files_are_refused_with_a_message_naming_them(name, content, words):
    message = refusal(content, name)
    assert words in message and message.startswith(f"«{name}»")


@pytest.mark.parametrize("build", [hostile.docx_bomb, hostile.xlsx_bomb], ids=["docx", "xlsx"])
def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking_it(build, monkeypatch):
    data = build()
    assert len(data) < 2 * MB
    assert max(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) == 1024**3

    def no_unpacking(*args, **kwargs):
        raise AssertionError("the checker unpacked a member")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    started = time.perf_counter()
    message = refusal(data, f"plan.{build.__name__[:4]}", kinds=OFFICE)
    assert time.perf_counter() - started < 1.0
    assert "после распаковки файл слишком велик (1,0\xa0ГБ)" in message


def test_a_tightly_packed_member_under_the_total_limit_is_a_bomb_too(settings):
    settings.UPLOAD_ZIP_MAX_UNPACKED = 2 * 1024**3  # the total alone would let 1 GiB pass
    assert "сжат неправдоподобно сильно" in refusal(hostile.docx_bomb(), "plan.docx", kinds=OFFICE)


def test_real_office_files_pass_the_zip_checks():
    import docx
    import openpyxl

    buffer = io.BytesIO()
    document = docx.Document()
    for n in range(300):
        document.add_paragraph(f"Мероприятие {n}: совещание с руководителями ОО")
    document.save(buffer)
    assert check_upload(upload("plan.docx", buffer.getvalue()), kinds=OFFICE, max_bytes=MB).kind == "docx"
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    for row in range(2000):
        workbook.active.append([row, "СОШ № 5", 12, 34, 56, 7])
    workbook.save(buffer)
    assert check_upload(upload("stat.xlsx", buffer.getvalue()), kinds=OFFICE, max_bytes=MB).kind == "xlsx"


@pytest.mark.parametrize("member", ["../../etc/passwd", "/etc/passwd", "word\\..\\x.xml", "C:/x.xml"])
def test_an_archive_with_paths_out_of_it_is_refused(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", hostile.CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(member, "x")
    assert "недопустимые пути" in refusal(buffer.getvalue(), "plan.docx", kinds=OFFICE)


def test_an_archive_of_too_many_parts_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(11):
            archive.writestr(f"word/part{n}.xml", "<x/>")
    assert "слишком много частей (11)" in refusal(buffer.getvalue(), "plan.docx", kinds=OFFICE)


def test_macro_documents_and_old_formats_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", hostile.CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\0" * 10)
    assert "по содержимому это не" in refusal(buffer.getvalue(), "plan.docx", kinds=OFFICE)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    assert "старого формата" in refusal(ole, "plan.doc", kinds=OFFICE)


def test_the_size_is_checked_before_the_content_is_read():
    class Unreadable(io.BytesIO):
        name, size = "big.pdf", 50 * MB

        def read(self, *args):
            raise AssertionError("read before the size check")

    with pytest.raises(UploadRejected, match="«big.pdf»: файл больше 20,0\xa0МБ"):
        check_upload(Unreadable(), kinds=EVIDENCE, max_bytes=20 * MB)


def test_verify_takes_any_name_and_a_pdf_with_bytes_appended():
    appended = hostile.tiny_pdf() + b"\n" + b"% appended\n" * 400
    assert (
        check_upload(
            upload("x.bin", appended), kinds=("pdf",), max_bytes=MB, match_extension=False, pdf_complete=False
        ).kind
        == "pdf"
    )
    assert "Это не PDF" in refusal(hostile.HTML_AS_PDF, "x.pdf", kinds=("pdf",), refused="Это не PDF.")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Иванов\\Приказ № 5.pdf", "Приказ № 5.pdf"),
        ("evil\x00.pdf", "evil.pdf"),
        ("a\r\nb\u202egpj.pdf", "abgpj.pdf"),  # control and bidi-override characters go
        ("..", "файл"),
        ("", "файл"),
    ],
)
def test_display_names_lose_paths_and_control_characters(raw, expected):
    assert display_name(raw) == expected


def test_a_long_display_name_keeps_its_extension():
    name = display_name("../" + "я" * 300 + "\x00.pdf")
    assert len(name) == DISPLAY_NAME_MAX and name.endswith("я.pdf") and "/" not in name


@pytest.mark.parametrize("content", [b"%PDF-1.4 data", io.BytesIO(b"%PDF-1.4 data")], ids=["bytes", "file"])
def test_an_attachment_response_is_never_rendered(content):
    response = attachment_response(content, filename="../Приказ № 5.pdf", content_type="application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7%20%E2%84%96%205.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    plain = attachment_response(b"x", filename='a"b.xlsx', content_type="text/csv", stream=False)
    assert plain.content == b"x" and plain["Content-Disposition"] == 'attachment; filename="a\\"b.xlsx"'


def test_the_import_command_reader_refuses_a_zip_bomb_before_python_docx_opens_it(monkeypatch):
    from reports.imports.draft import read_plan
    from reports.imports.errors import ImportFileError

    monkeypatch.setattr(
        "reports.imports.docx_reader.read_docx", lambda data: pytest.fail("the bomb was opened")
    )
    with pytest.raises(ImportFileError, match="^«plan.docx»: после распаковки файл слишком велик"):
        read_plan(hostile.docx_bomb(), "plan.docx")


def test_a_bomb_that_lies_about_its_size_is_refused_after_a_megabyte_of_inflating(monkeypatch):
    """zipfile's read() inflates a whole member before cutting it to the declared size: a member
    declaring 4 KB that inflates to 1 GiB would make python-docx unpack the gigabyte. The checker
    inflates in bounded steps and stops at the first megabyte past the declared size."""
    from reports.imports.draft import read_plan
    from reports.imports.errors import ImportFileError

    data = hostile.lying_docx_bomb()
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 4096
    monkeypatch.setattr(
        "reports.imports.docx_reader.read_docx", lambda data: pytest.fail("the bomb was opened")
    )
    started = time.perf_counter()
    message = refusal(data, "plan.docx", kinds=OFFICE)
    assert "«word/document.xml» распаковывается в больший объём, чем заявлено" in message
    with pytest.raises(ImportFileError, match="распаковывается в больший объём"):
        read_plan(data, "plan.docx")
    assert time.perf_counter() - started < 1.0


def test_a_directory_pointing_before_the_file_is_a_damaged_file_not_a_crash():
    """Found by the fuzz test at 1,000 cases: a flipped byte made a member's offset negative and the
    bounded unpacking seek before the file's start (ValueError, 500)."""
    import io as _io
    import zipfile as _zipfile

    from vprplan.uploads import UploadRejected, check_upload

    buffer = _io.BytesIO()
    with _zipfile.ZipFile(buffer, "w", _zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 10)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 10)
    data = bytearray(buffer.getvalue())
    directory = data.rindex(b"PK\x01\x02")  # the last member's entry: its local header offset
    data[directory + 42 : directory + 46] = (len(data) * 8).to_bytes(4, "little")
    end = data.rindex(b"PK\x05\x06")
    data[end + 16 : end + 20] = (
        int.from_bytes(data[end + 16 : end + 20], "little") + len(data) * 8
    ).to_bytes(4, "little")
    try:
        checked = check_upload(
            _io.BytesIO(bytes(data)), kinds=("xlsx",), max_bytes=10**6, match_extension=False
        )
    except UploadRejected:
        return
    assert checked.kind == "xlsx"
