"""Column widths of a printed table from its content, measured with the shipped font's metrics:
no column is narrower than its longest piece that cannot break (a number, a date, «№ п/п», a
proper name kept whole, a heading word; a common word may hyphenate after a few letters), and the
room left is shared in proportion to the square root of each column's mean text length."""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings

FONTS = Path(settings.BASE_DIR) / "static" / "fonts" / "liberation-serif"
PT_MM = 25.4 / 72
CELL_PADDING_MM = 3.6  # 1.5 mm each side and the rules
SYLLABLES = 6  # letters a hyphenated word keeps on a line at the least
LETTERS = re.compile(r"^[А-Яа-яЁёA-Za-z]+[,.;:)»]*$")


@lru_cache(maxsize=2)
def _metrics(bold: bool):
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / ("LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"))
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    scale = 1 / font["head"].unitsPerEm
    return cmap, advances, scale


def text_mm(text: str, *, size: float, bold: bool = False) -> float:
    """The width of `text` on one line in the shipped serif at `size` pt, mm."""
    cmap, advances, scale = _metrics(bold)
    units = sum(advances.get(cmap.get(ord(c), ".notdef"), (500, 0))[0] for c in text)
    return units * scale * size * PT_MM


def unbreakable_mm(text: str, *, size: float, bold: bool = False, hyphenate: bool = True) -> float:
    """The widest piece of `text` that cannot go over to the next line."""
    widest = 0.0
    for word in text.replace("/", "/ ").split():
        if hyphenate and LETTERS.match(word) and len(word) > SYLLABLES + 2:
            piece = text_mm(word[:SYLLABLES] + "-", size=size, bold=bold)
        else:
            piece = text_mm(word, size=size, bold=bold)
        widest = max(widest, piece)
    return widest


def column_widths(
    columns: list[tuple[str, str]],
    rows: list[list[str]],
    total_mm: float,
    *,
    size: float = 12,
    whole_headings: tuple[str, ...] = (),
    hyphenate_headings: bool = False,
) -> list[float]:
    """Widths in % of the table for `columns` ([(key, label)]) holding `rows` of texts; headings
    in `whole_headings` (such as «№ п/п») are kept on one line, the others break between words
    (and, with `hyphenate_headings`, inside them)."""
    minimum, want = [], []
    for index, (key, label) in enumerate(columns):
        texts = [row[index] for row in rows if row[index]]
        heading = (
            text_mm(label, size=size, bold=True)
            if label in whole_headings
            else unbreakable_mm(label, size=size, bold=True, hyphenate=hyphenate_headings)
        )
        body = max((unbreakable_mm(t, size=size, hyphenate=key != "number") for t in texts), default=0)
        minimum.append(max(heading, body) + CELL_PADDING_MM)
        mean = sum(len(t) for t in texts) / len(rows) if rows else 0  # a sparse column wants less
        want.append(max(mean, 1) ** 0.5 if key != "number" else 0)
    widths = list(minimum)
    spare = total_mm - sum(minimum)
    if spare > 0 and sum(want):
        widths = [m + spare * w / sum(want) for m, w in zip(minimum, want, strict=True)]
    scale = 100 / sum(widths)
    return [round(w * scale, 2) for w in widths]
