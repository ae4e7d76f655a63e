"""How the work on plans goes: a plan's dashboard, a school's drill-down, the regional overview,
and the progress report (.xlsx, PDF «Справка о ходе выполнения плана»)."""

from activities.progress.dashboard import (
    MARKS,
    STATUS_FILTERS,
    Dashboard,
    Filters,
    Tally,
    plan_dashboard,
    progress_stamp,
    week_end,
)
from activities.progress.overview import current_plans, region_overview, school_work, school_work_stamp

__all__ = [
    "MARKS",
    "STATUS_FILTERS",
    "Dashboard",
    "Filters",
    "Tally",
    "current_plans",
    "plan_dashboard",
    "progress_stamp",
    "region_overview",
    "school_work",
    "school_work_stamp",
    "week_end",
]
