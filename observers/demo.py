"""The observers part of the demo (vprplan.demo calls it last): idempotent, fixed dates."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from observers.choices import ActStage, AssignmentStatus, ObserverKind
from observers.models import Act, Assignment, Observer
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
