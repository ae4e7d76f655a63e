"""A plan as the documents departments keep: .xlsx and .docx laid out like the seeds (title
above, the plan's own columns and headings, section rows merged and bold, multi-line cells)."""

import re

from activities.models import Activity, Plan, Section

FIELD_OF_COLUMN = {
    "number": "number",
    "title": "title",
    "deadline": "deadline_text",
    "responsible": "responsible_text",
    "expected_result": "expected_result",
    "note": "note",
}


def cell_value(activity: Activity, key: str) -> str:
    return getattr(activity, FIELD_OF_COLUMN[key]) or ""


def section_heading(section: Section) -> str:
    """The text of a section's row; "" for the implicit section of a flat plan (no row at all)."""
    return f"{section.number}. {section.title}" if section.number else section.title


APPROVAL_HEAD = re.compile(r"^(УТВЕРЖД[ЕЁ]Н[АОЫ]?|УТВЕРЖДАЮ|СОГЛАСОВАН[АОЫ]?)\s*:?\s*", re.IGNORECASE)
APPROVAL_DATE = re.compile(r"\s(?=от\s+(?:«|\"|\d|_))")


def approval_lines(text: str) -> list[str]:
    """«УТВЕРЖДЕН приказом … от 29.02.2024 № 51» as the lines of the corner block:
    «УТВЕРЖДЕН» / «приказом …» / «от 29.02.2024 № 51» (ГОСТ Р 7.0.97-2025, requisite 21).
    Text already broken into lines is kept as it is."""
    text = (text or "").strip()
    if not text:
        return []
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    lines = []
    if match := APPROVAL_HEAD.match(text):
        lines.append(match.group(1).upper())
        text = text[match.end() :]
    lines.extend(part.strip() for part in APPROVAL_DATE.split(text, maxsplit=1) if part.strip())
    return lines


def file_stem(plan: Plan) -> str:
    return f"plan-{plan.owner.code}-{plan.period_start:%Y}-{plan.pk}"
