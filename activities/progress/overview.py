"""The regional overview (municipalities with the progress of their current plans) and the
drill-down to one school's work on a plan."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, Max, OuterRef, Q

from activities.choices import ExecutionStatus, PlanStatus, ReviewStatus
from activities.models import Evidence, Execution, Plan
from activities.progress.dashboard import OPEN, Tally
from schools.choices import OrgKind
from schools.models import Organization


def current_plans(region: Organization):
    """Each municipality's plan in force: its approved plan of the latest period (several when two
    approved plans share that period, such as a plan and a separate road map)."""
    newer = Plan.objects.filter(
        owner_id=OuterRef("owner_id"), status=PlanStatus.APPROVED, period_start__gt=OuterRef("period_start")
    )
    return Plan.objects.filter(
        owner__region=region, owner__kind=OrgKind.MUNICIPALITY, status=PlanStatus.APPROVED
    ).exclude(Exists(newer))


@dataclass
class MunicipalityProgress:
    pk: int
    name: str
    schools: int
    plans: list = field(default_factory=list)  # [(pk, title)]
    tally: Tally = field(default_factory=Tally)


def region_overview(region: Organization, *, today: date) -> tuple[list[MunicipalityProgress], Tally]:
    """Municipalities of the region with the progress of their current plans: three queries."""
    rows = {
        m["pk"]: MunicipalityProgress(pk=m["pk"], name=m["name"], schools=m["schools"])
        for m in Organization.objects.municipalities()
        .filter(region=region, is_active=True)
        .annotate(
            schools=Count("children", filter=Q(children__kind=OrgKind.SCHOOL, children__is_active=True))
        )
        .order_by("name", "pk")
        .values("pk", "name", "schools")
    }
    plans = list(current_plans(region).order_by("period_start", "pk").values("pk", "title", "owner_id"))
    owner_of = {}
    for p in plans:
        owner_of[p["pk"]] = p["owner_id"]
        if p["owner_id"] in rows:
            rows[p["owner_id"]].plans.append((p["pk"], p["title"]))
    stats = (
        Execution.objects.filter(activity__plan_id__in=list(owner_of))
        .values("activity__plan_id")
        .annotate(
            n=Count("pk"),
            na=Count("pk", filter=Q(status=ExecutionStatus.NOT_APPLICABLE)),
            done=Count("pk", filter=Q(status=ExecutionStatus.DONE)),
            accepted=Count("pk", filter=Q(review_status=ReviewStatus.ACCEPTED)),
            review=Count(
                "pk",
                filter=Q(status=ExecutionStatus.DONE, review_status=ReviewStatus.NONE)
                & ~Q(organization_id=F("activity__plan__owner_id")),
            ),
            returned=Count("pk", filter=OPEN & Q(review_status=ReviewStatus.RETURNED)),
            overdue=Count("pk", filter=OPEN & Q(due_date__lt=today)),
        )
        .order_by()
    )
    total = Tally()
    for s in stats:
        row = rows.get(owner_of[s["activity__plan_id"]])
        if row is not None:
            row.tally.add(s)
            total.add(s)
    return list(rows.values()), total


def school_work_stamp(plan: Plan, school: Organization) -> list:
    """What school_work prints changes with: its executions and their files (how many, the last
    change or the newest one); a deleted file leaves its execution as it was."""
    executions = Execution.objects.filter(activity__plan=plan, organization=school).order_by()
    files = Evidence.objects.filter(execution__activity__plan=plan, execution__organization=school).order_by()
    return [
        executions.aggregate(n=Count("pk"), at=Max("updated_at")),
        files.aggregate(n=Count("pk"), last=Max("pk")),
    ]


def school_work(plan: Plan, school: Organization):
    """One school's executions of a plan in the plan's order, with their evidence."""
    return (
        Execution.objects.filter(activity__plan=plan, organization=school)
        .select_related("activity", "activity__section", "activity__plan")
        .prefetch_related("evidence")
        .order_by("activity__section__position", "activity__position", "occurrence")
    )
