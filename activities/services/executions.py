"""An approved plan's executions: one per target school (or the plan's owner) and due occurrence.

`executions_sync` is called when a plan is approved (`plan_approve`); running it again changes
nothing. A new version of a plan (Plan.amends, activities linked by Activity.origin) takes over the
work done under the version it replaces: executions of a kept activity move to its copy (same school,
same due date, else the same occurrence), missing ones are created, and those left over (an activity
or a school that is no longer in the plan) stay as they are if someone worked on them and become
«not applicable» otherwise. Nothing done is ever deleted.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.choices import DeadlineKind, ExecutionLevel, ExecutionStatus, PlanStatus, TargetKind
from activities.deadlines import CalendarEvents, activity_rule, due_dates
from activities.models import Activity, Evidence, Execution, Plan
from schools.choices import OrgKind
from schools.models import Organization, UnobjectivityFlag, VprCampaign, VprSession
from vprplan import jobs
from vprplan.audit import audit
from vprplan.errors import DomainError
from vprplan.models import Job
from vprplan.wording import plural

# Up to this many executions a plan's approval writes them in its own request; above, a job does.
INLINE_LIMIT = 5_000
# Work a plan may ask for: due dates per activity and organisation (≈ every working day of a year
# and a half), executions in all. More is a deadline to rethink, said before anything is written.
MAX_OCCURRENCES = 400
PLAN_MAX_EXECUTIONS = 100_000
SYNC_TASK = "activities.sync_executions"

Slot = tuple[int, int, int]  # (activity id, organization id, occurrence)


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    rescheduled: int = 0
    not_applicable: int = 0
    kept: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created, self.moved, self.rescheduled, self.not_applicable))


def _owner_schools_qs(owner: Organization):
    schools = Organization.objects.schools().filter(is_active=True)
    if owner.kind == OrgKind.MUNICIPALITY:
        return schools.filter(municipality=owner)
    if owner.kind == OrgKind.REGION:
        return schools.filter(region=owner)
    return schools.none()


def _owner_schools(owner: Organization) -> list[int]:
    return list(_owner_schools_qs(owner).order_by("name", "pk").values_list("pk", flat=True))


def _region_id(org: Organization) -> int:
    return org.pk if org.kind == OrgKind.REGION else org.region_id


class Calendars:
    """The VPR calendar a plan's relative deadlines resolve against, one CalendarEvents per VPR year
    of the plan period and organisation.

    The rule: every campaign of the owner's region whose year falls within the plan period (a plan
    for 2025/26 takes VPR-2026; a three-year plan takes each year's), each giving its own dates.
    A school's events are the window (vpr_start/vpr_end), results_on, its own session dates in that
    campaign and the day its flag of that year was first recorded; the owner's events (municipal-
    level rows) have no sessions, so the window bounds stand in, and the first flag recorded among
    the owner's schools. A year with neither campaign nor flag gives no dates (the row stays
    undated). Three queries however many schools: campaigns, sessions, flags.
    """

    def __init__(self, plan: Plan, owner: Organization) -> None:
        years = range(plan.period_start.year, plan.period_end.year + 1)
        self.owner_id = owner.pk
        self.campaigns = {
            c.year: c for c in VprCampaign.objects.filter(region_id=_region_id(owner), year__in=years)
        }
        scope = Organization.objects.filter(pk=owner.pk) if owner.is_school else _owner_schools_qs(owner)
        self.sessions: dict[tuple[int, int], set[date]] = {}
        if self.campaigns:
            by_campaign = {c.pk: year for year, c in self.campaigns.items()}
            rows = (
                VprSession.objects.filter(campaign_id__in=by_campaign, school_id__in=scope.values("pk"))
                .values_list("campaign_id", "school_id", "date")
                .distinct()
            )
            for campaign_id, school_id, day in rows:
                self.sessions.setdefault((by_campaign[campaign_id], school_id), set()).add(day)
        self.flags: dict[tuple[int, int], date] = {}
        first_flag: dict[int, date] = {}
        rows = UnobjectivityFlag.objects.filter(year__in=years, school_id__in=scope.values("pk"))
        for year, school_id, created in rows.values_list("year", "school_id", "created_at"):
            day = timezone.localdate(created)
            key = (year, school_id)
            self.flags[key] = min(day, self.flags.get(key, day))
            first_flag[year] = min(day, first_flag.get(year, day))
        for year, day in first_flag.items():
            self.flags.setdefault((year, owner.pk), day)
        self.years = sorted(set(self.campaigns) | {year for year, _org in self.flags})

    def events(self, org_id: int) -> list[CalendarEvents]:
        found = []
        for year in self.years:
            campaign = self.campaigns.get(year)
            found.append(
                CalendarEvents(
                    vpr_start=campaign.starts_on if campaign else None,
                    vpr_end=campaign.ends_on if campaign else None,
                    results_date=campaign.results_on if campaign else None,
                    flag_date=self.flags.get((year, org_id)),
                    sessions=sorted(self.sessions.get((year, org_id), ())),
                )
            )
        return found


def planned_slots(plan: Plan) -> dict[Slot, date | None]:
    """Every execution the plan asks for, with its due date: the same targets as
    activities.selectors.target_schools, resolved for all activities in three queries."""
    activities = list(
        Activity.objects.filter(plan=plan)
        .order_by("section__position", "position")
        .prefetch_related("target_schools")
    )
    owner = plan.owner
    at_schools = [a for a in activities if a.execution_level == ExecutionLevel.SCHOOL and not owner.is_school]
    school_level = {a.pk for a in at_schools}
    schools = _owner_schools(owner) if at_schools else []
    flag_years = {a.target_flag_year for a in at_schools if a.target_kind == TargetKind.FLAGGED}
    flagged: dict[int, set[int]] = {}
    if flag_years:
        for year, school_id in UnobjectivityFlag.objects.filter(
            year__in=flag_years, school_id__in=schools
        ).values_list("year", "school_id"):
            flagged.setdefault(year, set()).add(school_id)
    relative = any(a.deadline_kind == DeadlineKind.RELATIVE for a in activities)
    calendars = Calendars(plan, owner) if relative else None
    slots: dict[Slot, date | None] = {}
    for a in activities:
        rule = activity_rule(a)
        period = {"period_start": plan.period_start, "period_end": plan.period_end}
        dates = due_dates(rule, **period) or [None]
        per_org = calendars is not None and rule.kind == DeadlineKind.RELATIVE
        if a.pk in school_level:
            if a.target_kind == TargetKind.FLAGGED:
                chosen = flagged.get(a.target_flag_year, set())
                targets = [s for s in schools if s in chosen]
            elif a.target_kind == TargetKind.CHOSEN:
                chosen = {s.pk for s in a.target_schools.all()}
                targets = [s for s in schools if s in chosen]
            else:
                targets = schools
        else:
            targets = [owner.pk]
        for org_id in targets:
            if per_org:
                # One occurrence per resolved date: one per session date for «в дни проведения работ».
                found = {
                    d for events in calendars.events(org_id) for d in due_dates(rule, **period, events=events)
                }
                dates = sorted(found) or [None]
            if len(dates) > MAX_OCCURRENCES:
                raise DomainError(too_many_dates(a, len(dates)))
            for occurrence, due in enumerate(dates, start=1):
                slots[(a.pk, org_id, occurrence)] = due
        if len(slots) > PLAN_MAX_EXECUTIONS:
            raise DomainError(
                f"По плану получается больше {PLAN_MAX_EXECUTIONS:,} задач исполнителей".replace(",", "\xa0")
                + ": сократите период, число школ или частоту сроков (например, «ежемесячно» вместо «еженедельно»)."
            )
    return slots


def too_many_dates(activity: Activity, count: int) -> str:
    return (
        f"Мероприятие {activity.number or activity.title[:60]}: по сроку «{activity.deadline_text[:80]}» "
        f"получается {count} {plural(count, 'дата', 'даты', 'дат')}, а допускается не больше "
        f"{MAX_OCCURRENCES} {plural(MAX_OCCURRENCES, 'даты', 'дат', 'дат')}. Укажите срок реже "
        "(например, «ежемесячно») или «Постоянно» для работы без отдельных отметок."
    )


FIELDS = ["pk", "activity_id", "organization_id", "occurrence", "due_date", "status", "completed_at"]
FIELDS += ["comment", "review_status"]


@transaction.atomic
def executions_sync(*, plan: Plan, actor: User | None = None) -> SyncResult:
    """Bring the executions of an approved plan in line with its activities (see the module)."""
    plan = Plan.objects.select_related("owner").select_for_update(of=("self",)).get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise DomainError("Исполнение создаётся по утверждённому плану.")
    slots = planned_slots(plan)
    result = SyncResult()
    taken: dict[Slot, Execution] = {}
    changed: list[Execution] = []
    leftover: list[Execution] = []

    for e in Execution.objects.filter(activity__plan=plan).only(*FIELDS).order_by("pk"):
        key = (e.activity_id, e.organization_id, e.occurrence)
        if key not in slots:
            leftover.append(e)
            continue
        taken[key] = e
        # Only this function sets «not applicable», and only on untouched executions: a slot that
        # comes back (a session deleted, then entered again) is to be done again.
        back = e.status == ExecutionStatus.NOT_APPLICABLE
        if e.due_date != slots[key] or back:
            e.due_date = slots[key]
            if back:
                e.status = ExecutionStatus.NOT_STARTED
            changed.append(e)
            result.rescheduled += 1

    if plan.amends_id:
        copy_of = dict(
            Activity.objects.filter(plan=plan, origin__plan_id=plan.amends_id).values_list("origin_id", "pk")
        )
        free: dict[tuple[int, int], list[int]] = {}  # (new activity, school) -> free occurrences
        for a_id, org_id, occurrence in slots:
            if (a_id, org_id, occurrence) not in taken:
                free.setdefault((a_id, org_id), []).append(occurrence)
        old = Execution.objects.filter(activity__plan_id=plan.amends_id).only(*FIELDS)
        for e in old.order_by("activity_id", "organization_id", "occurrence"):
            new_activity = copy_of.get(e.activity_id)
            options = free.get((new_activity, e.organization_id), []) if new_activity else []
            same_day = [o for o in options if slots[(new_activity, e.organization_id, o)] == e.due_date]
            pick = (same_day or [o for o in options if o == e.occurrence] or [None])[0]
            if pick is None:
                leftover.append(e)
                continue
            options.remove(pick)
            key = (new_activity, e.organization_id, pick)
            e.activity_id, e.occurrence, e.due_date = new_activity, pick, slots[key]
            taken[key] = e
            changed.append(e)
            result.moved += 1

    open_leftover = [e for e in leftover if e.status != ExecutionStatus.NOT_APPLICABLE]
    with_files = set(
        Evidence.objects.filter(execution_id__in=[e.pk for e in open_leftover]).values_list(
            "execution_id", flat=True
        )
    )
    for e in open_leftover:
        if e.carries_work or e.pk in with_files:
            result.kept += 1
        else:
            e.status = ExecutionStatus.NOT_APPLICABLE
            changed.append(e)
            result.not_applicable += 1

    if changed:
        now = timezone.now()
        for e in changed:
            e.updated_at = now
        Execution.objects.bulk_update(
            changed, ["activity", "occurrence", "due_date", "status", "updated_at"], batch_size=500
        )
    missing = [
        Execution(activity_id=a_id, organization_id=org_id, occurrence=occurrence, due_date=due)
        for (a_id, org_id, occurrence), due in slots.items()
        if (a_id, org_id, occurrence) not in taken
    ]
    Execution.objects.bulk_create(missing, batch_size=1000)
    result.created = len(missing)
    if result.changed:
        audit(actor, "plan.executions_synced", plan, organization=plan.owner, **asdict(result))
    return result


def executions_job(*, plan: Plan):
    """The unfinished (or failed) job creating the plan's executions, for the plan page to show."""
    return (
        Job.objects.filter(task=SYNC_TASK, args=[plan.pk])
        .exclude(status=Job.Status.DONE)
        .order_by("-created_at")
        .first()
    )


