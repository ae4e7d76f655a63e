"""Writes of the results app: a flag from markers, and rechecks (перепроверки).

Keyword-only, atomic and audited; a refusal is a DomainError whose text is the Russian reason.
The municipal coordinator of the municipality and the region's administrator write; the head
and the specialists read. The results import lives in results.importing.service.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from results import rechecks
from results.analysis import analyse
from results.choices import RecheckStatus
from results.models import Recheck, RecheckExpert, RecheckWork, works_kept_until
from schools.choices import FlagSource
from schools.models import Organization, UnobjectivityFlag
from schools.services import flag_record
from vprplan import access
from vprplan.audit import audit
from vprplan.errors import DomainError

NOT_WRITER = (
    "Этим занимается муниципальный координатор ВПР этого муниципалитета или региональный администратор."
)


def can_write(user, organization: Organization) -> bool:
    """Whether `user` keeps the results work of `organization` (a municipality, region or school)."""
    return Organization.objects.filter(
        access.managed_q(user, roles_=access.EDIT_FLAGS), pk=organization.pk
    ).exists()


def _require_writer(actor: User, organization: Organization) -> None:
    if not can_write(actor, organization):
        raise DomainError(NOT_WRITER)


@transaction.atomic
def flag_from_markers(*, actor: User, school: Organization, year: int) -> tuple[UnobjectivityFlag, str]:
    """Flag the school for `year` with the markers its results show («муниципальный анализ»): the
    subjects, grades and every marker's text go into the flag. Refused without markers."""
    _require_writer(actor, school)
    markers = [m for m in analyse(area=school, years=[year]).markers if m.year == year]
    if not markers:
        raise DomainError(f"У ОО «{school}» нет маркеров в результатах ВПР-{year}: отмечать нечего.")
    return flag_record(
        actor=actor,
        school=school,
        year=year,
        source=FlagSource.MUNICIPAL,
        subjects=sorted({m.subject for m in markers}),
        grades=sorted({str(m.grade) for m in markers}, key=int),
        markers="\n".join(m.line() for m in markers),
        note="Отмечено по маркерам результатов ВПР (муниципальный анализ). Маркеры — признаки, требующие "
        "внимания, а не вывод о необъективности.",
    )


# Rechecks ----------------------------------------------------------------------------------------


@transaction.atomic
def recheck_create(
    *,
    actor: User,
    school: Organization,
    year: int,
    subject: str,
    grade: int,
    task_max_scores: list[int],
    starts_on: date,
    ends_on: date,
    basis: str = "",
    commission_order: str = "",
) -> Recheck:
    """Plan a recheck of a school's works; it must end while the works are kept."""
    _require_writer(actor, school)
    recheck = Recheck(
        municipality_id=school.municipality_id,
        school=school,
        year=year,
        subject=subject,
        grade=grade,
        task_max_scores=task_max_scores,
        starts_on=starts_on,
        ends_on=ends_on,
        works_kept_until=works_kept_until(year),
        basis=basis,
        commission_order=commission_order,
        created_by=actor,
    )
    recheck.full_clean()
    recheck.save()
    audit(actor, "recheck.created", recheck, organization=school, ends_on=str(ends_on))
    return recheck


def _require_open(actor: User, recheck: Recheck) -> None:
    _require_writer(actor, recheck.school)
    if recheck.is_finished:
        raise DomainError("Перепроверка завершена: изменить её нельзя.")


@transaction.atomic
def recheck_expert_add(
    *,
    actor: User,
    recheck: Recheck,
    full_name: str,
    workplace: Organization,
    position: str = "",
    is_chair: bool = False,
    teaches_school: Organization | None = None,
    teaches_classes: str = "",
) -> RecheckExpert:
    """Add a member to the commission: not from the school, not teaching a rechecked class."""
    _require_open(actor, recheck)
    problems = rechecks.expert_problems(
        recheck=recheck,
        full_name=full_name,
        workplace_id=workplace.pk,
        teaches_school_id=teaches_school.pk if teaches_school else None,
        teaches_classes=teaches_classes,
        work_classes=set(recheck.works.values_list("class_label", flat=True)),
    )
    if problems:
        raise DomainError(" ".join(problems))
    if is_chair and recheck.experts.filter(is_chair=True).exists():
        raise DomainError("Председатель комиссии уже назначен.")
    expert = RecheckExpert(
        recheck=recheck, full_name=full_name, position=position, workplace=workplace, is_chair=is_chair,
        teaches_school=teaches_school, teaches_classes=teaches_classes,
    )  # fmt: skip
    expert.full_clean()
    expert.save()
    audit(actor, "recheck.expert_added", recheck, organization=recheck.school, expert=full_name)
    return expert


