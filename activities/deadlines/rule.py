"""The structured deadline rule kept next to an activity's verbatim deadline text.

`params` by kind (all JSON; a year left out by the text is null and resolved against the plan
period when dates are computed; "within" is optional everywhere: ["YYYY-MM-DD", "YYYY-MM-DD"],
the span the text limits itself to, such as «в течение 2023 года»):

    fixed       {"day": 25, "month": 1, "year": 2023 | null}
    range       {"start": {"month": 2, "day": null}, "end": {"month": 5, "day": null},
                 "years": [2024]}             years of the range's END; [] = every year;
                                              "start_year" only when the text names one that
                                              the end does not imply
    months      {"months": [{"month": 8, "year": 2023}, {"month": 8, "year": 2024}]}
    recurring   {"every": "year" | "half_year" | "quarter" | "school_quarter" | "month" | "week"
                 | "day", "day": 5 (optional, «ежемесячно до 5 числа»)}
    relative    {"event": "flag" | "results" | "sessions" | "vpr_start" | "vpr_end" | "procedure"
                 | "", "direction": "before" | "after", "amount": 3,
                 "unit": "day" | "working_day" | "week" | "month"}
    continuous  {}
    manual      {"reason": "as_needed" | "on_request" | "external" | "unreadable" | "empty"}
"""

from dataclasses import dataclass, field
from datetime import date

from activities.choices import DeadlineKind

EVERY = ("year", "half_year", "quarter", "school_quarter", "month", "week", "day")
UNITS = ("day", "working_day", "week", "month")
EVENTS = ("flag", "results", "sessions", "vpr_start", "vpr_end", "procedure", "")


@dataclass(frozen=True)
class DeadlineRule:
    """How a deadline is understood: a DeadlineKind, its parameters and a warning for the editor."""

    kind: str
    params: dict = field(default_factory=dict)
    warning: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "params": self.params, "warning": self.warning}

    @classmethod
    def from_json(cls, data: dict) -> "DeadlineRule":
        return cls(
            kind=data.get("kind") or DeadlineKind.MANUAL,
            params=dict(data.get("params") or {}),
            warning=data.get("warning") or "",
        )


@dataclass
class CalendarEvents:
    """The campaign calendar relative rules resolve against; every field is optional."""

    vpr_start: date | None = None  # first day of the VPR window
    vpr_end: date | None = None  # last day of the VPR window
    results_date: date | None = None  # results received
    flag_date: date | None = None  # signs of unobjective results found
    sessions: list[date] = field(default_factory=list)  # the school's own VPR session dates
    # Ends of the school's quarters (четверти) from its calendar schedule; when empty, the ends of
    # October, December, March and May stand in (never earlier than a real quarter's end).
    term_ends: list[date] = field(default_factory=list)
    # Other named events, e.g. {"procedure": date(2024, 4, 10)} for «соответствующей процедуры».
    other: dict[str, date] = field(default_factory=dict)

    def anchors(self, event: str, direction: str) -> list[date]:
        """The dates an event happens on (several for the school's sessions)."""
        if event == "flag":
            return [self.flag_date] if self.flag_date else []
        if event == "results":
            return [self.results_date] if self.results_date else []
        if event == "sessions":
            if self.sessions:
                return list(self.sessions)
            # No school schedule yet (a municipal plan): the window bounds the sessions.
            fallback = self.vpr_start if direction == "before" else self.vpr_end
            return [fallback] if fallback else []
        if event == "vpr_start":
            first = self.vpr_start or (min(self.sessions) if self.sessions else None)
            return [first] if first else []
        if event == "vpr_end":
            last = self.vpr_end or (max(self.sessions) if self.sessions else None)
            return [last] if last else []
        found = self.other.get(event) if event else None
        return [found] if found else []
