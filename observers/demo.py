"""The observers part of the demo (portal.demo calls it last): idempotent, fixed dates."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from observers.choices import ActStage, AssignmentStatus, ObserverKind
from observers.models import Act, Assignment, Observer
from observers.services import observer_assign
from schools.models import VprCampaign, VprSession
from schools.models.vpr import SessionForm
from vprplan.upsert import upsert


def seed_observers(orgs, users) -> None:
    """VPR-2024 in Komi: a few sessions of the Inta schools, the Inta registry of observers (one
    of them the demo user «observer»), two of his assignments and the act of the first; the
    second act is overdue, so his page shows both kinds."""
    campaign, _ = upsert(
        VprCampaign,
        {"region": orgs["komi"], "year": 2024},
        {"starts_on": date(2024, 3, 15), "ends_on": date(2024, 5, 17), "results_on": date(2024, 5, 31)},
    )
    sessions = {}
    for key, school, subject, grade, letters, day, start, end, form, rooms, people in [
        (
            "s5-rus",
            "inta-sosh-5",
            "Русский язык",
            4,
            "А, Б",
            (4, 16),
            (9, 0),
            (10, 30),
            "paper",
            "каб. 12, 14",
            48,
        ),
        (
            "s5-mat",
            "inta-sosh-5",
            "Математика",
            4,
            "А, Б",
            (4, 18),
            (9, 0),
            (9, 45),
            "paper",
            "каб. 12, 14",
            47,
        ),
        ("s6-mat", "inta-sosh-6", "Математика", 5, "А", (4, 17), (10, 0), (11, 0), "computer", "каб. 21", 24),
        ("s6-his", "inta-sosh-6", "История", 6, "А, Б", (4, 24), (9, 0), (9, 45), "paper", "каб. 8", 45),
        ("g2-bio", "inta-gymnasium-2", "Биология", 7, "А", (4, 19), (11, 0), (12, 30), "paper", "каб. 3", 26),
        (
            "l1-geo",
            "inta-lyceum-1",
            "География",
            7,
            "Б",
            (4, 13),
            (9, 0),
            (10, 30),
            "computer",
            "каб. 31",
            25,
        ),
    ]:
        sessions[key], _ = upsert(
            VprSession,
            {
                "campaign": campaign,
                "school": orgs[school],
                "subject": subject,
                "grade": grade,
                "class_letters": letters,
            },
            {
                "date": date(2024, *day),
                "starts_at": time(*start),
                "ends_at": time(*end),
                "form": SessionForm(form),
                "auditoriums": rooms,
                "participants": people,
            },
        )
    inta = orgs["inta"]
    observers = {}
    for key, name, kind, org_name, workplace, children, accredited, consent, user in [
        (
            "own",
            "Ковалёва Ирина Сергеевна",
            ObserverKind.PARENT,
            "",
            None,
            ["inta-sosh-6"],
            True,
            True,
            "observer",
        ),
        (
            "rsm",
            "Петров Сергей Иванович",
            ObserverKind.RSM,
            "Коми республиканское отделение РСМ",
            None,
            [],
            True,
            True,
            None,
        ),
        (
            "adm",
            "Михайлова Ольга Николаевна",
            ObserverKind.AUTHORITY,
            "администрация МО «Инта»",
            None,
            [],
            True,
            True,
            None,
        ),
        (
            "teacher",
            "Белова Татьяна Андреевна",
            ObserverKind.PARENT,
            "",
            "inta-sosh-5",
            ["inta-gymnasium-2"],
            True,
            True,
            None,
        ),
        (
            "student",
            "Захаров Денис Олегович",
            ObserverKind.STUDENT,
            "Интинский политехнический техникум",
            None,
            [],
            True,
            False,
            None,
        ),
    ]:
        observers[key], _ = upsert(
            Observer,
            {"municipality": inta, "full_name": name},
            {
                "kind": kind,
                "organization_name": org_name,
                "workplace_school": orgs[workplace] if workplace else None,
                "phone": f"+7 (82145) 6-{len(observers) + 31:02d}-{len(observers) * 7 + 10:02d}",
                "accreditation_number": f"ОН-11-{len(observers) + 101}" if accredited else "",
                "accreditation_date": date(2024, 3, 20) if accredited else None,
                "accreditation_issued_by": "Министерство образования и науки Республики Коми"
                if accredited
                else "",
                "trained_on": date(2024, 3, 14),
                "consent_given": consent,
                "consent_date": date(2024, 3, 1) if consent else None,
                "user": users.get(user) if user else None,
            },
        )
        observers[key].children_schools.set([orgs[c] for c in children])
    coordinator = users["coordinator"]
    first, _ = upsert(
        Assignment,
        {"session": sessions["s5-rus"], "observer": observers["own"]},
        {"status": AssignmentStatus.ATTENDED, "auditorium": "каб. 12", "assigned_by": coordinator},
    )
    upsert(
        Assignment,
        {"session": sessions["s5-mat"], "observer": observers["own"]},
        {"status": AssignmentStatus.CONFIRMED, "auditorium": "", "assigned_by": coordinator},
    )
    upsert(
        Assignment,
        {"session": sessions["s6-mat"], "observer": observers["rsm"]},
        {"status": AssignmentStatus.PLANNED, "auditorium": "", "assigned_by": coordinator},
    )
    upsert(
        Act,
        {"assignment": first, "stage": ActStage.CONDUCT},
        {
            "violations_found": False,
            "comment": "Работа проведена в соответствии с порядком; участники рассажены по одному, "
            "телефоны сданы, задания выданы в 09:00. Нарушений не выявлено.",
            "submitted_at": datetime(2024, 4, 16, 14, 30, tzinfo=ZoneInfo("Europe/Moscow")),
            "submitted_by": users["observer"],
        },
    )


# The current academic year --------------------------------------------------------------------

# (key, school, subject, grade, letters, (month, day), start, end, form, rooms, participants)
CURRENT_SESSIONS = [
    (
        "s5-rus",
        "inta-sosh-5",
        "Русский язык",
        4,
        "А, Б",
        (4, 14),
        (9, 0),
        (10, 30),
        "paper",
        "каб. 12, 14",
        51,
    ),
    ("s5-mat", "inta-sosh-5", "Математика", 4, "А, Б", (4, 16), (9, 0), (9, 45), "paper", "каб. 12, 14", 52),
    ("s5-rus5", "inta-sosh-5", "Русский язык", 5, "А", (4, 21), (9, 0), (10, 30), "computer", "каб. 21", 26),
    ("g3-rus", "inta-gymnasium-3", "Русский язык", 4, "А", (4, 15), (9, 0), (10, 30), "paper", "каб. 5", 25),
    ("s6-mat", "inta-sosh-6", "Математика", 5, "А", (4, 22), (10, 0), (11, 0), "computer", "каб. 21", 24),
    ("g2-bio", "inta-gymnasium-2", "Биология", 7, "А", (4, 23), (11, 0), (12, 30), "paper", "каб. 3", 26),
    ("l1-geo", "inta-lyceum-1", "География", 7, "Б", (4, 13), (9, 0), (10, 30), "computer", "каб. 31", 25),
]
# Last spring: the two works of СОШ № 5 whose results are in the demo (results.demo).
LAST_SESSIONS = CURRENT_SESSIONS[:2]
# (session key, observer key, auditorium); the demo user «observer» is «own».
CURRENT_ASSIGNMENTS = [("s5-rus", "own", "каб. 12"), ("g3-rus", "own", ""), ("s5-mat", "rsm", "каб. 14")]


HISTORY_YEAR = 2024


def _weekday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _campaign_sessions(region, orgs, year: int, rows) -> tuple[VprCampaign, dict]:
    campaign, _ = upsert(
        VprCampaign,
        {"region": region, "year": year},
        {
            "starts_on": _weekday(date(year, 3, 16)),
            "ends_on": _weekday(date(year, 5, 15)),
            "results_on": _weekday(date(year, 5, 29)),
        },
    )
    sessions = {}
    for key, school, subject, grade, letters, day, start, end, form, rooms, people in rows:
        sessions[key], _ = upsert(
            VprSession,
            {"campaign": campaign, "school": orgs[school], "subject": subject, "grade": grade,
             "class_letters": letters},
            {"date": _weekday(date(year, *day)), "starts_at": time(*start), "ends_at": time(*end),
             "form": SessionForm(form), "auditoriums": rooms, "participants": people},
        )  # fmt: skip
    return campaign, sessions


def _assign(session, observer, coordinator, auditorium: str) -> Assignment:
    """Through the service (every rule checked), once."""
    found = Assignment.objects.filter(session=session, observer=observer).first()
    return found or observer_assign(
        session=session, observer=observer, actor=coordinator, auditorium=auditorium
    )


def seed_current_campaign(orgs, users, *, year: int, today: date) -> dict:
    """The VPR of this academic year (`year`, its spring) in Komi with sessions of the Inta schools
    and observers assigned; and last spring's two works of СОШ № 5, where the demo observer filed
    the act of the first and still owes the second. Returns the figures."""
    region, coordinator = orgs["komi"], users["coordinator"]
    if year - 1 > HISTORY_YEAR:
        _campaign_sessions(region, orgs, year - 1, LAST_SESSIONS)
    campaign, sessions = _campaign_sessions(region, orgs, year, CURRENT_SESSIONS)
    registry = Observer.objects.filter(municipality=orgs["inta"])
    observers = {
        "own": registry.get(user=users["observer"]),
        "rsm": registry.get(full_name="Петров Сергей Иванович"),
    }
    for key, who, room in CURRENT_ASSIGNMENTS:
        _assign(sessions[key], observers[who], coordinator, room)
    if year - 1 <= HISTORY_YEAR:  # last spring is the transcribed history itself
        return {"campaign": campaign, "sessions": len(sessions)}
    last = VprSession.objects.filter(
        campaign__region=region, campaign__year=year - 1, school=orgs["inta-sosh-5"]
    )
    last = {s.subject: s for s in last.order_by("date")}
    filed = _assign(last["Русский язык"], observers["own"], coordinator, "каб. 12")
    owed = _assign(last["Математика"], observers["own"], coordinator, "каб. 14")
    for assignment in (filed, owed):
        if assignment.status != AssignmentStatus.ATTENDED:
            Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.ATTENDED)
    session = filed.session
    upsert(
        Act,
        {"assignment": filed, "stage": ActStage.CONDUCT},
        {
            "violations_found": False,
            "comment": "Работа проведена в соответствии с порядком, нарушений не выявлено.",
            "submitted_at": datetime.combine(session.date, time(14, 30), tzinfo=ZoneInfo("Europe/Moscow")),
            "submitted_by": users["observer"],
        },
    )
    return {"campaign": campaign, "sessions": len(sessions)}