@transaction.atomic
def recheck_work_add(
    *, actor: User, recheck: Recheck, participant_code: str, class_label: str, original_scores: list[int]
) -> RecheckWork:
    """Select a work for the recheck with the school's scores per task. Refused when a member of
    the commission teaches its class."""
    _require_open(actor, recheck)
    label = rechecks.check_class(recheck, class_label)
    rechecks.check_scores(original_scores, recheck.task_max_scores, "Баллы ОО")
    if recheck.works.filter(participant_code=participant_code).exists():
        raise DomainError(f"Работа участника {participant_code} уже выбрана.")
    for expert in recheck.experts.all():
        problems = rechecks.expert_problems(
            recheck=recheck,
            full_name=expert.full_name,
            workplace_id=expert.workplace_id,
            teaches_school_id=expert.teaches_school_id,
            teaches_classes=expert.teaches_classes,
            work_classes={label},
        )
        if problems:
            raise DomainError(" ".join(problems) + " Замените члена комиссии или выберите другую работу.")
    work = RecheckWork(
        recheck=recheck, participant_code=participant_code, class_label=label, original_scores=original_scores
    )
    work.full_clean()
    work.save()
    audit(actor, "recheck.work_added", recheck, organization=recheck.school, work=participant_code)
    return work


@transaction.atomic
def recheck_work_score(
    *, actor: User, work: RecheckWork, rechecked_scores: list[int], expert: RecheckExpert | None = None, today=None
) -> RecheckWork:
    """Record the commission's scores of one work, while the works are still kept."""
    recheck = work.recheck
    _require_open(actor, recheck)
    today = today or timezone.localdate()
    if today > recheck.works_kept_until:
        raise DomainError(
            f"Работы хранились до {recheck.works_kept_until:%d.%m.%Y}: перепроверять уже нечего."
        )
    rechecks.check_scores(rechecked_scores, recheck.task_max_scores, "Баллы перепроверки")
    if expert is not None and expert.recheck_id != recheck.pk:
        raise DomainError("Эксперт не из комиссии этой перепроверки.")
    before = list(work.rechecked_scores)
    work.rechecked_scores = rechecked_scores
    work.expert = expert
    work.full_clean()
    work.save()
    audit(
        actor, "recheck.work_scored", work, organization=recheck.school, before=before, after=rechecked_scores,
        original=work.original_scores,
    )  # fmt: skip
    return work


@transaction.atomic
def recheck_finish(*, actor: User, recheck: Recheck, conclusion: str, today=None) -> Recheck:
    """Close the recheck: every work rechecked, a commission, and not after the keeping period."""
    _require_open(actor, recheck)
    today = today or timezone.localdate()
    if today > recheck.works_kept_until:
        raise DomainError(
            f"Работы хранились до {recheck.works_kept_until:%d.%m.%Y}: завершить перепроверку после этой даты "
            "нельзя."
        )
    if not recheck.experts.exists():
        raise DomainError("В комиссии никого нет.")
    works = list(recheck.works.all())
    if not works:
        raise DomainError("Не выбрано ни одной работы.")
    left = [w.participant_code for w in works if not w.is_rechecked]
    if left:
        raise DomainError(f"Не перепроверены работы: {', '.join(left)}.")
    recheck.status = RecheckStatus.FINISHED
    recheck.finished_on = today
    recheck.conclusion = conclusion.strip()
    recheck.save(update_fields=["status", "finished_on", "conclusion", "updated_at"])
    audit(actor, "recheck.finished", recheck, organization=recheck.school, works=len(works))
    return recheck
