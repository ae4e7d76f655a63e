"""What the authority's documents say in words: the date of a blank («29» февраля 2024 года) and a
plan's title in the genitive («Об утверждении Плана …»)."""

import re

MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
]  # fmt: skip

# The usual first words of a plan's title and their genitive («Об утверждении Плана …»).
GENITIVE = [
    (re.compile(r"^План(?=\b)"), "Плана"),
    (re.compile(r"^план(?=\b)"), "плана"),
    (re.compile(r"«Дорожная карта»"), "«Дорожной карты»"),
    (re.compile(r"\(дорожная карта\)", re.I), "(дорожной карты)"),
    (re.compile(r"^Дорожная карта"), "Дорожной карты"),
]


def date_text(value) -> str:
    """«29» февраля 2024 года, as the authority's blanks date their orders; a draft's blanks."""
    if value is None:
        return "«___» ____________ 20___ года"
    return f"«{value.day:02d}» {MONTHS[value.month - 1]} {value.year} года"


def title_genitive(title: str) -> str:
    out = title.strip()
    for pattern, replacement in GENITIVE:
        out = pattern.sub(replacement, out, count=1)
    return out
