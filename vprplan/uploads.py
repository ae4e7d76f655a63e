"""Every uploaded file passes one checker before anything reads it for real or writes it anywhere:
evidence, act scans, plan imports (.docx, .xlsx, .csv), ФИС ОКО results, flag lists and /verify/.

    checked = check_upload(upload, kinds=("pdf", "png"), max_bytes=…)   # CheckedUpload(kind="pdf", …)
    raises UploadRejected("«скан.pdf»: …") — a ValidationError for forms and a DomainError for services

The type is decided by the content (magic bytes, then the structure), never by the name or the
browser's Content-Type; the size is checked before the content is read; an Office file (a zip) is
judged by its central directory before python-docx or openpyxl open it, so a zip bomb is refused
without being unpacked (and one that lies about its sizes after a megabyte of bounded inflating);
an image is opened by Pillow with a pixel limit. Files served back go out through
`attachment_response`: always an attachment, of the type we decided, never sniffed.
"""

import bz2
import io
import lzma
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from PIL import Image

from vprplan.errors import DomainError


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    content_type: str
    label: str


KINDS = {
    "pdf": Kind((".pdf",), "application/pdf", "PDF"),
    "docx": Kind(
        (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
    ),
    "xlsx": Kind(
        (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ),
    "jpg": Kind((".jpg", ".jpeg"), "image/jpeg", "JPG"),
    "png": Kind((".png",), "image/png", "PNG"),
    "csv": Kind((".csv",), "text/csv", "CSV"),
}
# The main part each Office kind must have: a zip without it is no such document.
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

# Defaults of the limits; each can be set in settings under the same name.
UPLOAD_ZIP_MAX_UNPACKED = 200 * 1024 * 1024
UPLOAD_ZIP_MAX_MEMBERS = 5000
# Office XML compresses 5–30×; a member packed far tighter than that is a bomb. Small members are
# exempt: a few kilobytes of repeated markup may compress well and harm nothing.
UPLOAD_ZIP_MAX_RATIO = 200
UPLOAD_ZIP_RATIO_FROM_BYTES = 1024 * 1024
# An A4 page scanned at 600 dpi is 35 megapixels.
UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
DISPLAY_NAME_MAX = 150
PDF_TAIL = 2048
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MARKUP = re.compile(
    rb"^\s*<(?:!doctype|html|head|body|svg|script|\?xml|!--|iframe|a\s|div|p\b)", re.IGNORECASE
)


def _limit(name: str) -> int:
    return int(getattr(settings, name, globals()[name]))


class UploadRejected(DomainError, ValidationError):
    """The file is refused; `str(error)` (and the form's error) is the Russian message naming it."""

    def __init__(self, message: str):
        ValidationError.__init__(self, message, code="upload_rejected")

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    kind: str
    name: str  # the display name: no path, no control characters, length-limited
    size: int

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type

    @property
    def extension(self) -> str:
        return KINDS[self.kind].extensions[0]

    def read(self) -> bytes:
        self.upload.seek(0)
        data = self.upload.read()
        self.upload.seek(0)
        return data


def display_name(raw: str | None, *, fallback: str = "файл") -> str:
    """The user's file name fit to be shown and stored in a row (never used as a path): the last
    path part only, without control or format characters, at most DISPLAY_NAME_MAX characters with
    the extension kept."""
    name = PureWindowsPath(PurePosixPath(str(raw or "")).name).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip().strip(".").strip()
    if not name:
        return fallback
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and stem and len(suffix) <= 10 else ""
        name = name[: DISPLAY_NAME_MAX - len(suffix)].rstrip() + suffix
    return name


def describe(kinds: Iterable[str]) -> str:
    labels = [KINDS[k].label for k in kinds]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} или {labels[-1]}"


def check_upload(
    upload,
    *,
    kinds: Iterable[str],
    max_bytes: int,
    match_extension: bool = True,
    pdf_complete: bool = True,
    refused: str = "",
) -> CheckedUpload:
    """What the upload is, of `kinds`; or UploadRejected. Nothing is written; the content is read
    only after the size is known to fit (and a zip only through its directory).

    match_extension: the name's extension must agree with the content (a PNG named .pdf is
    refused, since whoever opens the download trusts the name). pdf_complete: a PDF must end with
    %%EOF (off for /verify/, which reports a file with bytes appended as altered, not as broken).
    refused: the message when the content is none of `kinds` (else a generic one naming them)."""
    kinds = tuple(kinds)
    name = display_name(getattr(upload, "name", ""))
    quoted = f"«{name}»"
    size = getattr(upload, "size", None)
    if size is None:  # a plain file object: its length, still without reading it
        size = upload.seek(0, io.SEEK_END)
    if size > max_bytes:
        raise UploadRejected(
            f"{quoted}: файл больше {filesizeformat(max_bytes)}. Уменьшите его (скан — 200–300 dpi, "
            "чёрно-белый) или разделите на части."
        )
    upload.seek(0)
    head = upload.read(4096)
    if not head:
        raise UploadRejected(f"{quoted}: файл пустой.")
    not_kind = refused or (
        f"{quoted}: по содержимому это не {describe(kinds)}, либо файл повреждён. "
        "Приложите файл в одном из этих форматов."
    )
    if MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        raise UploadRejected(
            refused
            or f"{quoted}: по содержимому это не {describe(kinds)}, а веб-страница или скрипт "
            "(HTML, SVG, JavaScript); такие файлы не принимаются."
        )
    kind = _sniff(head)
    if kind == "ole" and {"docx", "xlsx"} & set(kinds):
        raise UploadRejected(_ole_message(upload, quoted))
    if kind == "zip":
        kind = _office_kind(upload, quoted)
    if kind is None and "csv" in kinds and _looks_like_text(head):
        kind = "csv"
    if kind not in kinds:
        raise UploadRejected(not_kind)
    if kind == "pdf" and pdf_complete and not _pdf_complete(upload):
        raise UploadRejected(
            f"{quoted}: PDF повреждён или загружен не полностью (нет конца файла). Сохраните его заново."
        )
    if kind in ("png", "jpg"):
        _check_image(upload, quoted, kind)
    extensions = KINDS[kind].extensions
    if match_extension and PurePosixPath(name).suffix.lower() not in extensions:
        raise UploadRejected(
            f"{quoted}: по содержимому это {KINDS[kind].label}, а расширение другое. "
            f"Сохраните файл с расширением {extensions[0]}."
        )
    upload.seek(0)
    return CheckedUpload(upload=upload, kind=kind, name=name, size=size)


XLSX_REFUSED = (
    "Файл не читается как таблица Excel (.xlsx). Файл в старом формате .xls откройте в Excel или LibreOffice "
    "и сохраните как .xlsx."
)


class XlsxUploadField(forms.FileField):
    """An .xlsx upload (results, flag lists, the VPR schedule): checked by content, before openpyxl
    sees it, against the size limit named by `max_bytes_setting`."""

    def __init__(self, *, max_bytes_setting: str, **kwargs):
        self.max_bytes_setting = max_bytes_setting
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        limit = getattr(settings, self.max_bytes_setting)
        return check_upload(upload, kinds=("xlsx",), max_bytes=limit, refused=XLSX_REFUSED).upload


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    return None


def _looks_like_text(head: bytes) -> bool:
    """CSV: text, not binary (a UTF-16 file starts with its byte-order mark)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return b"\x00" not in head and controls <= max(3, len(head) // 200)


def _ole_message(upload, quoted: str) -> str:
    upload.seek(0)
    if "EncryptedPackage".encode("utf-16-le") in upload.read():
        return f"{quoted}: файл защищён паролем. Снимите пароль (Файл → Сведения → Защита) и загрузите снова."
    return (
        f"{quoted}: это файл старого формата (.doc или .xls). Сохраните его в Word или Excel как .docx "
        "или .xlsx и загрузите снова."
    )


def check_archive(data: bytes, *, name: str = "") -> str | None:
    """For code that reads Office files without an upload (the import_plan command): docx, xlsx or
    None (not a zip, or not an Office one), and UploadRejected for a bomb or a path out of it."""
    return _office_kind(io.BytesIO(data), f"«{display_name(name)}»")


def _office_kind(upload, quoted: str) -> str | None:
    """docx or xlsx when the zip really is one. The central directory is judged first (member
    count, paths, declared sizes and ratios), so an honest bomb is refused without unpacking a
    byte; then each member of an Office file is inflated in bounded steps (and thrown away) to
    prove it unpacks to exactly its declared size: zipfile's `read()` inflates a whole member
    before cutting it to the declared size, so a member that lies about its size would otherwise
    make python-docx or openpyxl unpack the full bomb in memory."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    if len(members) > _limit("UPLOAD_ZIP_MAX_MEMBERS"):
        raise UploadRejected(
            f"{quoted}: в архиве слишком много частей ({len(members)}): файл не принимается."
        )
    names = set()
    for member in members:
        path = member.filename
        if (
            path.startswith(("/", "\\"))
            or "\\" in path
            or re.match(r"^[A-Za-z]:", path)
            or ".." in path.split("/")
        ):
            raise UploadRejected(f"{quoted}: в архиве есть недопустимые пути к файлам: файл не принимается.")
        names.add(path)
    unpacked = sum(m.file_size for m in members)
    bomb = unpacked > _limit("UPLOAD_ZIP_MAX_UNPACKED") or any(
        m.file_size > _limit("UPLOAD_ZIP_RATIO_FROM_BYTES")
        and m.file_size > _limit("UPLOAD_ZIP_MAX_RATIO") * max(m.compress_size, 1)
        for m in members
    )
    if bomb:
        raise UploadRejected(
            f"{quoted}: после распаковки файл слишком велик ({filesizeformat(unpacked)}) или сжат "
            "неправдоподобно сильно: это не обычный документ, он не принимается."
        )
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    kind = next((k for k, main_part in MAIN_PARTS.items() if main_part in names), None)
    if kind is not None:
        for member in members:
            _inflate_within_declared_size(upload, member, quoted)
    return kind


# The methods zipfile can unpack, each read through a decompressor that takes an output bound;
# anything else (Deflate64, PPMd, encryption…) is refused, never skipped.
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2",
               zipfile.ZIP_LZMA: "lzma"}  # fmt: skip
