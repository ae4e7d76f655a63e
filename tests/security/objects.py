"""One object of every kind in three municipalities of a World, for the URL permission matrix.

HOME is M1 (where the roles under test sit), NEIGHBOUR is M2 (same region: its regional
administrator is the World's `admin`), AWAY is M3 (another region). Each municipality gets the
same set: plans in each state with a section and activities, executions and evidence, an order and
a signed document, a VPR session with an observer, an assignment and an act, results and a
recheck, a plan import, a deletion to undo. Whatever is named or titled in AWAY carries AWAY_MARK,
so a page that lists AWAY's data to a home user is caught by its text as well as by its status;
NEIGHBOUR's carries NEIGHBOUR_MARK, which only the regional administrator may see.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from activities import services as plan_services
from activities.choices import DeadlineKind, ExecutionLevel, PlanStatus
from activities.models import CalendarFeed, Evidence, Execution, Notification, ResponsiblePerson
from activities.progress.export import PROGRESS_PDF
from activities.reminders.digest import unsubscribe_token
from observers.models import Act
from reports.models import Order, OrderDocument, OrderStatus, PlanImport
from results.models import GradingScale, Recheck, RecheckExpert, RecheckWork, VprResult
from schools.choices import FlagSource
from schools.models import EducationAuthority, UnobjectivityFlag
from tests.factories import ActivityFactory, PlanFactory, SectionFactory
from tests.matrix import World
from tests.observers.factories import AssignmentFactory, CampaignFactory, ObserverFactory, SessionFactory
from vprplan.models import ExportFile

AWAY_MARK = "ЧУЖОЕ-М3"
NEIGHBOUR_MARK = "СОСЕДНЕЕ-М2"  # only the regional administrator may see it
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PERIOD = (date(2025, 9, 1), date(2026, 8, 31))

# Where each place's people sit: (municipality, its school, the users acting there).
PLACES = {
    "home": (
        "m1",
        "s1",
        {"head": "head", "coordinator": "coordinator", "school": "school", "admin": "admin"},
    ),
    "neighbour": ("m2", "s3", {"head": "admin", "coordinator": "neighbour_coordinator", "admin": "admin"}),
    "away": (
        "m3",
        "s4",
        {
            "head": "other_head",
            "coordinator": "other_coordinator",
            "school": "other_school",
            "admin": "other_admin",
        },
    ),
}


@dataclass
class Things:
    world: World
    home: SimpleNamespace = field(default_factory=SimpleNamespace)
    neighbour: SimpleNamespace = field(default_factory=SimpleNamespace)
    away: SimpleNamespace = field(default_factory=SimpleNamespace)

    def at(self, place: str) -> SimpleNamespace:
        return getattr(self, place)


def _plan(owner, status, label: str, mark: str, *, specialist_person=None):
    plan = PlanFactory(
        owner=owner, status=status, title=f"План {label} {mark}", period_start=PERIOD[0], period_end=PERIOD[1]
    )
    section = SectionFactory(plan=plan, position=1, title=f"Раздел {mark}")
    ActivityFactory(
        plan=plan,
        section=section,
        position=1,
        title=f"Мероприятие школ {mark}",
        deadline_text="До 15.10.2025",
        deadline_kind=DeadlineKind.FIXED,
        execution_level=ExecutionLevel.SCHOOL,
        evidence_form="Протокол",
    )
    named = ActivityFactory(
        plan=plan,
        section=section,
        position=2,
        title=f"Мероприятие органа {mark}",
        deadline_text="До 01.12.2025",
        deadline_kind=DeadlineKind.FIXED,
        execution_level=ExecutionLevel.AUTHORITY,
    )
    if specialist_person is not None:
        named.responsible_persons.add(specialist_person)
    plan_services.plan_renumber(plan=plan)
    return plan


@cache
def _read_draft() -> str:
    from reports.imports.draft import read_plan

    text = (
        "План мероприятий по обеспечению объективности ВПР на 2025-2026 учебный год\n"
        "№;Наименование мероприятия;Срок;Ответственные\n1;Организация ВПР;;\n"
        "1.1;Приказ о проведении ВПР;До 15.10.2025;Координатор\n"
    )
    return json.dumps(read_plan(text.encode(), "plan.csv").to_dict())


def _import_draft() -> dict:
    """What the import read from a small plan file (read once per run)."""
    return json.loads(_read_draft())


def _authority(municipality, mark: str) -> EducationAuthority:
    return EducationAuthority.objects.create(
        municipality=municipality,
        full_name=f"Управление образования {mark}",
        full_name_local="",
        genitive_name=f"Управления образования {mark}",
        place="г. Первый",
        head_position="Начальник",
        head_name="А.Б. Руководитель",
        head_full_name="Руководитель Анна Борисовна",
        phone="8 (800) 000-00-01",
    )


def _place(w: World, place: str, campaigns: dict) -> SimpleNamespace:
    from reports.orders.services import order_create

    mun_code, school_code, actors = PLACES[place]
    m, s = w.orgs[mun_code], w.orgs[school_code]
    u = {role: w.users[name] for role, name in actors.items()}
    mark = {"home": "M1", "neighbour": NEIGHBOUR_MARK, "away": AWAY_MARK}[place]
    t = SimpleNamespace(municipality=m, school=s, region=m.parent, mark=mark)
    t.authority = _authority(m, mark)
    person = ResponsiblePerson.objects.create(
        organization=m,
        name=f"Специалистова {mark}",
        position="ведущий специалист",
        user=w.users["specialist"] if place == "home" else None,
    )

    # Plans: a draft (the editor's), one on approval (the order's), an approved one (executions),
    # and a school's own draft.
    t.draft = _plan(m, PlanStatus.DRAFT, "проект", mark)
    t.section = t.draft.sections.first()
    t.activity = t.section.activities.order_by("position").first()
    t.spare_activity = t.section.activities.order_by("position").last()
    t.deletion = plan_services.activity_delete(activity=t.spare_activity, actor=u["coordinator"])
    t.on_approval = _plan(m, PlanStatus.ON_APPROVAL, "на утверждении", mark)
    t.approved = _plan(m, PlanStatus.ON_APPROVAL, "утверждённый", mark, specialist_person=person)
    plan_services.plan_approve_by_order(plan=t.approved, actor=u["head"])  # what signing its order does
    t.approved.refresh_from_db()
    t.amendment = plan_services.plan_new_version(plan=t.approved, actor=u["coordinator"])
    t.amendment.title = f"План новая редакция {mark}"
    t.amendment.save(update_fields=["title"])
    t.school_plan = _plan(s, PlanStatus.DRAFT, "школы", mark)
    t.execution = Execution.objects.get(activity__plan=t.approved, activity__position=1, organization=s)
    t.authority_execution = Execution.objects.get(
        activity__plan=t.approved, activity__position=2, organization=m
    )
    t.evidence = Evidence(
        execution=t.execution,
        original_name=f"Протокол {mark}.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    t.evidence.file.save("protocol.pdf", ContentFile(PDF), save=True)

    # Orders: a draft of the plan on approval, and a signed one of the approved plan with its PDF.
    t.order = order_create(plan=t.on_approval, actor=u["coordinator"], on=date(2025, 10, 1))
    t.signed_order = order_create(plan=t.approved, actor=u["coordinator"], on=date(2025, 9, 20))
    Order.objects.filter(pk=t.signed_order.pk).update(
        status=OrderStatus.SIGNED, number=f"5{len(place)}", signed_by=u["head"], signed_at=timezone.now()
    )
    t.document = OrderDocument(
        order=t.signed_order, status=OrderDocument.Status.SIGNED, sha256="0" * 64, size=len(PDF), pages=1
    )
    t.document.file.save("order.pdf", ContentFile(PDF), save=False)
    t.document.signature.save("order.pdf.sig", ContentFile(b"0\x00"), save=False)  # its .sig and a scan
    t.document.scan.save("order-skan.pdf", ContentFile(PDF), save=False)
    t.document.scan_kind = "pdf"
    t.document.signed_at = timezone.now()
    t.document.save()
    t.pending_document = OrderDocument.objects.create(order=t.order, requested_by=u["head"])
    # Signed outside the server: PDFs waiting for the head's scan (one to cancel).
    t.awaiting_document, t.cancel_document = (
        OrderDocument(order=t.order, requested_by=u["head"], method="paper", status=OrderDocument.Status.AWAITING_SCAN)
        for _ in range(2)
    )
    for awaiting in (t.awaiting_document, t.cancel_document):
        awaiting.file.save("print.pdf", ContentFile(PDF), save=True)
    # Exports (PDFs rendered by a job) the place's coordinator asked for: one ready, one pending.
    t.export = ExportFile.objects.create(
        kind=PROGRESS_PDF, params={"plan": t.approved.pk}, organization=m,
        requested_by=u["coordinator"], status=ExportFile.Status.READY, file_name="spravka.pdf", size=len(PDF),
    )  # fmt: skip
    t.export.file.save("spravka.pdf", ContentFile(PDF), save=True)
    t.pending_export = ExportFile.objects.create(
        kind=PROGRESS_PDF, params={"plan": t.approved.pk}, organization=m,
        requested_by=u["coordinator"],
    )  # fmt: skip

    # VPR: a session at the school, an observer of the municipality, his assignment and act.
    t.campaign = campaigns[m.parent_id]
    t.session = SessionFactory(
        school=s, campaign=t.campaign, subject=f"Математика {mark}", date=date(2024, 4, 16), starts_at=time(9)
    )
    t.spare_session = SessionFactory(
        school=s,
        campaign=t.campaign,
        subject=f"Русский язык {mark}",
        date=date(2024, 4, 18),
        starts_at=time(9),
    )
    observer_user = w.users["observer"] if place == "home" else None
    t.observer = ObserverFactory(municipality=m, full_name=f"Наблюдатель {mark}", user=observer_user)
    t.assignment = AssignmentFactory(session=t.session, observer=t.observer)
    t.act = Act.objects.create(
        assignment=t.assignment,
        submitted_at=datetime(2024, 4, 17, 10, tzinfo=ZoneInfo("Europe/Moscow")),
        submitted_by=observer_user,
        scan_name="akt.pdf",
        scan_type="application/pdf",
    )
    t.act.scan.save("scan.pdf", ContentFile(PDF), save=True)

    # Results, a flag and a recheck with one expert and one work.
    VprResult.objects.create(
        organization=s, year=2025, subject="Математика", grade=5, participants=50,
        marks_2=1, marks_3=4, marks_4=20, marks_5=25,
    )  # fmt: skip
    UnobjectivityFlag.objects.create(
        school=s, year=2024, source=FlagSource.REGIONAL, subjects=f"История {mark}"
    )
    t.recheck = Recheck.objects.create(
        municipality=m, school=s, year=2025, subject="Математика", grade=5, task_max_scores=[1, 1, 2],
        starts_on=date(2025, 5, 20), ends_on=date(2025, 6, 10), works_kept_until=date(2099, 12, 31),
        basis=f"Маркеры {mark}", created_by=u["coordinator"],
    )  # fmt: skip
    t.expert = RecheckExpert.objects.create(recheck=t.recheck, full_name=f"Эксперт {mark}", workplace=m)
    t.work = RecheckWork.objects.create(
        recheck=t.recheck, participant_code=f"{mun_code}-0001", class_label="5А", original_scores=[1, 1, 2]
    )

    # A plan file read and waiting for confirmation; a notification of one of the place's people.
    t.plan_import = PlanImport.objects.create(
        owner=m, created_by=u["coordinator"], file_name=f"plan {mark}.xlsx", format="xlsx",
        draft=_import_draft(),
    )  # fmt: skip
    t.notification = Notification.objects.create(
        user=u["coordinator"], day=date(2025, 10, 1), title=f"Сводка {mark}"
    )
    t.feed_token = CalendarFeed.objects.create(user=u["coordinator"]).token
    t.unsubscribe_token = unsubscribe_token(u["coordinator"].pk)
    return t


def build_things(world: World) -> Things:
    w = world
    for org in ("s1", "s2", "s3", "s4"):
        w.orgs[org].fis_oko_login = f"sch0000{org[1]}"
        w.orgs[org].save()
    GradingScale.objects.create(
        year=2025, subject="Математика", grade=5, max_score=20, min_3=6, min_4=11, min_5=16
    )
    campaigns = {
        w.region.pk: CampaignFactory(region=w.region),
        w.region_b.pk: CampaignFactory(region=w.region_b),
    }
    things = Things(world=w)
    for place in ("home", "neighbour", "away"):
        setattr(things, place, _place(w, place, campaigns))
    # Each place's `peer` is another region's place: URLs that mix ids of two places use it.
    things.home.peer, things.neighbour.peer, things.away.peer = things.away, things.away, things.home
    return things
