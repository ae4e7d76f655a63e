"""A plan as the documents departments keep: .xlsx and .docx laid out like the seeds (title
above, the plan's own columns and headings, section rows merged and bold, multi-line cells)."""

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
    return f"{section.number}. {section.title}" if section.number else section.title


def file_stem(plan: Plan) -> str:
    return f"plan-{plan.owner.code}-{plan.period_start:%Y}-{plan.pk}"
