"""The generator: organisations, people, plans and executions, written in bulk."""

import json
import random
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from activities.choices import (
    DeadlineKind,
    ExecutionLevel,
    ExecutionStatus,
    Numbering,
    PlanKind,
    PlanStatus,
    ReviewStatus,
    TargetKind,
)
from activities.models import (
    Activity,
    Evidence,
    Execution,
    Plan,
    ResponsiblePerson,
    ResponsibleRole,
    Section,
    to_roman,
)
from bench.data.raw import FUTURE_STATUSES, PAST_STATUSES, REVIEWS, _m2m, _RawRows
from bench.data.vocabulary import (
    BATCH,
    EVIDENCE_FORMS,
    INITIALS,
    LEGAL_FORMS,
    MEASURED_PLAN_ACTIVITIES,
    PASSWORD,
    RECURRING_OCCURRENCES,
    SCHOOL_KINDS,
    SECTION_TITLES,
    SUBJECTS,
    SURNAMES,
    TOWNS,
    VERSION,
    _activity_texts,
    _split,
    _weighted,
    municipality_sizes,
)
from portal.demo import RESPONSIBLE_ROLES
from schools.choices import FlagSource, MunicipalityKind, OrgKind, Role
from schools.models import EducationAuthority, Membership, Organization, UnobjectivityFlag


@dataclass
class DataSet:
    """What the bench needs to find in a generated database: where to measure and as whom."""

    schools: int
    years: int
    version: int = VERSION
    region: int = 0
    municipality: int = 0
    school: int = 0
    plan: int = 0  # the 150-activity plan of `municipality`
    users: dict = field(default_factory=dict)  # role -> user id, all in `municipality`'s line
    counts: dict = field(default_factory=dict)
    generated_in_s: float = 0.0
    generated_on: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "DataSet":
        return cls(**json.loads(text))


