"""Typesetting of printed documents (orders, appendices, the «Справка», the schedule): proper
names with a hyphen never break at it («Северо-Енисейского», «СЕВЕРО-ЕНИСЕЙСКОГО»), nor do ranges
(«2023-2024», «09:00–10:30»),
and «№ 5», «г. Инта», «Э.О. Круглова» never break at their space.

The shipped Liberation Serif has no U+2011 (non-breaking hyphen) glyph, so such a name is kept in
a `white-space: nowrap` span with its ordinary hyphen: the PDF's text stays the source's text."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

UPPER = "A-ZА-ЯЁ"
WORD = "0-9A-Za-zА-Яа-яЁё"
# A capitalised word whose hyphenated parts are capitalised or numbers: a proper name.
HYPHENATED_NAME = re.compile(rf"(?<![{WORD}-])[{UPPER}][{WORD}]*(?:-[{UPPER}0-9][{WORD}]*)+")
# «2023-2024», «09:00–10:30», «5-9»: a range of numbers or times.
YEARS = re.compile(r"(?<![0-9:.–-])\d[\d:.]*[-–]\d[\d:.]*(?![0-9–-])")
# «№ 5», «г. Инта», «Э.О. Круглова», «п. 3»: the space after a sign, an abbreviation or initials.
GLUED_SPACE = re.compile(rf"(№|\b[гпсд]\.|\b(?:[{UPPER}]\.){{1,2}}) (?=[{WORD}«])")


def typeset_text(text: str) -> str:
    """Escaped HTML of `text` with names and numbers kept together (see the module)."""
    html = str(conditional_escape(text or ""))
    html = GLUED_SPACE.sub(lambda m: m.group(1) + "\u00a0", html)

    def nobr(match: re.Match) -> str:
        return f'<span class="nobr">{match.group(0)}</span>'

    html = HYPHENATED_NAME.sub(nobr, html)
    return YEARS.sub(nobr, html)


@register.filter
def typeset(text) -> str:
    return mark_safe(typeset_text(str(text) if text is not None else ""))


@register.filter
def typeset_lines(text) -> str:
    """`typeset` with line breaks kept (cells of several paragraphs)."""
    lines = str(text or "").splitlines()
    return mark_safe("<br>".join(typeset_text(line) for line in lines))