INFLATE_STEP = 1024 * 1024


class _Deflate:
    """zlib's raw inflater behind the interface of bz2/lzma decompressors (needs_input, eof)."""

    def __init__(self):
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    @property
    def needs_input(self) -> bool:
        return not self._inflater.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return self._inflater.decompress(self._inflater.unconsumed_tail + data, max_length)


def _decompressor(method: int, upload, left: int):
    """A decompressor for the member's method (and the compressed bytes it took for its own header)."""
    if method == zipfile.ZIP_DEFLATED:
        return _Deflate(), 0
    if method == zipfile.ZIP_BZIP2:
        return bz2.BZ2Decompressor(), 0
    # A zip LZMA member: version (2 bytes), the properties' length (2), the properties, raw LZMA1.
    head = upload.read(4)
    if len(head) < 4 or left < 4:
        raise EOFError
    (size,) = struct.unpack("<H", head[2:4])
    props = upload.read(size)
    if len(props) < size:
        raise EOFError
    filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]
    return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters), 4 + size


def _inflate_within_declared_size(upload, member: zipfile.ZipInfo, quoted: str) -> None:
    """Unpack `member` a megabyte at a time (and throw it away), whatever its method, never holding
    more: refused as soon as it yields more than its header declares; an unknown method or an
    encrypted member is refused; a damaged one returns quietly (the readers then say it is damaged)."""
    if member.compress_type not in ZIP_METHODS or member.flag_bits & 0x1:
        raise UploadRejected(
            f"{quoted}: часть архива «{member.filename}» сжата неизвестным способом или зашифрована: "
            "файл не принимается. Сохраните его заново в Word или Excel."
        )
    if member.compress_type == zipfile.ZIP_STORED or member.file_size == 0 and member.compress_size == 0:
        return
    if member.header_offset < 0:  # a damaged directory (found by the fuzz test): zipfile cannot read it either
        return
    upload.seek(member.header_offset)
    header = upload.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    upload.seek(member.header_offset + 30 + name_length + extra_length)
    produced, left = 0, member.compress_size
    try:
        decompressor, used = _decompressor(member.compress_type, upload, left)
        left -= used
        while not decompressor.eof:
            data = b""
            if decompressor.needs_input:
                data = upload.read(min(left, 64 * 1024)) if left > 0 else b""
                if not data:
                    return
                left -= len(data)
            produced += len(decompressor.decompress(data, INFLATE_STEP))
            if produced > member.file_size:
                raise UploadRejected(
                    f"{quoted}: часть архива «{member.filename}» распаковывается в больший объём, чем "
                    "заявлено: это не обычный документ, он не принимается."
                )
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError, struct.error, MemoryError):
        return


