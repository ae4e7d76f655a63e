"""The rules of assigning an observer to a session, on plain data so that the service (one
assignment, with messages) and the planner (thousands, silently) apply the very same checks.

An observer may not observe where he works or where his child studies, may not be in two
places at once, must be accredited and trained before the session's date, must have given
consent to personal-data processing (152-ФЗ), and observes in his own municipality only.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from schools.models.vpr import busy_interval
from vprplan.wording import decline, gendered


@dataclass(slots=True)
class Slot:
    """A session as the rules see it."""

    id: int
    school_id: int
    municipality_id: int
    date: date
    start: datetime
    end: datetime
    flagged: bool = False
    label: str = ""  # «СОШ № 5», математика, 4 кл., 16.04.2024 09:00–10:30: for messages

    @classmethod
    def of(cls, session, *, flagged: bool = False) -> "Slot":
        start, end = busy_interval(session.date, session.starts_at, session.ends_at)
        when = f"{session.date:%d.%m.%Y}" + (f" {session.time_label}" if session.starts_at else "")
        return cls(
            id=session.pk,
            school_id=session.school_id,
            municipality_id=session.school.municipality_id,
            date=session.date,
            start=start,
            end=end,
            flagged=flagged,
            label=f"{session.school}, {session.subject.lower()}, {session.classes_label}, {when}",
        )


@dataclass(slots=True)
class Candidate:
    """An observer as the rules see him."""

    id: int
    municipality_id: int
    name: str
    workplace_id: int | None
    children: frozenset = field(default_factory=frozenset)
    accredited_on: date | None = None
    trained_on: date | None = None
    consent: bool = False
    active: bool = True

    @classmethod
    def of(cls, observer) -> "Candidate":
        return cls(
            id=observer.pk,
            municipality_id=observer.municipality_id,
            name=observer.full_name,
            workplace_id=observer.workplace_school_id,
            children=frozenset(s.pk for s in observer.children_schools.all()),
            accredited_on=observer.accreditation_date,
            trained_on=observer.trained_on,
            consent=observer.consent_given,
            active=observer.is_active,
        )


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def fits(slot: Slot, who: Candidate, busy: Iterable[tuple[datetime, datetime]]) -> bool:
    """True when no rule forbids it: `busy` are the intervals he is already taken on that date.
    The planner's hot path; `reasons()` says the same thing in words (a test keeps them equal)."""
    return (
        who.active
        and who.consent
        and who.municipality_id == slot.municipality_id
        and who.workplace_id != slot.school_id
        and slot.school_id not in who.children
        and who.accredited_on is not None
        and who.accredited_on < slot.date
        and who.trained_on is not None
        and who.trained_on < slot.date
        and not any(overlaps(slot.start, slot.end, s, e) for s, e in busy)
    )


def reasons(slot: Slot, who: Candidate, busy: Iterable[Slot], *, school_name: str = "") -> list[str]:
    """Every rule that forbids this assignment, as Russian sentences (empty: allowed), with the
    name declined and the verbs agreed (vprplan.wording). `busy` are the other sessions he is
    assigned to (any date)."""
    name, day = who.name, f"{slot.date:%d.%m.%Y}"
    genitive = decline(name, "gen")

    def agreed(word: str) -> str:
        return gendered(word, name)

    school = school_name or "этой ОО"
    found = []
    if who.municipality_id != slot.municipality_id:
        found.append(f"{name} — наблюдатель другого муниципалитета.")
    if not who.active:
        found.append(f"{name} {agreed('исключён')} из реестра наблюдателей.")
    if who.workplace_id == slot.school_id:
        found.append(f"{name} работает в {school}: наблюдать в организации, где работаешь, нельзя.")
    if slot.school_id in who.children:
        found.append(f"В {school} учится ребёнок наблюдателя {genitive}: это конфликт интересов.")
    for other in busy:
        if other.id != slot.id and overlaps(slot.start, slot.end, other.start, other.end):
            found.append(
                f"{name} уже {agreed('назначен')} в это время: {other.label}. "
                "Быть в двух местах одновременно нельзя."
            )
    if who.accredited_on is None:
        found.append(f"У наблюдателя {genitive} нет аккредитации.")
    elif who.accredited_on >= slot.date:
        found.append(
            f"{name} {agreed('аккредитован')} {who.accredited_on:%d.%m.%Y}, а работа проходит {day}: "
            "аккредитация должна быть получена до дня проведения."
        )
    if who.trained_on is None:
        found.append(f"Наблюдатель {name} не {agreed('прошёл')} обучение.")
    elif who.trained_on >= slot.date:
        found.append(
            f"{name} {agreed('обучен')} {who.trained_on:%d.%m.%Y}, а работа проходит {day}: "
            "обучение должно быть пройдено до дня проведения."
        )
    if not who.consent:
        found.append(f"Нет согласия наблюдателя {genitive} на обработку персональных данных (152-ФЗ).")
    return found
