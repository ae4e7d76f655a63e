"""What the activities app adds to each role's home page (templates/activities/_home_panel.html).

No queries here (the home page keeps its budget): links from the user's memberships, and the task
figures are fetched by the page itself (activities:task_counts)."""

from schools.choices import Role
from vprplan import access

TASK_ROLES = (Role.SCHOOL_COORDINATOR, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR)
DASHBOARD_ROLES = (Role.HEAD, Role.MUNICIPAL_COORDINATOR)


def home_context(user) -> dict:
    return {
        "tasks": access.has_role(user, *TASK_ROLES),
        "dashboard": access.has_role(user, *DASHBOARD_ROLES),
        "regions": [m.organization for m in access.memberships(user) if m.role == Role.REGIONAL_ADMIN],
    }