def _pdf_complete(upload) -> bool:
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(max(0, size - PDF_TAIL))
    return b"%%EOF" in upload.read()


def _check_image(upload, quoted: str, kind: str) -> None:
    limit = _limit("UPLOAD_MAX_IMAGE_PIXELS")
    too_big = UploadRejected(
        f"{quoted}: изображение слишком большое (больше {limit // 1_000_000} млн пикселей). "
        "Сохраните скан с разрешением 200–300 dpi."
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > limit:
                    raise too_big
                if image.format != {"png": "PNG", "jpg": "JPEG"}[kind]:
                    raise ValueError(image.format)
                image.verify()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except Exception as exc:  # Pillow raises many kinds for a broken or hostile image
        raise UploadRejected(
            f"{quoted}: изображение повреждено или не читается — файл повреждён или обрезан. "
            "Загрузите его ещё раз."
        ) from exc
    finally:
        upload.seek(0)


def attachment_response(
    content, *, filename: str, content_type: str, private: bool = True, stream: bool = True
) -> HttpResponse:
    """A file for the user to save, never to render: `Content-Disposition: attachment` with the name
    in RFC 5987 form (Django's `filename*=utf-8''…` for a non-ASCII name), our content type,
    `nosniff`, and a sandbox CSP should a browser open it anyway. `content` is bytes or an open
    binary file; stream=False sends bytes as a plain HttpResponse."""
    name = display_name(filename)
    if isinstance(content, (bytes, bytearray)) and stream:
        content = io.BytesIO(content)
    if isinstance(content, (bytes, bytearray)):
        response = HttpResponse(bytes(content), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response = FileResponse(content, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
