"""What the activities app adds to each role's home page (templates/activities/_home_panel.html).

No queries here (the home page keeps its budget): links from the user's memberships, and the task
figures are fetched by the page itself (activities:task_counts)."""

from activities.choices import PlanStatus
from schools.choices import OrgKind
from vprplan import access


def home_context(user, *, plans=()) -> dict:
    """`plans`: the home page's plan list (already read), where the head's waiting plans are found."""
    return {
        # The regional administrator's home shows his regions' cards instead of these two.
        "tasks": access.can(user, access.HOME_TASKS),
        "dashboard": access.can(user, access.HOME_DASHBOARD),
        "regions": access.seats(user, access.READ_REGIONS),
        "awaiting": awaiting_approval(user, plans),
    }


def awaiting_approval(user, plans) -> list:
    """«Ожидает утверждения»: his municipalities' plans submitted for approval (by his order)."""
    mine = {o.pk for o in access.seats(user, access.SIGN_ORDERS) if o.kind == OrgKind.MUNICIPALITY}
    return [p for p in plans if p.status == PlanStatus.ON_APPROVAL and p.owner_id in mine]
