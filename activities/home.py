"""What the activities app adds to each role's home page (templates/activities/_home_panel.html).

No queries here (the home page keeps its budget): links from the user's memberships, and the task
figures are fetched by the page itself (activities:task_counts)."""

from activities.choices import PlanStatus
from schools.choices import OrgKind, Role
from vprplan import access

TASK_ROLES = (Role.SCHOOL_COORDINATOR, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR)
DASHBOARD_ROLES = (Role.HEAD, Role.MUNICIPAL_COORDINATOR)


def home_context(user, *, plans=()) -> dict:
    """`plans`: the home page's plan list (already read), where the head's waiting plans are found."""
    return {
        "tasks": access.has_role(user, *TASK_ROLES),
        "dashboard": access.has_role(user, *DASHBOARD_ROLES),
        "regions": [m.organization for m in access.memberships(user) if m.role == Role.REGIONAL_ADMIN],
        "awaiting": awaiting_approval(user, plans),
    }


def awaiting_approval(user, plans) -> list:
    """«Ожидает утверждения»: his municipalities' plans submitted for approval (by his order)."""
    mine = {
        m.organization_id
        for m in access.memberships(user)
        if m.role == Role.HEAD and m.organization.kind == OrgKind.MUNICIPALITY
    }
    return [p for p in plans if p.status == PlanStatus.ON_APPROVAL and p.owner_id in mine]
