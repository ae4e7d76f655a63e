"""The preview of an import: what would be created, with the deadline rule proposed for each
activity, its responsible text matched to the catalogue, the roles that would be created, and
every problem with its row number (as vprplan.importing.RowIssue.as_dict). Nothing here writes."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from activities.choices import COLUMN_LABELS, DeadlineKind, ExecutionLevel
from activities.deadlines import DeadlineRule, due_dates, parse_deadline
from activities.models import Plan, ResponsiblePerson, ResponsibleRole, plan_numbers
from reports.imports.draft import PlanDraft
from reports.imports.proposals import PERIOD_WARNINGS, TITLE_WARNING, period_label
from reports.imports.responsible import ResponsibleMatch, analyse, norm
from schools.choices import OrgKind
from schools.models import Organization


def propose_deadline(text: str, start: date | None, end: date | None):
    """The deadline rule the Russian parser proposes (activities.deadlines)."""
    return parse_deadline(text, period_start=start, period_end=end)


def computed_dates(kind: str, rule: dict, start: date | None, end: date | None) -> list[date]:
    """The due dates the system computes from the proposed rule inside the plan's period."""
    if not (start and end) or start > end:
        return []
    return due_dates(DeadlineRule(kind=kind, params=rule or {}), period_start=start, period_end=end)


@dataclass
class ActivityPreview:
    row: int
    number: str
    source_number: str
    title: str
    deadline_text: str
    deadline_kind: str
    deadline_rule: dict
    deadline_warning: str
    responsible_text: str
    expected_result: str
    note: str
    responsible: ResponsibleMatch
    execution_level: str
    due: list[date] = field(default_factory=list)

    @property
    def deadline_kind_label(self) -> str:
        try:
            return DeadlineKind(self.deadline_kind).label
        except ValueError:
            return self.deadline_kind


@dataclass
class SectionPreview:
    row: int | None
    number: str
    title: str
    activities: list[ActivityPreview] = field(default_factory=list)


@dataclass
class Preview:
    draft: PlanDraft
    title: str
    period_start: date | None
    period_end: date | None
    sections: list[SectionPreview]
    roles_to_create: list[str]
    errors: list[dict]
    notes: list[dict]
    warnings: list[dict] = field(default_factory=list)  # what was proposed: check, not fix
    committed: bool = False  # written by plan_import (vprplan.importing.commit_import)
    plan: Plan | None = None  # the plan written

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def activities(self) -> list[ActivityPreview]:
        return [a for s in self.sections for a in s.activities]

    @property
    def columns(self) -> list[dict]:
        return [{"key": k, "heading": h, "label": COLUMN_LABELS[k]} for k, h in self.draft.columns]

    def as_json(self, plan_id: int | None = None) -> dict:
        """The import_plan command's output (DESIGN.md §4)."""
        return {
            "plan_id": plan_id,
            "title": self.title,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "sections": [{"number": s.number, "title": s.title} for s in self.sections],
            "activities": [
                {
                    "number": a.number,
                    "title": a.title,
                    "deadline_text": a.deadline_text,
                    "deadline_kind": a.deadline_kind,
                    "responsible_text": a.responsible_text,
                    "expected_result": a.expected_result,
                }
                for a in self.activities
            ],
            "warnings": self.warnings,
            "errors": self.errors,
        }


def catalogue(owner: Organization) -> tuple[list[ResponsibleRole], list[ResponsiblePerson]]:
    """The roles an owner's plans may name (shared ones and its own, a school also its
    municipality's) and the persons of its municipality (two queries)."""
    owners = [pk for pk in (owner.pk, owner.municipality_id) if pk]
    roles = list(ResponsibleRole.objects.filter(Q(owner__isnull=True) | Q(owner_id__in=owners)))
    persons = list(
        ResponsiblePerson.objects.filter(organization_id__in={owner.pk, owner.municipality_id_or_self})
    )
    return roles, persons


def build_preview(
    draft: PlanDraft,
    *,
    owner: Organization,
    title: str | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Preview:
    start = period_start or draft.start
    end = period_end or draft.end
    errors = list(draft.errors)
    title = (title if title is not None else draft.title).strip()
    if not title:
        errors.insert(0, {"row": None, "message": "Не указано наименование плана."})
    if not (start and end):
        errors.insert(
            0,
            {
                "row": None,
                "message": "Не указан период плана: в заголовке нет лет. Укажите начало и конец периода.",
            },
        )
    elif start > end:
        errors.insert(0, {"row": None, "message": "Конец периода раньше его начала."})
        start = end = None
    roles, persons = catalogue(owner)
    has_deadlines = any(key == "deadline" for key, _ in draft.columns)
    new_roles: dict[str, str] = {}
    sections = []
    parsed_sections = draft.parsed_sections()
    numbers = plan_numbers(draft.section_numbering, [p.title for p in parsed_sections])
    for parsed, (number, prefix) in zip(parsed_sections, numbers, strict=True):
        section = SectionPreview(row=parsed.row, number=number, title=parsed.title)
        for a_index, a in enumerate(parsed.activities, start=1):
            kind, rule, warning = DeadlineKind.MANUAL, {}, ""
            if has_deadlines:
                proposal = propose_deadline(a.deadline, start, end)
                kind, rule, warning = proposal.kind, proposal.params, proposal.warning or ""
            match = analyse(a.responsible, roles, persons)
            for name in match.new_roles:
                new_roles.setdefault(norm(name), name)
            school_level = owner.kind != OrgKind.SCHOOL and any(
                r.level == ExecutionLevel.SCHOOL for r in match.roles
            )
            section.activities.append(
                ActivityPreview(
                    row=a.row,
                    number=f"{prefix}{a_index}",
                    source_number=a.source_number,
                    title=a.title,
                    deadline_text=a.deadline,
                    deadline_kind=str(kind),
                    deadline_rule=rule or {},
                    deadline_warning=warning[:300],
                    responsible_text=a.responsible,
                    expected_result=a.expected_result,
                    note=a.note,
                    responsible=match,
                    execution_level=ExecutionLevel.SCHOOL if school_level else ExecutionLevel.AUTHORITY,
                    due=computed_dates(str(kind), rule, start, end),
                )
            )
        sections.append(section)
    return Preview(
        draft=draft,
        title=title,
        period_start=start,
        period_end=end,
        sections=sections,
        roles_to_create=list(new_roles.values()),
        errors=errors,
        notes=list(draft.notes),
        warnings=proposal_warnings(draft, title, start, end),
    )


def proposal_warnings(draft: PlanDraft, title: str, start: date | None, end: date | None) -> list[dict]:
    """The title and period the import proposed, while they are still the proposed ones."""
    warnings = []
    source = draft.proposed.get("period")
    if source in PERIOD_WARNINGS and start and end and (start, end) == (draft.start, draft.end):
        label = period_label(start, end)
        warnings.append({"row": None, "message": PERIOD_WARNINGS[source].format(label=label)})
    if draft.proposed.get("title") and title == draft.proposed["title"]:
        warnings.append({"row": None, "message": TITLE_WARNING.format(title=title)})
    return warnings
