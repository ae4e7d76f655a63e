"""What a file says, before anything is matched or written: a PlanDraft that can be stored (JSON)
between the preview and the confirmation."""

from dataclasses import asdict, dataclass, field
from datetime import date

from activities.choices import Numbering
from reports.imports.proposals import propose_period, propose_title
from reports.imports.readers import read_document
from reports.imports.table import ParsedActivity, ParsedSection, choose_table
from reports.imports.titles import read_title_block

ROMAN_DIGITS = set("IVXLC")


@dataclass
class PlanDraft:
    file_name: str
    format: str
    title: str
    kind: str
    period_text: str
    period_start: str | None  # ISO dates: the draft is stored as JSON
    period_end: str | None
    period_source: str
    section_numbering: str
    columns: list[list[str]]
    goals: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)  # ParsedSection as dicts, with activities
    errors: list[dict] = field(default_factory=list)  # {"row": int | None, "message": str}
    notes: list[dict] = field(default_factory=list)
    # What the file lacked and the import proposed: {"title": "…"} and {"period": "dates"|…}.
    proposed: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "PlanDraft":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def parsed_sections(self) -> list[ParsedSection]:
        return [
            ParsedSection(
                row=s["row"],
                source_number=s["source_number"],
                title=s["title"],
                activities=[ParsedActivity(**a) for a in s["activities"]],
            )
            for s in self.sections
        ]

    @property
    def start(self) -> date | None:
        return date.fromisoformat(self.period_start) if self.period_start else None

    @property
    def end(self) -> date | None:
        return date.fromisoformat(self.period_end) if self.period_end else None


def numbering_of(sections: list[ParsedSection]) -> str:
    numbers = [s.source_number.upper() for s in sections if s.source_number]
    roman = sum(1 for n in numbers if set(n) <= ROMAN_DIGITS)
    return Numbering.ROMAN if numbers and roman > len(numbers) - roman else Numbering.ARABIC


def read_plan(data: bytes, file_name: str) -> PlanDraft:
    """Read `data` (the uploaded file) into a draft. Raises ImportFileError for unreadable files;
    problems of single rows are in `draft.errors` with their row numbers."""
    document = read_document(data, file_name)
    table = choose_table(document)
    block = read_title_block(table.lines_above)
    notes = [{"row": i.row, "message": i.message} for i in table.notes]
    proposed: dict = {}
    if block.period_source != "title":
        proposed["period"] = block.period_source or "dates"
        if not block.period_source:
            deadlines = [a.deadline for s in table.sections for a in s.activities]
            block.period_start, block.period_end, proposed["period"] = propose_period(deadlines)
    if not block.title:
        block.title = propose_title(block.kind, block.period_start, block.period_end)
        proposed["title"] = block.title
    return PlanDraft(
        file_name=file_name,
        format=document.format,
        title=block.title,
        kind=block.kind,
        period_text=block.period_text,
        period_start=block.period_start.isoformat() if block.period_start else None,
        period_end=block.period_end.isoformat() if block.period_end else None,
        period_source=block.period_source,
        section_numbering=numbering_of(table.sections),
        columns=table.columns,
        goals=block.goals,
        tasks=block.tasks,
        sections=[asdict(s) for s in table.sections],
        errors=[{"row": i.row, "message": i.message} for i in table.errors],
        notes=notes,
        proposed=proposed,
    )
