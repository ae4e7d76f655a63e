"""Writes of the schools app: unobjectivity flags (признаки необъективности) and the VPR schedule.

A flag is a sign that a school's results need attention — from the Рособрнадзор list, regional
monitoring or the municipality's own analysis — never a verdict. Flags drive plan targets
(«ОО с признаками необъективности в году N»), observer coverage and suggested measures.
"""

from django.contrib.auth.models import User
from django.db import transaction

from schools.choices import FlagSource
from schools.models import Organization, UnobjectivityFlag, VprCampaign, VprSession
from schools.selectors import schedule_schools
from schools.signals import calendar_changed, session_changed
from vprplan import access
from vprplan.audit import audit
from vprplan.errors import DomainError


def _merge(current: str, added: list[str]) -> str:
    items = [i.strip() for i in current.split(",") if i.strip()]
    for item in added:
        if item and item not in items:
            items.append(item)
    numeric = all(i.isdigit() for i in items)
    return ", ".join(sorted(items, key=int) if numeric and items else items)


@transaction.atomic
def flag_record(
    *,
    actor: User,
    school: Organization,
    year: int,
    source: str,
    subjects: list[str] = (),
    grades: list[str] = (),
    markers: str = "",
    note: str = "",
    resync: bool = True,
) -> tuple[UnobjectivityFlag, str]:
    """Set (or add to) the school's flag of `year` from `source`: subjects and grades are merged,
    a markers text not yet there is appended. Returns the flag and «created», «updated» or «same».
    A new flag is an event plans count deadlines from («в течение месяца после выявления
    признаков»): their due dates re-sync after commit (`resync=False` when the caller does it once)."""
    if not Organization.objects.filter(access.managed_q(actor, roles_=access.EDIT_FLAGS), pk=school.pk).exists():
        raise DomainError(
            "Признаки необъективности отмечает муниципальный координатор ВПР или региональный администратор."
        )
    if source not in FlagSource.values:
        raise DomainError("Неизвестный источник признаков.")
    flag = (
        UnobjectivityFlag.objects.select_for_update().filter(school=school, year=year, source=source).first()
    )
    created = flag is None
    flag = flag or UnobjectivityFlag(school=school, year=year, source=source)
    before = (flag.subjects, flag.grades, flag.markers, flag.note)
    flag.subjects = _merge(flag.subjects, [s.strip() for s in subjects])
    flag.grades = _merge(flag.grades, [str(g).strip() for g in grades])
    text = markers.strip()
    if text and text not in flag.markers:
        flag.markers = f"{flag.markers.rstrip()}\n{text}".strip()
    if note.strip() and note.strip() not in flag.note:
        flag.note = f"{flag.note.rstrip()}\n{note.strip()}".strip()
    if not created and before == (flag.subjects, flag.grades, flag.markers, flag.note):
        return flag, "same"
    flag.full_clean()
    flag.save()
    audit(
        actor, "flag.created" if created else "flag.changed", flag, organization=school,
        year=year, source=source, subjects=flag.subjects, grades=flag.grades,
    )  # fmt: skip
    if created and resync:
        flags_changed(school_ids=[school.pk], year=year, actor=actor)
    return flag, "created" if created else "updated"


def flags_changed(*, school_ids, year: int, actor: User) -> None:
    """Plans of these schools' region whose deadlines count from a flag re-sync after commit."""
    regions = set(Organization.objects.filter(pk__in=school_ids).values_list("region_id", flat=True))
    for region_id in regions:
        calendar_changed.send(
            sender=UnobjectivityFlag, region_id=region_id, year=year, school_ids=school_ids, actor=actor
        )


# The VPR schedule ----------------------------------------------------------------------------------

SESSION_FIELDS = (
    "subject", "grade", "class_letters", "date", "starts_at", "ends_at", "form", "auditoriums", "participants",
    "note",
)  # fmt: skip


@transaction.atomic
def session_save(
    *, actor: User, campaign: VprCampaign, school: Organization, session: VprSession | None = None, **values
) -> VprSession:
    """Create or change a session of a school's schedule. The school coordinator enters his own
    school's; the municipal coordinator and the regional admin any school of theirs. A change is
    refused when a receiver of session_changed refuses it (an observer's assignment it breaks)."""
    schools = {school.pk} if session is None else {school.pk, session.school_id}
    if schedule_schools(user=actor, campaign=campaign).filter(pk__in=schools).count() != len(schools):
        raise DomainError("Вы не ведёте график ВПР этой ОО.")
    creating = session is None
    session = session or VprSession(campaign=campaign)
    before = {name: str(getattr(session, name)) for name in SESSION_FIELDS} if not creating else {}
    session.school = school
    for name, value in values.items():
        if name not in SESSION_FIELDS:
            raise TypeError(f"Unknown session field {name}")
        setattr(session, name, value)
    session.full_clean()
    session.save()
    if not creating:
        session_changed.send(sender=VprSession, session=session)
    changed = {
        k: str(getattr(session, k)) for k in SESSION_FIELDS if before.get(k) != str(getattr(session, k))
    }
    audit(actor, "vpr_session.created" if creating else "vpr_session.changed", session,
          organization=school, **changed)  # fmt: skip
    if creating or {"date"} & changed.keys() or len(schools) > 1:
        _calendar_changed(campaign, schools, actor)
    return session


@transaction.atomic
def session_delete(*, actor: User, session: VprSession) -> None:
    if not schedule_schools(user=actor, campaign=session.campaign).filter(pk=session.school_id).exists():
        raise DomainError("Вы не ведёте график ВПР этой ОО.")
    if session.assignments.exists():
        raise DomainError("На эту работу назначены наблюдатели: сначала снимите их.")
    audit(actor, "vpr_session.deleted", session, organization=session.school, label=str(session))
    session.delete()
    _calendar_changed(session.campaign, [session.school_id], actor)


def _calendar_changed(campaign: VprCampaign, school_ids, actor: User) -> None:
    """Plans whose deadlines count from the schools' sessions re-sync their due dates after commit."""
    calendar_changed.send(
        sender=VprSession, region_id=campaign.region_id, year=campaign.year, school_ids=school_ids, actor=actor
    )
