"""A plan's progress: the schools × activities matrix, progress per school and per section, the
overdue list and the reports waiting for review. A fixed number of queries whatever the size:
the matrix is one aggregate over the plan's executions, grouped by (activity, organisation)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.safestring import mark_safe

from activities.choices import ExecutionStatus, ReviewStatus
from activities.models import STATE_LABELS, Activity, Execution, Plan
from schools.models import Organization, UnobjectivityFlag

OPEN = Q(status__in=(ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS))
# In WHERE clauses the dashboard compares `code`, the status through LOWER(): with a bare
# `status IN (…)` SQLite (no statistics) picks the status index and scans the region's executions
# instead of this plan's (overdue list at 1,000 schools: 100 ms → 14 ms). PostgreSQL does not care.
OPEN_CODE = Q(code__in=(ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS))


# What the overdue and review lists print of an execution (the page, the .xlsx, the «Справка»).
LISTED_FIELDS = (
    "due_date",
    "status",
    "review_status",
    "completed_at",
    "activity__number",
    "activity__title",
    "organization__name",
    "organization__short_name",
)


def plan_executions(plan: Plan):
    return Execution.objects.filter(activity__plan=plan).alias(code=Lower("status"))


# The dashboard's status filter: which executions a cell counts.
STATUS_FILTERS = {
    "overdue": "просрочено",
    "returned": "возвращено на доработку",
    "review": "на проверке",
    "accepted": "принято",
    "done": "выполнено (всё)",
    "in_progress": "в работе",
    "not_started": "не начато",
}
MARKS = {
    "accepted": "✔",
    "done": "✓",
    "review": "?",
    "returned": "↩",
    "overdue": "!",
    "in_progress": "…",
    "not_started": "·",
    "na": "–",
}


def status_q(status: str, *, plan: Plan, today: date) -> Q:
    return {
        "overdue": OPEN_CODE & Q(due_date__lt=today),
        "returned": OPEN_CODE & Q(review_status=ReviewStatus.RETURNED),
        "review": Q(code=ExecutionStatus.DONE, review_status=ReviewStatus.NONE)
        & ~Q(organization_id=plan.owner_id),
        "accepted": Q(review_status=ReviewStatus.ACCEPTED),
        "done": Q(code=ExecutionStatus.DONE),
        "in_progress": Q(code=ExecutionStatus.IN_PROGRESS),
        "not_started": Q(code=ExecutionStatus.NOT_STARTED),
    }[status]


@dataclass
class Filters:
    section: int | None = None
    status: str = ""
    school: int | None = None
    flagged: bool = False

    @classmethod
    def from_query(cls, params) -> "Filters":
        def number(name):
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        status = params.get("status", "")
        return cls(
            section=number("section"),
            status=status if status in STATUS_FILTERS else "",
            school=number("school"),
            flagged=params.get("flagged") in ("1", "on", "true"),
        )

    @property
    def active(self) -> bool:
        return bool(self.section or self.status or self.school or self.flagged)


@dataclass
class Tally:
    """Executions that count (all but «not applicable»), done, accepted, overdue."""

    total: int = 0
    done: int = 0
    accepted: int = 0
    overdue: int = 0
    review: int = 0
    returned: int = 0

    def add(self, c: dict) -> None:
        self.total += c["n"] - c["na"]
        self.done += c["done"]
        self.accepted += c["accepted"]
        self.overdue += c["overdue"]
        self.review += c["review"]
        self.returned += c["returned"]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Column:
    pk: int
    name: str
    short: str
    flagged: bool = False
    authority: bool = False
    tally: Tally = field(default_factory=Tally)


@dataclass
class Row:
    activity: dict
    # Per column: None (not addressed to it) or {"s": state, "m": mark, "u": url, "t": title}.
    cells: list = field(default_factory=list)

    @property
    def cells_html(self) -> str:
        """The row's cells as HTML, built here: a dashboard has thousands of them, and a template
        loop would spend most of the page's time on them."""
        return mark_safe("".join(_cell_html(c) for c in self.cells))


def _cell_html(c: dict | None) -> str:
    if c is None:
        return '<td class="c"></td>'
    return f'<td class="c s-{c["s"]}"><a href="{c["u"]}" title="{escape(c["t"])}">{escape(c["m"])}</a></td>'


@dataclass
class SectionBlock:
    section: dict
    rows: list[Row] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


@dataclass
class Dashboard:
    plan: Plan
    today: date
    filters: Filters
    columns: list[Column]
    schools: list[Column]  # every school of the plan, for the school filter
    sections: list[SectionBlock]
    all_sections: list[dict]
    tally: Tally
    overdue: list[Execution]
    review: list[Execution]


def cell_state(c: dict, *, reviewable: bool) -> str:
    applicable = c["n"] - c["na"]
    if not applicable:
        return "na"
    if c["returned"]:
        return "returned"
    if c["overdue"]:
        return "overdue"
    if c["done"] == applicable:
        if c["accepted"] == applicable:
            return "accepted"
        return "review" if reviewable and c["review"] else "done"
    if c["done"] or c["in_progress"]:
        return "in_progress"
    return "not_started"


