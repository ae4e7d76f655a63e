"""The demo's current academic year, built around the day it is loaded (DESIGN.md §5): the coming
VPR campaign with sessions and observers, last spring's results with their markers and the flags
recorded from them, and this year's Inta road map, copied from the transcribed one, approved by an
order of this year and half done. `seed_today` is called by portal.demo.seed_demo after the
transcribed history (the 2023-2024 plans, order № 51, VPR-2024) is in place.
"""

from datetime import date

from activities.demo_current import academic_year, seed_current
from activities.models import Execution, Plan
from observers.demo import seed_current_campaign
from reports.demo import seed_current_order
from results.demo import seed_flags, seed_results


def seed_today(orgs: dict, users: dict, *, history: Plan, today: date) -> dict:
    """Everything of the academic year `today` belongs to; returns the figures of this run."""
    start, _end = academic_year(today)
    if start <= history.period_start:  # the transcribed year itself (or before it): it is the history
        return {"plan": history, "sessions": 0, "results": 0, "flags": 0, "executions": 0, "worked": 0}
    vpr_year = start.year + 1  # the VPR of this academic year is in its spring
    campaign = seed_current_campaign(orgs, users, year=vpr_year, today=today)
    results = seed_results(orgs, users, year=vpr_year - 1)
    flags = seed_flags(orgs, users, year=vpr_year - 1, today=today, not_before=start)
    plan, worked = seed_current(
        source=history,
        users=users,
        today=today,
        sign=lambda p: seed_current_order(plan=p, users=users, today=today),
    )
    return {
        "plan": plan,
        "sessions": campaign["sessions"],
        "results": results,
        "flags": flags,
        "executions": Execution.objects.filter(activity__plan=plan).count(),
        "worked": worked,
    }
