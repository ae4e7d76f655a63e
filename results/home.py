"""What the results app adds to each role's home page (templates/results/_home_panel.html): links
from the user's memberships, no queries (the home page keeps its budget)."""

from schools.choices import Role
from vprplan import access


def home_context(user) -> dict:
    seen: dict[int, object] = {}
    schools: dict[int, object] = {}
    for m in access.memberships(user):
        if m.role in access.READ_AREAS:
            seen.setdefault(m.organization_id, m.organization)
        elif m.role == Role.SCHOOL_COORDINATOR:
            schools.setdefault(m.organization_id, m.organization)
    return {"areas": list(seen.values()), "schools": list(schools.values())}
