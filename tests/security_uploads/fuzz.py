"""Malformed spreadsheets for the property-based tests of the importers: a sheet written cell by
cell as raw XML (so a cell can claim any type with any text: «1e309» as a number, a shared string
index past the table, a date that is no date), then damaged at the zip level (truncated, bytes
flipped, a member missing, a DTD or an entity bomb in sheet1.xml).

The number of generated cases per test is VPRPLAN_FUZZ_EXAMPLES (150 by default, so CI stays fast)."""

import io
import os
import zipfile
from xml.sax.saxutils import escape

from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("VPRPLAN_FUZZ_EXAMPLES", "150"))

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHARED = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>общая строка</t></si></sst>"
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSE = "</sheetData></worksheet>"
DTDS = [
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>',
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE worksheet SYSTEM "http://127.0.0.1:1/evil.dtd">',
    '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
]

# A cell: its type attribute (None: none) and its raw text.
HOSTILE_CELLS = [
    ("n", "1e309"),
    ("n", "-1e309"),
    ("n", "NaN"),
    ("n", "inf"),
    ("n", "9" * 5000),
    ("n", "9" * 4000),
    ("n", "1" * 400 + ".5"),
    ("n", "-3"),
    ("n", "0.000000001"),
    ("n", "12abc"),
    ("n", ""),
    ("s", "99999"),
    ("s", "-1"),
    ("s", "abc"),
    ("b", "2"),
    ("b", "да"),
    ("d", "not a date"),
    ("d", "9999-12-31T23:59:59"),
    ("d", "0001-01-01"),
    ("e", "#REF!"),
    ("str", '=HYPERLINK("http://evil.example","x")'),
    ("inlineStr", "\x01\x02\x1b[31m управляющие символы \x7f"),
    ("inlineStr", "я" * 40000),
    ("inlineStr", "До " + "1" * 5000 + ".01.2024"),
    ("inlineStr", "1e309"),
    ("inlineStr", "9" * 5000),
    ("inlineStr", "+7 (900) 000-00-00"),
    ("inlineStr", "@SUM(A1)"),
    ("inlineStr", "ежедневно"),
    ("inlineStr", "31.02.2024"),
    ("inlineStr", "29:99"),
    ("inlineStr", ""),
    (None, "1e309"),
]


def cell_xml(ref: str, kind: str | None, value: str) -> str:
    if kind == "inlineStr":
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    attribute = f' t="{kind}"' if kind else ""
    return f'<c r="{ref}"{attribute}><v>{escape(value)}</v></c>'


def column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def sheet_xml(rows: list[list[tuple[str | None, str]]], dtd: str = "") -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell_xml(f"{column(c)}{r}", k, v) for c, (k, v) in enumerate(cells) if v is not None)
        + "</row>"
        for r, cells in enumerate(rows, start=1)
    )
    return SHEET_HEAD + dtd + SHEET_OPEN + body + SHEET_CLOSE


def xlsx(sheet: str, *, drop: str = "", method: int = zipfile.ZIP_DEFLATED) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/sharedStrings.xml": SHARED,
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, text in parts.items():
            if name != drop:
                archive.writestr(name, text.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


def as_cells(row: list) -> list[tuple[str | None, str]]:
    """A row of plain values as cells: numbers as numbers, the rest as inline strings."""
    return [("n", str(v)) if isinstance(v, int | float) else ("inlineStr", str(v)) for v in row]


@st.composite
def malformed_xlsx(draw, base: list[list]) -> bytes:
    """The `base` sheet (a valid file of the importer: header and rows) with hostile cells put in,
    rows dropped or repeated, then maybe damaged as an archive."""
    rows = [as_cells(r) for r in base]
    for _ in range(draw(st.integers(0, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, max(len(rows[r]) - 1, 0) + 2))
        cell = draw(st.sampled_from(HOSTILE_CELLS) | st.tuples(st.just("inlineStr"), st.text(max_size=40)))
        rows[r] = rows[r] + [("inlineStr", "")] * (c + 1 - len(rows[r]))
        rows[r][c] = cell
    if draw(st.booleans()):
        rows = rows[:1] + draw(st.lists(st.sampled_from(rows), max_size=8))
    dtd = draw(st.sampled_from(DTDS)) if draw(st.integers(0, 5)) == 0 else ""
    sheet = sheet_xml(rows, dtd)
    damage = draw(st.sampled_from(["none", "none", "truncate", "flip", "drop", "garbage sheet", "bzip2"]))
    if damage == "garbage sheet":
        sheet = draw(st.sampled_from(["", "<worksheet>", "<<<>>>", "\ufeff", SHEET_HEAD + "<a>" * 200]))
    content = xlsx(
        sheet,
        drop=draw(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                   "_rels/.rels", "[Content_Types].xml"])) if damage == "drop" else "",
        method=zipfile.ZIP_BZIP2 if damage == "bzip2" else zipfile.ZIP_DEFLATED,
    )  # fmt: skip
    if damage == "truncate":
        content = content[: draw(st.integers(1, len(content) - 1))]
    elif damage == "flip":
        data = bytearray(content)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        content = bytes(data)
    return content
