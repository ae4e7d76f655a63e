"""What the observers app adds to each role's home page (templates/observers/_home_panel.html):
one query (the campaigns of his regions), and where a campaign exists one more for an observer
(his assignments) and one for the municipal staff (coverage): never more than three."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from observers.choices import ACTIVE_STATUSES, AssignmentStatus
from observers.models import Act, Assignment, act_due_on
from schools.choices import OrgKind
from schools.models import VprSession
from schools.selectors import campaigns_for_user
from vprplan import access


def home_context(user) -> dict:
    memberships = access.memberships(user)
    if not memberships:
        return {}
    latest: dict[int, object] = {}
    for campaign in campaigns_for_user(user=user):
        latest.setdefault(campaign.region_id, campaign)
    if not latest:
        return {}  # no campaign in his regions: nothing more to read
    context: dict = {"campaigns": list(latest.values())}
    if access.can(user, access.READ_SCHEDULE):
        context["schedule"] = True
    if access.can(user, access.OBSERVE):
        context["mine"] = _mine(user)
    staff = [m.organization for m in memberships if m.role in access.READ_OBSERVERS]
    if staff:
        context["municipalities"] = _coverage(staff, latest)
    elif access.can(user, access.READ_OBSERVER_REPORTS):
        context["regional"] = True
    return context


def _mine(user) -> dict:
    today = timezone.localdate()
    rows = (
        Assignment.objects.filter(observer__user=user, observer__is_active=True)
        .exclude(status=AssignmentStatus.ABSENT)
        .annotate(filed=Exists(Act.objects.filter(assignment_id=OuterRef("pk"))))
        .values_list("session__date", "filed")
    )
    rows = list(rows)
    return {
        "total": len(rows),
        "upcoming": sum(1 for day, _ in rows if day >= today),
        "overdue": sum(1 for day, filed in rows if not filed and today > act_due_on(day)),
    }


def _coverage(municipalities, latest: dict) -> list[dict]:
    """Sessions and covered sessions of each municipality in its region's latest campaign."""
    campaign_of = {m.pk: latest.get(m.region_id) for m in municipalities if m.kind == OrgKind.MUNICIPALITY}
    wanted = {pk: c for pk, c in campaign_of.items() if c is not None}
    if not wanted:
        return []
    covered = Exists(Assignment.objects.filter(session_id=OuterRef("pk"), status__in=ACTIVE_STATUSES))
    q = Q(pk__in=[])
    for pk, campaign in wanted.items():
        q |= Q(school__municipality_id=pk, campaign=campaign)
    counts = {
        row["school__municipality_id"]: row
        for row in VprSession.objects.filter(q)
        .annotate(is_covered=covered)
        .values("school__municipality_id")
        .annotate(total=Count("pk"), covered=Count("pk", filter=Q(is_covered=True)))
        .order_by()
    }
    return [
        {
            "municipality": m,
            "campaign": wanted[m.pk],
            "total": counts.get(m.pk, {}).get("total", 0),
            "covered": counts.get(m.pk, {}).get("covered", 0),
        }
        for m in municipalities
        if m.pk in wanted
    ]
