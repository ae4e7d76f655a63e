"""Plans, their activities, and the work done on them (executions, evidence)."""

from activities.models.executions import (
    OPEN_STATUSES,
    STATE_LABELS,
    CalendarFeed,
    Evidence,
    Execution,
    evidence_path,
    execution_state,
    new_feed_token,
)
from activities.models.notifications import (
    Notification,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReminderSweep,
)
from activities.models.plans import (
    Activity,
    Plan,
    ResponsiblePerson,
    ResponsibleRole,
    Section,
    default_columns,
    plan_numbers,
    to_roman,
)

__all__ = [
    "OPEN_STATUSES",
    "STATE_LABELS",
    "Activity",
    "CalendarFeed",
    "Evidence",
    "Execution",
    "Notification",
    "NotificationPreference",
    "Plan",
    "Reminder",
    "ReminderKind",
    "ReminderSweep",
    "ResponsiblePerson",
    "ResponsibleRole",
    "Section",
    "default_columns",
    "evidence_path",
    "execution_state",
    "new_feed_token",
    "plan_numbers",
    "to_roman",
]