def executions_schedule(*, plan: Plan, actor: User | None = None) -> SyncResult | None:
    """Create the executions of a just-approved plan now, or in a job after commit when the plan is
    big (a regional plan for every school of the region). Returns the result when done now."""
    if len(planned_slots(plan)) <= INLINE_LIMIT:
        return executions_sync(plan=plan, actor=actor)
    jobs.enqueue(SYNC_TASK, plan.pk, actor=actor, actor_id=getattr(actor, "pk", None))
    return None


def calendar_changed(
    *, region_id: int, year: int, school_ids: Iterable[int] = (), actor=None, whole_region: bool = False
) -> list[int]:
    """The VPR calendar moved (a campaign's dates, a school's sessions, a flag recorded): the
    approved plans whose relative deadlines read it re-sync their due dates in a job after commit.

    Affected: plans of the region, of the schools' municipalities and of the schools themselves
    (every plan in the region when the campaign itself changed) whose period covers `year` and that
    have a relative deadline. executions_sync only moves due dates (and adds or retires the dates of
    sessions added or removed), so work already reported keeps its status. Returns the plans' ids.
    """
    school_ids = list(school_ids)
    owners = Q(owner_id=region_id)
    if whole_region:
        owners |= Q(owner__region_id=region_id)
    elif school_ids:
        municipalities = Organization.objects.filter(pk__in=school_ids).values("municipality_id")
        owners |= Q(owner_id__in=school_ids) | Q(owner_id__in=municipalities)
    plans = list(
        Plan.objects.filter(
            owners,
            status=PlanStatus.APPROVED,
            period_start__year__lte=year,
            period_end__year__gte=year,
            activities__deadline_kind=DeadlineKind.RELATIVE,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    for plan_id in plans:
        jobs.enqueue(SYNC_TASK, plan_id, actor=actor, actor_id=getattr(actor, "pk", None))
    return plans
