"""Activities' reactions to the signals of the apps below it, connected in ActivitiesConfig.ready()."""

from activities.services.executions import calendar_changed


def resync_on_calendar_change(
    sender, *, region_id: int, year: int, school_ids=(), actor=None, whole_region: bool = False, **kwargs
) -> None:
    """schools.signals.calendar_changed: plans whose relative deadlines read the calendar re-sync
    their due dates in a job after commit."""
    calendar_changed(
        region_id=region_id, year=year, school_ids=school_ids, actor=actor, whole_region=whole_region
    )
