"""What the order tests share besides fixtures: the order date they use, and reading a PDF back
(text pieces with their position and size, by pypdf; text normalised for comparison)."""

import re
from dataclasses import dataclass
from datetime import date

import pypdf

MM = 72 / 25.4  # points per millimetre


@dataclass
class Fragment:
    x: float
    y: float
    size: float
    text: str


def fragments(page) -> list[Fragment]:
    """The page's text pieces with their position (points from the bottom left) and font size."""
    out: list[Fragment] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            m = pypdf.mult(tm, cm)
            out.append(Fragment(m[4], m[5], round(size * (m[0] ** 2 + m[1] ** 2) ** 0.5, 1), text.strip()))

    page.extract_text(visitor_text=visit)
    return out


def dehyphenate(text: str) -> str:
    """Words hyphenated at a line's end (WeasyPrint breaks with U+2010) joined again."""
    return re.sub("\u2010\\s+", "", text)


def flat(text: str) -> str:
    """Text without line breaks, hyphenation and letter spacing: what a sentence reads as."""
    return " ".join(dehyphenate(text).split())


def squeeze(text: str) -> str:
    return "".join(dehyphenate(text).split())


ORDER_DAY = date(2025, 10, 1)
