"""Writes to plans. Keyword-only, atomic, audited (STYLE.md «Where logic lives»)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction

from activities.choices import DeadlineKind
from activities.models import Activity, Plan, Section, plan_numbers
from vprplan.audit import audit


def plan_renumber(*, plan: Plan) -> None:
    """Recompute section numbers (I, II… or 1, 2…) and activity numbers (1.1, 1.2…) from order.
    A section without a title (a flat plan) has no number and its activities are 1, 2, 3."""
    sections = list(plan.sections.order_by("position"))
    numbers = plan_numbers(plan.section_numbering, [s.title for s in sections])
    activities = list(Activity.objects.filter(plan=plan).order_by("section__position", "position"))
    by_section: dict[int, list[Activity]] = {}
    for activity in activities:
        by_section.setdefault(activity.section_id, []).append(activity)
    changed_sections, changed_activities = [], []
    for section, (number, prefix) in zip(sections, numbers, strict=True):
        if section.number != number:
            section.number = number
            changed_sections.append(section)
        for a_index, activity in enumerate(by_section.get(section.pk, []), start=1):
            a_number = f"{prefix}{a_index}"
            if activity.number != a_number:
                activity.number = a_number
                changed_activities.append(activity)
    Section.objects.bulk_update(changed_sections, ["number"])
    Activity.objects.bulk_update(changed_activities, ["number"])


@dataclass
class ActivityData:
    """One activity as a document or the editor gives it."""

    title: str
    deadline_text: str = ""
    deadline_kind: str = DeadlineKind.MANUAL
    deadline_rule: dict = field(default_factory=dict)
    responsible_text: str = ""
    expected_result: str = ""
    note: str = ""
    evidence_form: str = ""


@dataclass
class SectionData:
    title: str
    activities: list[ActivityData] = field(default_factory=list)


ACTIVITY_FIELDS = [
    "title",
    "deadline_text",
    "deadline_kind",
    "deadline_rule",
    "responsible_text",
    "expected_result",
    "note",
    "evidence_form",
]


@transaction.atomic
def plan_replace_content(*, plan: Plan, sections: Iterable[SectionData], actor: User | None = None) -> bool:
    """Make the plan's sections and activities exactly `sections`, keeping rows in place.

    Rows are matched by position, so running it again with the same content changes nothing
    (seed_demo relies on that) and ids stay stable. New rows are inserted in bulk, already
    numbered, so filling an empty plan (an import, a copy) costs a fixed number of queries.
    Returns whether anything changed.
    """
    sections = list(sections)
    existing_sections = {s.position: s for s in plan.sections.all()}
    existing_activities = {(a.section_id, a.position): a for a in Activity.objects.filter(plan=plan)}
    numbers = plan_numbers(plan.section_numbering, [data.title for data in sections])
    placed, new_sections, new_activities = [], [], []
    activity_count = 0
    changed = False
    for s_pos, data in enumerate(sections, start=1):
        section = existing_sections.pop(s_pos, None)
        if section is None:
            number = numbers[s_pos - 1][0]
            section = Section(plan=plan, position=s_pos, title=data.title, number=number)
            new_sections.append(section)
        elif section.title != data.title:
            changed = True
            section.title = data.title
            section.save(update_fields=["title"])
        placed.append((s_pos, section, data))
    if new_sections:
        changed = True
        Section.objects.bulk_create(new_sections)  # sets the ids (PostgreSQL, SQLite >= 3.35)
    for s_pos, section, data in placed:
        for a_pos, a_data in enumerate(data.activities, start=1):
            activity_count += 1
            values = {name: getattr(a_data, name) for name in ACTIVITY_FIELDS}
            activity = existing_activities.pop((section.pk, a_pos), None)
            if activity is None:
                a_number = f"{numbers[s_pos - 1][1]}{a_pos}"
                activity = Activity(plan=plan, section=section, position=a_pos, number=a_number, **values)
                # Plan, section and position are unique by construction: no per-row lookups.
                activity.full_clean(
                    exclude=["number", "plan", "section"], validate_unique=False, validate_constraints=False
                )
                new_activities.append(activity)
            elif any(getattr(activity, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(activity, k, v)
                activity.version += 1
                activity.full_clean(exclude=["number"])
                activity.save()
                changed = True
    if new_activities:
        changed = True
        Activity.objects.bulk_create(new_activities, batch_size=500)
    if existing_activities or existing_sections:
        changed = True
        Activity.objects.filter(pk__in=[a.pk for a in existing_activities.values()]).delete()
        Section.objects.filter(pk__in=[s.pk for s in existing_sections.values()]).delete()
    if changed:
        plan_renumber(plan=plan)
        audit(
            actor,
            "plan.content_replaced",
            plan,
            organization=plan.owner,
            sections=len(sections),
            activities=activity_count,
        )
    return changed