def cell_counts(executions, *, plan: Plan, today: date):
    """Per (activity, organisation): how many executions in each state, and the first one's id."""
    return (
        executions.values("activity_id", "organization_id")
        .annotate(
            n=Count("pk"),
            na=Count("pk", filter=Q(status=ExecutionStatus.NOT_APPLICABLE)),
            done=Count("pk", filter=Q(status=ExecutionStatus.DONE)),
            accepted=Count("pk", filter=Q(review_status=ReviewStatus.ACCEPTED)),
            review=Count("pk", filter=status_q("review", plan=plan, today=today)),
            returned=Count("pk", filter=status_q("returned", plan=plan, today=today)),
            overdue=Count("pk", filter=status_q("overdue", plan=plan, today=today)),
            in_progress=Count("pk", filter=Q(status=ExecutionStatus.IN_PROGRESS)),
            first=Min("pk"),
        )
        .order_by()
    )


def flagged_years(plan: Plan) -> list[int]:
    """The VPR years whose flags concern this plan: those of its period."""
    return list(range(plan.period_start.year, plan.period_end.year + 1))


def plan_dashboard(plan: Plan, *, today: date, filters: Filters | None = None, list_limit: int | None = 100):
    filters = filters or Filters()
    executions = plan_executions(plan)
    if filters.section:
        executions = executions.filter(activity__section_id=filters.section)
    if filters.school:
        executions = executions.filter(organization_id=filters.school)
    years = flagged_years(plan)
    flags = UnobjectivityFlag.objects.filter(school_id=OuterRef("pk"), year__in=years)
    if filters.flagged:
        # Its own subquery: filtering `flags` further would also keep `school_id = execution.pk`.
        of_school = UnobjectivityFlag.objects.filter(school_id=OuterRef("organization_id"), year__in=years)
        executions = executions.filter(Exists(of_school))
    scoped = executions  # the lists below follow every filter but the status one
    if filters.status:
        executions = executions.filter(status_q(filters.status, plan=plan, today=today))
    counts = list(cell_counts(executions, plan=plan, today=today))

    owner = plan.owner
    org_ids = {c["organization_id"] for c in counts} - {owner.pk}
    candidates = [
        Column(pk=s["pk"], name=s["name"], short=s["short_name"] or s["name"], flagged=s["flagged"])
        for s in Organization.objects.schools()
        .filter(Q(municipality=owner, is_active=True) | Q(pk__in=org_ids))
        .annotate(flagged=Exists(flags))
        .order_by("name", "pk")
        .values("pk", "name", "short_name", "flagged")
    ]
    columns = [
        c
        for c in candidates
        if (not filters.flagged or c.flagged) and (not filters.school or c.pk == filters.school)
    ]
    if owner.pk in {c["organization_id"] for c in counts}:
        authority = Column(pk=owner.pk, name=str(owner), short="Орган управления", authority=True)
        columns.insert(0, authority)
    position = {col.pk: i for i, col in enumerate(columns)}

    all_sections = list(plan.sections.order_by("position").values("pk", "number", "title"))
    activities = Activity.objects.filter(plan=plan).order_by("section__position", "position")
    if filters.section:
        activities = activities.filter(section_id=filters.section)
    by_activity: dict[int, list[dict]] = {}
    for c in counts:
        by_activity.setdefault(c["activity_id"], []).append(c)

    base = reverse("activities:execution_detail", args=[0])[:-2]  # "/executions/"
    blocks = {s["pk"]: SectionBlock(section=s) for s in all_sections}
    tally = Tally()
    for a in activities.values("pk", "number", "title", "section_id", "execution_level", "evidence_required"):
        mine = by_activity.get(a["pk"], [])
        if filters.active and not mine:
            continue  # the filter leaves nothing of this activity: it is not shown
        row = Row(activity=a, cells=[None] * len(columns))
        block = blocks[a["section_id"]]
        for c in mine:
            index = position.get(c["organization_id"])
            if index is None:
                continue
            column = columns[index]
            state = cell_state(c, reviewable=not column.authority)
            applicable = c["n"] - c["na"]
            mark = f"{c['done']}/{applicable}" if applicable > 1 else MARKS[state]
            title = STATE_LABELS[state]  # the row and the column say which activity and school
            row.cells[index] = {"s": state, "m": mark, "u": f"{base}{c['first']}/", "t": title}
            column.tally.add(c)
            block.tally.add(c)
            tally.add(c)
        block.rows.append(row)

    listed = scoped.select_related("activity", "organization").only(*LISTED_FIELDS)
    order = ["due_date", "activity__section__position", "activity__position", "organization__name"]
    overdue = listed.filter(status_q("overdue", plan=plan, today=today)).order_by(*order)
    review = listed.filter(status_q("review", plan=plan, today=today)).order_by("completed_at", "pk")
    if list_limit is not None:
        overdue, review = overdue[:list_limit], review[:list_limit]
    return Dashboard(
        plan=plan,
        today=today,
        filters=filters,
        columns=columns,
        schools=candidates,
        sections=[b for b in blocks.values() if b.rows],
        all_sections=all_sections,
        tally=tally,
        overdue=list(overdue),
        review=list(review),
    )


def progress_stamp(plan: Plan) -> list:
    """What a plan's dashboard is made of, in three aggregates: its executions, its municipality's
    schools and their flags (how many, and the last change of each). Any report, review, sync,
    renamed school or imported flag changes it, so a dashboard kept under it is never stale."""
    last = {"n": Count("pk"), "at": Max("updated_at")}
    schools = Organization.objects.filter(Q(pk=plan.owner_id) | Q(municipality_id=plan.owner_id))
    return [
        plan_executions(plan).order_by().aggregate(**last),
        schools.order_by().aggregate(**last),
        UnobjectivityFlag.objects.filter(school__municipality_id=plan.owner_id).order_by().aggregate(**last),
    ]


def week_end(today: date) -> date:
    """Sunday of this week: «this week» in the task list runs to it."""
    return today + timedelta(days=6 - today.weekday())
