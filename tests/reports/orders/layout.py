"""Reading a rendered PDF's layout back: words with their boxes (`pdftotext -bbox`, poppler),
a page's lines, the words of the source HTML, hyphenated line breaks joined, dark pixels of a
page region (`pdftoppm`), the fonts (pypdf)."""

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pypdf
from PIL import Image

PT_MM = 25.4 / 72
PUNCTUATION = "«»()[],.;:!?\"'“”„…"


@dataclass
class Word:
    page: int
    x0: float  # mm from the left edge
    y0: float  # mm from the top edge (top of the glyph box)
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float  # mm
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def lines(self) -> list[list[Word]]:
        """Words grouped by their baseline band, top to bottom, each line left to right."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (round(w.y1, 0), w.x0)):
            if rows and abs(rows[-1][0].y1 - word.y1) < 1.0:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [sorted(row, key=lambda w: w.x0) for row in rows]


def read_pages(pdf: bytes) -> list[Page]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-bbox", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        index = len(pages)
        words = [
            Word(index, *(float(v) * PT_MM for v in m.groups()[:4]), html.unescape(m.group(5)))
            for m in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                match.group(3),
            )
        ]
        pages.append(Page(float(match.group(1)) * PT_MM, float(match.group(2)) * PT_MM, words))
    return pages


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("title", "style", "head"):
            self._skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("title", "style", "head"):
            self._skip -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def normal(token: str) -> str:
    """A token as compared: hyphens of every kind as «-» (WeasyPrint breaks with U+2010)."""
    return token.replace("\xad", "").replace("\u2011", "-").replace("\u2010", "-").strip(PUNCTUATION)


def source_words(markup: str) -> set[str]:
    """Every word of the HTML's text (and every letter: letter-spaced «П Р И К А З» reads so)."""
    parser = _Text()
    parser.feed(markup)
    text = "".join(parser.parts).replace("\xa0", " ")
    words = {normal(t) for t in text.split()}
    return words | {c for w in words for c in w} | {""}


def joined_words(pages: list[Page], known: set[str], lookahead: int = 120) -> tuple[list[str], int]:
    """The PDF's words in content order with every line-end hyphenation joined to its rest:
    «соответ-» + «ствующей» → «соответствующей» (a soft break) or «Февраль-» + «май» →
    «Февраль-май» (a break at a real hyphen). The rest is the next word, or, for a table row
    that goes over to the next page, a later one (after the repeated header and the other
    cells' continuations). Returns (words, how many breaks were joined)."""
    stream = [normal(w.text) for page in pages for w in page.words]
    used = [False] * len(stream)
    out, joins = [], 0
    for i, word in enumerate(stream):
        if used[i]:
            continue
        if word.endswith("-") and len(word) > 1 and word not in known:
            for j in range(i + 1, min(len(stream), i + 1 + lookahead)):
                if used[j]:
                    continue
                soft, hard = word[:-1] + stream[j], word + stream[j]
                if soft in known or hard in known:
                    out.append(soft if soft in known else hard)
                    used[j] = True
                    joins += 1
                    break
            else:
                out.append(word)
            continue
        out.append(word)
    return out, joins


def dark_box(pdf: bytes, page: int, region: tuple[float, float, float, float], dpi: int = 150):
    """(x0, y0, x1, y1) in mm of the dark pixels of `region` (mm: x0, y0, x1, y1) of a page."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1), "-gray",
             str(path), str(Path(tmp) / "p")],
            check=True,
        )  # fmt: skip
        image = Image.open(next(Path(tmp).glob("p*.png"))).convert("L")
    scale = dpi / 25.4
    left, top = int(region[0] * scale), int(region[1] * scale)
    crop = image.crop((left, top, int(region[2] * scale), int(region[3] * scale)))
    box = crop.point(lambda v: 255 if v < 100 else 0).getbbox()
    if box is None:
        return None
    return tuple(round(v, 1) for v in ((box[0] + left) / scale, (box[1] + top) / scale,
                                       (box[2] + left) / scale, (box[3] + top) / scale))  # fmt: skip


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font of the PDF and whether its file is embedded."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return found
