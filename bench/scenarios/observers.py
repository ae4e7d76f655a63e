"""Automatic assignment of observers (observers.planner) against loading the same rows.

The generated region has no VPR sessions or observers (bench.data predates them), so
the setup adds them once, with bulk inserts, to the bench database: a campaign in the year of the
latest unobjectivity flags, 8 sessions per school on the campaign's working days, and 3 observers
per school in its municipality (a third work at a school, a third have a child at one, a few
gave no consent). Ours reads everything (four queries) and suggests an observer for every
session; the anchor reads the same rows in one query and does nothing with them.
"""

import random
from datetime import date, time, timedelta

from django.db import connection

from bench.registry import BenchError, Case, Context, scenario
from observers.choices import ObserverKind
from observers.models import Assignment, Observer
from observers.planner import load_problem, plan
from schools.models import Organization, UnobjectivityFlag, VprCampaign, VprSession
from vprplan.calendar import is_working_day

SESSIONS_PER_SCHOOL = 8
OBSERVERS_PER_SCHOOL = 3
SUBJECTS = [
    ("Русский язык", 4), ("Математика", 4), ("Окружающий мир", 4), ("Русский язык", 5),
    ("Математика", 5), ("История", 6), ("Биология", 7), ("География", 8),
]  # fmt: skip
SLOTS = [(time(9), time(10, 30)), (time(9), time(9, 45)), (time(10), time(11)), (time(11, 0), time(12, 30))]
ANCHOR = "the same rows, one query (UNION ALL)"


def _working_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def ensure_data(region_id: int) -> VprCampaign:
    """The bench's campaign with its sessions and observers, written once per bench database."""
    years = UnobjectivityFlag.objects.filter(school__region_id=region_id).values_list("year", flat=True)
    year = max(years, default=2024)
    campaign, _ = VprCampaign.objects.get_or_create(
        region_id=region_id,
        year=year,
        defaults={
            "starts_on": date(year, 3, 15),
            "ends_on": date(year, 5, 17),
            "results_on": date(year, 5, 31),
        },
    )
    schools = list(
        Organization.objects.schools()
        .filter(region_id=region_id)
        .order_by("pk")
        .values_list("pk", "municipality_id")
    )
    rng = random.Random(9)
    if not VprSession.objects.filter(campaign=campaign).exists():
        days = _working_days(campaign.starts_on, campaign.ends_on)
        sessions = []
        for i, (school, _m) in enumerate(schools):
            for j, (subject, grade) in enumerate(SUBJECTS[:SESSIONS_PER_SCHOOL]):
                start, end = SLOTS[(i + j) % len(SLOTS)]
                sessions.append(
                    VprSession(
                        campaign=campaign,
                        school_id=school,
                        subject=subject,
                        grade=grade,
                        class_letters="А, Б",
                        date=days[(i * 3 + j * 5) % len(days)],
                        starts_at=start,
                        ends_at=end,
                        participants=rng.randint(12, 60),
                    )  # fmt: skip
                )
        VprSession.objects.bulk_create(sessions, batch_size=2000)
    if not Observer.objects.filter(municipality__region_id=region_id).exists():
        by_municipality: dict[int, list[int]] = {}
        for school, municipality in schools:
            by_municipality.setdefault(municipality, []).append(school)
        observers, links = [], []
        for n, (_school, municipality) in enumerate(schools * OBSERVERS_PER_SCHOOL):
            nearby = by_municipality[municipality]
            observers.append(
                Observer(
                    municipality_id=municipality,
                    full_name=f"Наблюдатель {n + 1:05d}",
                    kind=rng.choice(list(ObserverKind)),
                    workplace_school_id=rng.choice(nearby) if n % 3 == 0 else None,
                    accreditation_number=f"Б-{n + 1}",
                    accreditation_date=campaign.starts_on - timedelta(days=rng.randint(1, 30)),
                    trained_on=campaign.starts_on - timedelta(days=rng.randint(1, 30)),
                    consent_given=rng.random() > 0.03,
                )
            )
        Observer.objects.bulk_create(observers, batch_size=2000)
        through = Observer.children_schools.through
        for n, o in enumerate(observers):
            if n % 3 == 1:
                links.append(
                    through(observer_id=o.pk, organization_id=rng.choice(by_municipality[o.municipality_id]))
                )
        through.objects.bulk_create(links, batch_size=2000)
    return campaign


def anchor_rows(campaign: VprCampaign) -> list[tuple]:
    """Sessions (with the flag), observers, their children's schools and existing assignments of
    the campaign's region: the rows the planner reads, in one query."""
    org, session, flag = (
        Organization._meta.db_table,
        VprSession._meta.db_table,
        UnobjectivityFlag._meta.db_table,
    )
    observer, assignment = Observer._meta.db_table, Assignment._meta.db_table
    children = Observer.children_schools.through._meta.db_table
    sql = f"""
        SELECT 1, s.id, s.school_id, o.municipality_id, s.date, NULL, s.starts_at, s.ends_at,
               EXISTS(SELECT 1 FROM {flag} f WHERE f.school_id = s.school_id AND f.year = %s)
          FROM {session} s JOIN {org} o ON o.id = s.school_id
         WHERE s.campaign_id = %s AND o.region_id = %s
        UNION ALL
        SELECT 2, b.id, b.municipality_id, b.workplace_school_id, b.accreditation_date, b.trained_on, NULL, NULL,
               b.consent_given
          FROM {observer} b JOIN {org} m ON m.id = b.municipality_id
         WHERE b.is_active AND m.region_id = %s
        UNION ALL
        SELECT 3, c.observer_id, c.organization_id, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {children} c JOIN {observer} b ON b.id = c.observer_id JOIN {org} m ON m.id = b.municipality_id
         WHERE b.is_active AND m.region_id = %s
        UNION ALL
        SELECT 4, a.session_id, a.observer_id, NULL, s.date, NULL, s.starts_at, s.ends_at, NULL
          FROM {assignment} a JOIN {session} s ON s.id = a.session_id JOIN {observer} b ON b.id = a.observer_id
          JOIN {org} m ON m.id = b.municipality_id
         WHERE a.status IN ('planned', 'confirmed', 'attended') AND m.region_id = %s
    """
    region = campaign.region_id
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.year, campaign.pk, region, region, region, region])
        return cursor.fetchall()


@scenario("observers: automatic assignment, 8 sessions and 3 observers per school", goal_ratio=3.0)
def automatic_assignment(ctx: Context) -> Case:
    """Every session of the region gets an observer where the rules allow (flagged schools first)."""
    campaign = ensure_data(ctx.data.region)
    municipalities = list(
        Organization.objects.municipalities().filter(region_id=ctx.data.region).values_list("pk", flat=True)
    )

    def ours():
        return plan(campaign=campaign, municipality_ids=municipalities)

    def anchor():
        return anchor_rows(campaign)

    problem = load_problem(campaign=campaign, municipality_ids=municipalities)
    kinds = [row[0] for row in anchor()]
    if (kinds.count(1), kinds.count(2)) != (len(problem.sessions), len(problem.observers)):
        raise BenchError("observers: the anchor reads other rows than the planner")
    covered = len(ours())
    if covered < 0.9 * len(problem.sessions):
        raise BenchError(f"observers: only {covered} of {len(problem.sessions)} sessions got an observer")
    return Case(ours=ours, anchor=anchor, anchor_name=ANCHOR)