class _Generator:
    def __init__(self, *, schools: int, years: int, seed: int, today: date, log):
        self.n_schools, self.n_years, self.today, self.log = schools, years, today, log
        self.rng = random.Random(seed)
        self.texts = _activity_texts()
        self.password = make_password(PASSWORD)
        latest = today.year if today.month >= 9 else today.year - 1
        self.plan_years = list(range(latest - years + 1, latest + 1))
        self.dataset = DataSet(schools=schools, years=years, generated_on=today.isoformat())
        self.users: list = []
        self.memberships: list[Membership] = []
        self.coordinator_of: dict[int, int] = {}  # organisation id -> the user id who ticks off its work
        self.reviewer_of: dict[int, int] = {}  # municipality id -> its coordinator's user id
        self.execution_rows, self.evidence_rows = _RawRows(Execution), _RawRows(Evidence)

    # Organisations and people -------------------------------------------------------------------

    def organisations(self) -> None:
        rng = self.rng
        self.region = Organization.objects.create(
            kind=OrgKind.REGION,
            code="bench-region",
            name="Синтетический край",
            short_name="Синтетический край",
            timezone="Asia/Krasnoyarsk",
        )
        sizes = municipality_sizes(self.n_schools, rng)
        municipalities = []
        for i, _size in enumerate(sizes, start=1):
            town = TOWNS[(i - 1) % len(TOWNS)] + (f"-{(i - 1) // len(TOWNS) + 1}" if i > len(TOWNS) else "")
            kind = rng.choice(list(MunicipalityKind))
            label = {"district": "район", "okrug": "муниципальный округ", "city": "городской округ"}[kind]
            municipalities.append(
                Organization(
                    kind=OrgKind.MUNICIPALITY,
                    code=f"bm{i:03d}",
                    name=f"{label.capitalize()} «{town}»",
                    short_name=f"{label} «{town}»",
                    parent=self.region,
                    region_id=self.region.pk,
                    timezone=self.region.timezone,
                    municipality_kind=kind,
                )
            )
        self.municipalities = Organization.objects.bulk_create(municipalities, batch_size=BATCH)
        EducationAuthority.objects.bulk_create(
            [
                EducationAuthority(
                    municipality=m,
                    full_name=f"Управление образования администрации {m.short_name}",
                    short_name="УО",
                    genitive_name=f"Управления образования администрации {m.short_name}",
                    place=f"г. {m.short_name.split('«')[1].rstrip('»')}",
                    head_position="Начальник",
                    head_name=f"{rng.choice(INITIALS)} {rng.choice(SURNAMES)}",
                )
                for m in self.municipalities
            ],
            batch_size=BATCH,
        )
        schools = []
        for m, size in zip(self.municipalities, sizes, strict=True):
            town = m.short_name.split("«")[1].rstrip("»")
            for j in range(1, size + 1):
                kind, long_kind, short_kind = _weighted(rng, SCHOOL_KINDS)
                form = _weighted(rng, LEGAL_FORMS)
                schools.append(
                    Organization(
                        kind=OrgKind.SCHOOL,
                        code=f"{m.code}-s{j:02d}",
                        name=f"Муниципальное общеобразовательное учреждение «{long_kind} № {j}» г. {town}",
                        short_name=f"{form} «{short_kind} № {j}» г. {town}",
                        parent=m,
                        region_id=self.region.pk,
                        municipality_id=m.pk,
                        timezone=m.timezone,
                        legal_form=form,
                        school_kind=kind,
                        fis_oko_login=f"sch{m.pk:03d}{j:03d}",
                        director_name=f"{rng.choice(SURNAMES)} {rng.choice(INITIALS)}",
                    )
                )
        self.schools = Organization.objects.bulk_create(schools, batch_size=BATCH)
        self.schools_of: dict[int, list[Organization]] = {}
        for s in self.schools:
            self.schools_of.setdefault(s.municipality_id, []).append(s)

    def _user(self, username: str, first: str, last: str, org: Organization, role: str, position: str = ""):
        user = get_user_model()(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@bench.vprplan.local",
            password=self.password,
            is_active=True,
        )
        self.users.append(user)
        self.memberships.append(Membership(user=user, organization=org, role=role, position=position))
        return user

    def _name(self) -> tuple[str, str]:
        """(initials, surname) for a user's first and last name."""
        return self.rng.choice(INITIALS), self.rng.choice(SURNAMES)

    def people(self) -> None:
        rng, name = self.rng, self._name
        admins = [
            self._user(f"bench-admin-{i}", "Администратор", "края", self.region, Role.REGIONAL_ADMIN)
            for i in (1, 2)
        ]
        specialists: dict[int, list] = {}
        for m in self.municipalities:
            self._user(f"bench-{m.code}-head", *name(), m, Role.HEAD, "Начальник управления образования")
            coord = self._user(
                f"bench-{m.code}-coordinator", *name(), m, Role.MUNICIPAL_COORDINATOR, "главный специалист"
            )
            specialists[m.pk] = [
                self._user(
                    f"bench-{m.code}-specialist-{k}", *name(), m, Role.SPECIALIST, "ведущий специалист"
                )
                for k in range(1, rng.randint(1, 3) + 1)
            ]
            for k in range(1, rng.randint(2, 5) + 1):
                self._user(f"bench-{m.code}-observer-{k}", *name(), m, Role.OBSERVER)
            self.coordinator_of[m.pk] = coord
            self.reviewer_of[m.pk] = coord
        for s in self.schools:
            coord = self._user(
                f"bench-{s.code}", *name(), s, Role.SCHOOL_COORDINATOR, "зам. директора по УВР"
            )
            if rng.random() < 0.1:
                self._user(
                    f"bench-{s.code}-director",
                    *s.director_name.split(" ")[::-1],
                    s,
                    Role.SCHOOL_COORDINATOR,
                    "директор",
                )
            self.coordinator_of[s.pk] = coord
        self.coordinator_of[self.region.pk] = admins[0]
        get_user_model().objects.bulk_create(self.users, batch_size=BATCH)
        Membership.objects.bulk_create(self.memberships, batch_size=BATCH)
        # Ids, not instances, from here on.
        self.coordinator_of = {org: user.pk for org, user in self.coordinator_of.items()}
        self.reviewer_of = {org: user.pk for org, user in self.reviewer_of.items()}

        self.roles = {}
        for title, acting, level in RESPONSIBLE_ROLES:  # the demo's catalogue, without the demo
            role, _ = ResponsibleRole.objects.get_or_create(
                owner=None, name=title, defaults={"acting_role": acting, "level": level}
            )
            self.roles[title] = role
        persons = []
        for m in self.municipalities:
            for user in specialists[m.pk]:
                persons.append(
                    ResponsiblePerson(
                        organization=m,
                        name=f"{user.last_name} {user.first_name}",
                        position="ведущий специалист УО",
                        user=user,
                    )
                )
            persons.append(
                ResponsiblePerson(
                    organization=m, name=f"{rng.choice(SURNAMES)}-Методист И.И.", position="методист"
                )
            )
        # Two specialists may draw the same name: a person is unique per organisation.
        unique = {(p.organization_id, p.name): p for p in persons}
        ResponsiblePerson.objects.bulk_create(list(unique.values()), batch_size=BATCH)
        self.persons_of: dict[int, list[ResponsiblePerson]] = {}
        for p in unique.values():
            self.persons_of.setdefault(p.organization_id, []).append(p)

        # Flags: ~5% of schools each VPR year (the spring before each plan's academic year).
        flags = []
        self.flagged: dict[int, set[int]] = {}  # year -> school ids
        count = max(1, round(len(self.schools) * 0.05))
        for year in self.plan_years:
            chosen = rng.sample(self.schools, min(count, len(self.schools)))
            self.flagged[year] = {s.pk for s in chosen}
            for s in chosen:
                flags.append(
                    UnobjectivityFlag(
                        school=s,
                        year=year,
                        source=rng.choice(list(FlagSource)),
                        subjects=", ".join(rng.sample(SUBJECTS, 2)),
                        grades=rng.choice(["4", "5", "4, 5", "6, 7", "5, 8"]),
                        markers="Резкий рост доли отметок «5»; несоответствие результатов текущей успеваемости",
                    )
                )
        UnobjectivityFlag.objects.bulk_create(flags, batch_size=BATCH)

        self.dataset.region = self.region.pk
        first = self.municipalities[0]
        self.dataset.municipality = first.pk
        self.dataset.school = self.schools_of[first.pk][0].pk
        by_username = {u.username: u.pk for u in self.users}
        self.dataset.users = {
            Role.REGIONAL_ADMIN: by_username["bench-admin-1"],
            Role.HEAD: by_username[f"bench-{first.code}-head"],
            Role.MUNICIPAL_COORDINATOR: by_username[f"bench-{first.code}-coordinator"],
            Role.SPECIALIST: by_username[f"bench-{first.code}-specialist-1"],
            Role.SCHOOL_COORDINATOR: self.coordinator_of[self.dataset.school],
            Role.OBSERVER: by_username[f"bench-{first.code}-observer-1"],
        }

    # Plans and their work -------------------------------------------------------------------------

    def plans(self) -> None:
        previous: dict[int, Plan] = {}
        for year in self.plan_years:
            for owner in [self.region, *self.municipalities]:
                measured = owner.pk == self.dataset.municipality and year == self.plan_years[-1]
                plan = self.plan(owner, year, previous.get(owner.pk), measured=measured)
                previous[owner.pk] = plan
                if measured:
                    self.dataset.plan = plan.pk
            self.log(f"  {year}/{year + 1}: {len(self.municipalities) + 1} plans")

    def plan(self, owner: Organization, year: int, previous: Plan | None, *, measured: bool) -> Plan:
        rng = self.rng
        is_region = owner.kind == OrgKind.REGION
        start, end = date(year, 9, 1), date(year + 1, 8, 31)
        order_date = date(year, 9, rng.randint(5, 25))
        order_number = str(rng.randint(10, 400))
        plan = Plan.objects.create(
            owner=owner,
            title=(
                "Региональный план мероприятий (дорожная карта) по обеспечению объективности "
                f"результатов ВПР на {year}/{year + 1} учебный год"
                if is_region
                else "План мероприятий (дорожная карта) по обеспечению объективности результатов "
                f"ВПР в {owner.short_name} на {year}/{year + 1} учебный год"
            ),
            kind=PlanKind.ROADMAP if rng.random() < 0.5 else PlanKind.PLAN,
            period_text=f"{year}-{year + 1} учебный год",
            period_start=start,
            period_end=end,
            goals=["Обеспечение объективности результатов ВПР в общеобразовательных организациях"],
            tasks=[
                "Создание условий для объективного проведения ВПР",
                "Формирование у участников позитивного отношения к объективной оценке",
            ],
            section_numbering=Numbering.ROMAN if rng.random() < 0.3 else Numbering.ARABIC,
            status=PlanStatus.APPROVED,
            approved_on=order_date,
            approval_text=f"УТВЕРЖДЕН приказом управления образования от {order_date:%d.%m.%Y} № {order_number}",
            order_number=order_number,
            order_date=order_date,
            previous=previous,
        )
        n_activities = MEASURED_PLAN_ACTIVITIES if measured else rng.randint(80, 150)
        n_sections = 6 if measured else rng.randint(5, 6)
        sections = Section.objects.bulk_create(
            [
                Section(
                    plan=plan,
                    position=i,
                    number=to_roman(i) if plan.section_numbering == Numbering.ROMAN else str(i),
                    title=title,
                )
                for i, title in enumerate(rng.sample(SECTION_TITLES, n_sections), start=1)
            ]
        )
        activities, roles_m2m, persons_m2m, chosen_m2m = [], [], [], []
        persons = self.persons_of.get(owner.pk, [])
        school_roles = [r for r in self.roles.values() if r.level == ExecutionLevel.SCHOOL]
        for section, size in zip(sections, _split(n_activities, n_sections, rng), strict=True):
            for position in range(1, size + 1):
                text = rng.choice(self.texts)
                at_schools = not is_region and rng.random() < 0.6
                target = TargetKind.ALL
                if at_schools:
                    target = _weighted(
                        rng, [(TargetKind.ALL, 85), (TargetKind.FLAGGED, 10), (TargetKind.CHOSEN, 5)]
                    )
                    roles = rng.sample(school_roles, rng.randint(1, 2))
                    named = []
                else:
                    roles = [self.roles["Муниципальный координатор ВПР"]]
                    named = [rng.choice(persons)] if persons and rng.random() < 0.5 else []
                kind = text.get("deadline_kind") or DeadlineKind.MANUAL
                activity = Activity(
                    plan=plan,
                    section=section,
                    position=position,
                    number=f"{section.position}.{position}",
                    title=text["title"],
                    deadline_text=text.get("deadline_text", ""),
                    deadline_kind=kind,
                    deadline_confirmed=True,
                    responsible_text=", ".join([str(p) for p in named] + [r.name for r in roles]),
                    expected_result=text.get("expected_result", ""),
                    note=text.get("note", ""),
                    evidence_form=rng.choice(EVIDENCE_FORMS),
                    evidence_required=rng.random() < (0.4 if at_schools else 0.2),
                    execution_level=ExecutionLevel.SCHOOL if at_schools else ExecutionLevel.AUTHORITY,
                    target_kind=target,
                    target_flag_year=year if target == TargetKind.FLAGGED else None,
                )
                activity._roles, activity._persons = roles, named
                activities.append(activity)
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        municipal_schools = self.schools_of.get(owner.pk, [])
        for a in activities:
            roles_m2m += [(a.pk, r.pk) for r in a._roles]
            persons_m2m += [(a.pk, p.pk) for p in a._persons]
            if a.target_kind == TargetKind.CHOSEN:
                a._chosen = rng.sample(municipal_schools, min(len(municipal_schools), rng.randint(2, 5)))
                chosen_m2m += [(a.pk, s.pk) for s in a._chosen]
        _m2m(Activity.responsible_roles, roles_m2m)
        _m2m(Activity.responsible_persons, persons_m2m)
        _m2m(Activity.target_schools, chosen_m2m)
        self.executions(plan, activities, owner, year)
        return plan

    def _targets(self, activity: Activity, owner: Organization, year: int) -> list[int]:
        if activity.execution_level == ExecutionLevel.AUTHORITY:
            return [owner.pk]
        schools = self.schools_of.get(owner.pk, [])
        if activity.target_kind == TargetKind.FLAGGED:
            return [s.pk for s in schools if s.pk in self.flagged.get(year, ())]
        if activity.target_kind == TargetKind.CHOSEN:
            return [s.pk for s in activity._chosen]
        return [s.pk for s in schools]

    def _due_dates(self, activity: Activity, start: date, end: date) -> list[date | None]:
        rng, kind, days = self.rng, activity.deadline_kind, (end - start).days
        if kind == DeadlineKind.MANUAL:
            return [None]
        if kind == DeadlineKind.CONTINUOUS:
            return [end]
        if kind == DeadlineKind.RECURRING:
            return [start + timedelta(days=days * (i + 1) // (RECURRING_OCCURRENCES + 1)) for i in range(4)]
        if kind == DeadlineKind.MONTHS and rng.random() < 0.5:
            return sorted(start + timedelta(days=rng.randint(0, days)) for _ in range(2))
        if kind == DeadlineKind.RELATIVE:
            return [date(end.year, 4, rng.randint(1, 28))]  # around the spring VPR
        return [start + timedelta(days=rng.randint(0, days))]

    def executions(self, plan: Plan, activities: list[Activity], owner: Organization, year: int) -> None:
        rng, today = self.rng, self.today
        reviewer = self.reviewer_of.get(owner.pk)
        executions, evidence = [], []
        for a in activities:
            dues = self._due_dates(a, plan.period_start, plan.period_end)
            for org_id in self._targets(a, owner, year):
                for occurrence, due in enumerate(dues, start=1):
                    past = (due or plan.period_end) < today
                    status = _weighted(rng, PAST_STATUSES if past else FUTURE_STATUSES)
                    e = {
                        "id": self.execution_rows.new_id(),
                        "activity_id": a.pk,
                        "organization_id": org_id,
                        "occurrence": occurrence,
                        "due_date": due,
                        "status": status,
                    }
                    executions.append(e)
                    if status != ExecutionStatus.DONE:
                        continue
                    done_on = (due or plan.period_end) - timedelta(days=rng.randint(0, 20))
                    done_at = datetime(
                        done_on.year, done_on.month, done_on.day, rng.randint(3, 12), tzinfo=UTC
                    )
                    e["completed_at"] = done_at
                    e["completed_by_id"] = self.coordinator_of.get(org_id)
                    e["comment"] = rng.choice(["", "", "Выполнено в срок", "Проведено, материалы приложены"])
                    review = _weighted(rng, REVIEWS) if reviewer and org_id != owner.pk else ReviewStatus.NONE
                    if review:
                        e["review_status"] = review
                        e["reviewed_by_id"] = reviewer
                        e["reviewed_at"] = done_at + timedelta(days=rng.randint(1, 10))
                        if review == ReviewStatus.RETURNED:
                            e["review_comment"] = "Приложите приказ ОО с подписью руководителя"
                    if not a.evidence_required:
                        continue
                    for k in range(1, 3 if rng.random() < 0.2 else 2):
                        evidence.append(
                            {
                                "execution_id": e["id"],
                                # A name only: no file is written (the bench never reads evidence content).
                                "file": f"evidence/{done_at:%Y/%m}/e{e['id']}-{k}.pdf",
                                "original_name": f"{a.evidence_form} № {rng.randint(1, 300)} от {done_at:%d.%m.%Y}.pdf",
                                "content_type": "application/pdf",
                                "size": rng.randint(80_000, 3_000_000),
                                "uploaded_by_id": e["completed_by_id"],
                            }
                        )
        self.execution_rows.insert(executions)
        self.evidence_rows.insert(evidence)
