"""Suggesting assignments: every uncovered session gets one observer, flagged schools first.

Greedy and exact about the rules: sessions are taken in order (schools with признаки
необъективности of the campaign's year first, then by date and time), and each gets, among the
observers of its municipality whom no rule forbids (observers.rules.fits), the one with the fewest
assignments so far, so the work is spread evenly. A heap per municipality keeps that choice
O(log n); the rows are read in four queries whatever the size.
"""

import gc
import heapq
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef

from observers.choices import ACTIVE_STATUSES
from observers.models import Assignment, Observer
from observers.rules import Candidate, Slot, fits
from schools.models import UnobjectivityFlag, VprCampaign, VprSession
from schools.models.vpr import busy_interval


@dataclass
class Problem:
    sessions: list[Slot]
    observers: dict[int, Candidate]
    covered: set[int] = field(default_factory=set)  # sessions that already have an observer
    busy: dict[int, dict[date, list[tuple[datetime, datetime]]]] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of small acyclic objects (rows, slots, heap entries): reference counting
    frees them; the cyclic collector would only walk them again and again (a third of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan(*, campaign: VprCampaign, municipality_ids: list[int]) -> list[tuple[int, int]]:
    """Read the campaign's sessions and observers in these municipalities and suggest."""
    with _collector_paused():
        return suggest(load_problem(campaign=campaign, municipality_ids=municipality_ids))


def load_problem(*, campaign: VprCampaign, municipality_ids: list[int]) -> Problem:
    """The sessions of `campaign` in these municipalities, their observers and what is already
    assigned: four queries, plain values (no model instances)."""
    flagged = UnobjectivityFlag.objects.filter(school_id=OuterRef("school_id"), year=campaign.year)
    rows = (
        VprSession.objects.filter(campaign=campaign, school__municipality_id__in=municipality_ids)
        .annotate(flagged=Exists(flagged))
        .order_by()  # `suggest` puts them in its own order; the model's (by school name) cost a sort
        .values_list("pk", "school_id", "school__municipality_id", "date", "starts_at", "ends_at", "flagged")
    )
    sessions = []
    for pk, school, municipality, day, starts, ends, is_flagged in rows:
        start, end = busy_interval(day, starts, ends)
        sessions.append(Slot(pk, school, municipality, day, start, end, bool(is_flagged)))

    children: dict[int, set[int]] = defaultdict(set)
    through = Observer.children_schools.through
    for observer_id, school_id in (
        through.objects.filter(observer__municipality_id__in=municipality_ids, observer__is_active=True)
        .order_by()
        .values_list("observer_id", "organization_id")
    ):
        children[observer_id].add(school_id)
    candidates = (
        Observer.objects.filter(municipality_id__in=municipality_ids, is_active=True)
        .order_by()
        .values_list(
            "pk",
            "municipality_id",
            "full_name",
            "workplace_school_id",
            "accreditation_date",
            "trained_on",
            "consent_given",
        )
    )
    observers = {
        pk: Candidate(
            pk,
            municipality,
            name,
            workplace,
            frozenset(children.get(pk, ())),
            accredited,
            trained,
            consent,
            True,
        )
        for pk, municipality, name, workplace, accredited, trained, consent in candidates
    }

    problem = Problem(sessions=sessions, observers=observers)
    for session_id, observer_id, day, starts, ends in (
        Assignment.objects.filter(observer__municipality_id__in=municipality_ids, status__in=ACTIVE_STATUSES)
        .order_by()
        .values_list("session_id", "observer_id", "session__date", "session__starts_at", "session__ends_at")
    ):
        problem.covered.add(session_id)
        problem.busy.setdefault(observer_id, {}).setdefault(day, []).append(busy_interval(day, starts, ends))
        problem.load[observer_id] = problem.load.get(observer_id, 0) + 1
    return problem


def suggest(problem: Problem) -> list[tuple[int, int]]:
    """(session id, observer id) for every uncovered session some observer may take."""
    heaps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for who in problem.observers.values():
        if who.active and who.consent and who.accredited_on and who.trained_on:
            heaps[who.municipality_id].append((problem.load.get(who.id, 0), who.id))
    for heap in heaps.values():
        heapq.heapify(heap)
    order = sorted(
        (s for s in problem.sessions if s.id not in problem.covered),
        key=lambda s: (not s.flagged, s.date, s.start, s.school_id, s.id),
    )
    busy = {o: {d: list(spans) for d, spans in days.items()} for o, days in problem.busy.items()}
    observers, chosen = problem.observers, []
    for slot in order:
        heap = heaps.get(slot.municipality_id)
        if not heap:
            continue
        skipped = []
        while heap:
            load, observer_id = heapq.heappop(heap)
            taken = busy.get(observer_id, {}).get(slot.date, ())
            if fits(slot, observers[observer_id], taken):
                chosen.append((slot.id, observer_id))
                busy.setdefault(observer_id, {}).setdefault(slot.date, []).append((slot.start, slot.end))
                heapq.heappush(heap, (load + 1, observer_id))
                break
            skipped.append((load, observer_id))
        for item in skipped:
            heapq.heappush(heap, item)
    return chosen
