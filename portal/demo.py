"""The demo: two regions, the municipality «Инта» from order № 51, the three seed plans,
and a user for every role. `seed_demo()` is idempotent: a second run writes nothing."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from activities.choices import ExecutionLevel, PlanStatus
from activities.demo import seed_work
from activities.models import Activity, Plan, ResponsiblePerson, ResponsibleRole
from activities.responsible import match_responsible
from activities.services import ActivityData, SectionData, plan_replace_content
from observers.demo import seed_observers
from portal.demo_today import seed_today
from reports.demo import seed_orders
from schools.choices import LegalForm, MunicipalityKind, OrgKind, Role, SchoolKind
from schools.models import EducationAuthority, Membership, Organization
from vprplan.upsert import upsert

DEMO_PASSWORD = "vprplan-demo"
PLANS_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo" / "plans"

REGIONS = [
    {"code": "komi", "name": "Республика Коми", "timezone": "Europe/Moscow"},
    {"code": "krasnoyarsk", "name": "Красноярский край", "timezone": "Asia/Krasnoyarsk"},
]

MUNICIPALITIES = [
    {
        "code": "inta",
        "parent": "komi",
        "name": "Муниципальный округ «Инта»",
        "short_name": "МО «Инта»",
        "municipality_kind": MunicipalityKind.OKRUG,
        "authority": {
            "full_name": "Отдел образования администрации муниципального округа «Инта»",
            "full_name_local": "«Инта» муниципальной кытшса администрацияын велӧдан юкӧн",
            "order_kind_local": "ТШӦКТӦД",
            "short_name": "Отдел образования администрации МО «Инта»",
            "genitive_name": "Отдела образования администрации МО «Инта»",
            "place": "г. Инта",
            "head_position": "Начальник",
            "head_name": "Э.О. Круглова",
            "head_full_name": "Круглова Эвелина Олеговна",
            "phone": "6-20-08",
        },
    },
    {
        "code": "severo-eniseysky",
        "parent": "krasnoyarsk",
        "name": "Северо-Енисейский район",
        "short_name": "Северо-Енисейский район",
        "municipality_kind": MunicipalityKind.DISTRICT,
        "authority": {
            "full_name": "Управление образования администрации Северо-Енисейского района",
            "short_name": "РУО",
            "genitive_name": "Управления образования администрации Северо-Енисейского района",
            "place": "гп Северо-Енисейский",
            "head_position": "Руководитель",
            "head_name": "И.В. Губкина",
        },
    },
    {
        "code": "demo-city",
        "parent": "krasnoyarsk",
        "name": "Городской округ «Демонстрационный»",
        "short_name": "ГО «Демонстрационный»",
        "municipality_kind": MunicipalityKind.CITY,
        "authority": {
            "full_name": "Управление образования администрации городского округа «Демонстрационный»",
            "short_name": "УО",
            "place": "г. Демонстрационный",
            "head_position": "Начальник",
        },
    },
]

MBOU = LegalForm.MBOU
# The schools of order № 51's distribution list, then one per demo municipality for the others.
SCHOOLS = [
    (
        "inta-sosh-5",
        "inta",
        "«Средняя общеобразовательная школа № 5» г. Инты",
        "«СОШ № 5» г. Инты",
        SchoolKind.SOSH,
    ),
    (
        "inta-sosh-6",
        "inta",
        "«Средняя общеобразовательная школа № 6» г. Инты",
        "«СОШ № 6» г. Инты",
        SchoolKind.SOSH,
    ),
    (
        "inta-sosh-8",
        "inta",
        "«Средняя общеобразовательная школа № 8» г. Инты",
        "«СОШ № 8» г. Инты",
        SchoolKind.SOSH,
    ),
    (
        "inta-sosh-10",
        "inta",
        "«Средняя общеобразовательная школа № 10» г. Инты",
        "«СОШ № 10» г. Инты",
        SchoolKind.SOSH,
    ),
    (
        "inta-sosh-abez",
        "inta",
        "«Средняя общеобразовательная школа» пст. Абезь",
        "«СОШ» пст. Абезь",
        SchoolKind.SOSH,
    ),
    (
        "inta-sosh-petrun",
        "inta",
        "«Средняя общеобразовательная школа» пст. Петрунь",
        "«СОШ» пст. Петрунь",
        SchoolKind.SOSH,
    ),
    ("inta-lyceum-1", "inta", "«Лицей № 1 г. Инты»", "«Лицей № 1 г. Инты»", SchoolKind.LYCEUM),
    ("inta-gymnasium-2", "inta", "«Гимназия № 2» г. Инты", "«Гимназия № 2» г. Инты", SchoolKind.GYMNASIUM),
    ("inta-gymnasium-3", "inta", "«Гимназия № 3» г. Инты", "«Гимназия № 3» г. Инты", SchoolKind.GYMNASIUM),
    (
        "severo-eniseysky-sosh-1",
        "severo-eniseysky",
        "«Северо-Енисейская средняя школа № 1»",
        "«Северо-Енисейская СШ № 1»",
        SchoolKind.SOSH,
    ),
    (
        "severo-eniseysky-sosh-2",
        "severo-eniseysky",
        "«Северо-Енисейская средняя школа № 2»",
        "«Северо-Енисейская СШ № 2»",
        SchoolKind.SOSH,
    ),
    ("school-107", "demo-city", "«Средняя общеобразовательная школа № 107»", "СОШ № 107", SchoolKind.SOSH),
]

# The responsible-role catalogue (DESIGN.md §2) and who acts for each role.
RESPONSIBLE_ROLES = [
    ("Муниципальный координатор ВПР", Role.MUNICIPAL_COORDINATOR, ExecutionLevel.AUTHORITY),
    ("Руководители ОО", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Муниципальные общеобразовательные организации", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Школьный координатор ВПР", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Зам. директора по УВР", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Учителя-предметники", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Руководители ШМО", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Руководители РМО", Role.MUNICIPAL_COORDINATOR, ExecutionLevel.AUTHORITY),
    ("Классные руководители", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
    ("Технический специалист", Role.SCHOOL_COORDINATOR, ExecutionLevel.SCHOOL),
]

# Named persons of the Северо-Енисейский plan; «specialist» logs in as Фильчук Л.А.
PERSONS = [
    ("severo-eniseysky", "Фильчук Л.А.", "ведущий специалист РУО", "specialist"),
    ("severo-eniseysky", "Каминская П.А.", "главный специалист РУО", None),
    ("severo-eniseysky", "Бескорвайная Е.Н.", "заместитель руководителя РУО", None),
    ("severo-eniseysky", "Горбенко О.А.", "заведующий ИМО РУО", None),
    ("severo-eniseysky", "Губкина И.В.", "руководитель РУО", None),
    (
        "inta",
        "Савельева Н.И.",
        "главный методист сектора дошкольного, общего и дополнительного образования МКУ «ГУНО»",
        None,
    ),
    (
        "inta",
        "Мальцева О.С.",
        "старший методист сектора дошкольного, общего и дополнительного образования МКУ «ГУНО»",
        None,
    ),
]

# username: (first name, last name, e-mail, staff, [(role, organisation code, position)])
USERS = {
    "admin": (
        "Администратор",
        "региона",
        True,
        [
            (Role.REGIONAL_ADMIN, "komi", "администратор"),
            (Role.REGIONAL_ADMIN, "krasnoyarsk", "администратор"),
        ],
    ),
    "head": ("Эвелина Олеговна", "Круглова", False, [(Role.HEAD, "inta", "Начальник")]),
    "coordinator": (
        "Н.И.",
        "Савельева",
        False,
        [
            (Role.MUNICIPAL_COORDINATOR, "inta", "главный методист МКУ «ГУНО»"),
        ],
    ),
    "specialist": (
        "Л.А.",
        "Фильчук",
        False,
        [
            (Role.SPECIALIST, "severo-eniseysky", "ведущий специалист РУО"),
        ],
    ),
    "school": (
        "Школьный",
        "координатор",
        False,
        [
            (Role.SCHOOL_COORDINATOR, "inta-sosh-5", "заместитель директора по УВР"),
        ],
    ),
    "observer": ("Общественный", "наблюдатель", False, [(Role.OBSERVER, "inta", "")]),
}


def _organizations() -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for region in REGIONS:
        orgs[region["code"]], _ = upsert(
            Organization,
            {"code": region["code"]},
            {
                "kind": OrgKind.REGION,
                "name": region["name"],
                "short_name": region["name"],
                "timezone": region["timezone"],
            },
        )
    for m in MUNICIPALITIES:
        org, _ = upsert(
            Organization,
            {"code": m["code"]},
            {
                "kind": OrgKind.MUNICIPALITY,
                "parent": orgs[m["parent"]],
                "name": m["name"],
                "short_name": m["short_name"],
                "municipality_kind": m["municipality_kind"],
            },
        )
        orgs[m["code"]] = org
        upsert(EducationAuthority, {"municipality": org}, m["authority"])
    for code, parent, name, short, kind in SCHOOLS:
        orgs[code], _ = upsert(
            Organization,
            {"code": code},
            {
                "kind": OrgKind.SCHOOL,
                "parent": orgs[parent],
                "name": f"Муниципальное бюджетное общеобразовательное учреждение {name}",
                "short_name": f"{MBOU} {short}",
                "legal_form": MBOU,
                "school_kind": kind,
                "fis_oko_login": code.replace("-", "_"),
            },
        )
    return orgs


def _users(orgs: dict[str, Organization]) -> dict:
    User = get_user_model()
    users = {}
    for username, (first, last, staff, roles) in USERS.items():
        user, _ = upsert(
            User,
            {"username": username},
            {
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.vprplan.local",
                "is_staff": staff,
                "is_superuser": staff,
                "is_active": True,
            },
            exclude=("password",),
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role, org_code, position in roles:
            upsert(
                Membership,
                {"user": user, "organization": orgs[org_code], "role": role},
                {"position": position},
            )
        users[username] = user
    return users


def _catalogue(orgs, users) -> tuple[list[ResponsibleRole], list[ResponsiblePerson]]:
    roles = [
        upsert(ResponsibleRole, {"owner": None, "name": name}, {"acting_role": acting, "level": level})[0]
        for name, acting, level in RESPONSIBLE_ROLES
    ]
    persons = [
        upsert(
            ResponsiblePerson,
            {"organization": orgs[org_code], "name": name},
            {"position": position, "user": users.get(username) if username else None},
        )[0]
        for org_code, name, position, username in PERSONS
    ]
    return roles, persons


def _plan(path: Path, orgs, roles, persons) -> Plan:
    data = json.loads(path.read_text(encoding="utf-8"))
    owner = orgs[data["owner"]]
    approval = data["approval"]
    plan, _ = upsert(
        Plan,
        {"owner": owner, "title": data["title"]},
        {
            "kind": data["kind"],
            "period_text": data["period_text"],
            "period_start": date.fromisoformat(data["period_start"]),
            "period_end": date.fromisoformat(data["period_end"]),
            "goals": data["goals"],
            "tasks": data["tasks"],
            "introduction": data["introduction"],
            "section_numbering": data["section_numbering"],
            "columns": data["columns"],
            "status": PlanStatus.APPROVED,
            "approved_on": _date(approval["approved_on"]),
            "approval_text": approval["approval_text"],
            "considered_text": approval["considered_text"],
            "order_number": approval["order_number"],
            "order_date": _date(approval["order_date"]),
        },
    )
    fields = ActivityData.__dataclass_fields__
    plan_replace_content(
        plan=plan,
        sections=[
            SectionData(
                title=s["title"],
                activities=[
                    ActivityData(**{k: v for k, v in a.items() if k in fields}) for a in s["activities"]
                ],
            )
            for s in data["sections"]
        ],
    )
    local_persons = [p for p in persons if p.organization_id == owner.municipality_id_or_self]
    for activity in Activity.objects.filter(plan=plan):
        found_roles, found_persons = match_responsible(activity.responsible_text, roles, local_persons)
        activity.responsible_roles.set(found_roles)
        activity.responsible_persons.set(found_persons)
        level = (
            ExecutionLevel.SCHOOL
            if owner.kind != OrgKind.SCHOOL and any(r.level == ExecutionLevel.SCHOOL for r in found_roles)
            else ExecutionLevel.AUTHORITY
        )
        if activity.execution_level != level:
            activity.execution_level = level
            activity.save(update_fields=["execution_level"])
    return plan


def _date(value):
    return date.fromisoformat(value) if value else None


def demo_today(orgs=None) -> date:
    """The demo's «today»: the current day in the Inta region's time zone."""
    region = (orgs or {}).get("komi") or Organization.objects.filter(code="komi").first()
    return timezone.localdate(timezone=region.tz) if region else timezone.localdate()


@transaction.atomic
def seed_demo(today: date | None = None) -> dict:
    """The transcribed history, then the current academic year around `today` (portal.demo_today)."""
    orgs = _organizations()
    users = _users(orgs)
    roles, persons = _catalogue(orgs, users)
    plans = [_plan(path, orgs, roles, persons) for path in sorted(PLANS_DIR.glob("*.json"))]
    # The approved plans' executions and a year of work on the Inta road map (activities.demo).
    seed_work(plans, users)
    _observers(orgs, users)
    _orders(orgs, users)
    today = today or demo_today(orgs)
    inta = next(p for p in plans if p.owner.code == "inta")
    current = seed_today(orgs, users, history=inta, today=today)
    if current["plan"] not in plans:
        plans.append(current["plan"])
    return {
        "organizations": len(orgs),
        "users": len(users),
        "plans": len(plans),
        "activities": Activity.objects.filter(plan__in=plans).count(),
        "today": today,
        **{k: v for k, v in current.items() if k != "plan"},
        "current_plan": current["plan"],
    }


def _observers(orgs, users) -> None:
    """VPR-2024 in Komi: Inta sessions, observers, assignments and an act (observers.demo)."""
    seed_observers(orgs, users)


def _orders(orgs, users) -> None:
    """Order № 51 of 29.02.2024 approving the Inta road map, signed with the demo certificate."""
    seed_orders(orgs, users)
