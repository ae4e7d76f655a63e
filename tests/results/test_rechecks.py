"""Rechecks: the commission's rules with their messages, the keeping period, scores per task and
the discrepancies report."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from results import services
from results.models import GradingScale, works_kept_until
from vprplan.errors import DomainError
from vprplan.models import AuditEvent

pytestmark = pytest.mark.django_db
TASKS = [1, 1, 2, 2, 3]  # 9 points


@pytest.fixture
def recheck(world):
    return services.recheck_create(
        actor=world.coordinator, school=world.s1, year=2025, subject="Математика", grade=5, task_max_scores=TASKS,
        starts_on=date(2025, 5, 20), ends_on=date(2025, 6, 10), basis="Маркеры муниципального анализа",
    )  # fmt: skip


def add_expert(w, recheck, **kwargs):
    values = {"full_name": "Орлова А.В.", "workplace": w.s2, **kwargs}
    return services.recheck_expert_add(actor=w.coordinator, recheck=recheck, **values)


def test_a_recheck_keeps_the_works_keeping_date_and_is_audited(recheck):
    assert (
        recheck.works_kept_until == date(2025, 12, 31)
        and recheck.municipality_id == recheck.school.municipality_id
    )
    assert AuditEvent.objects.filter(action="recheck.created", object_id=str(recheck.pk)).exists()


def test_a_recheck_cannot_end_after_the_works_are_destroyed(world):
    with pytest.raises(ValidationError, match="Работы участников хранятся до 31.12.2025"):
        services.recheck_create(
            actor=world.coordinator, school=world.s1, year=2025, subject="Математика", grade=5, task_max_scores=TASKS,
            starts_on=date(2025, 12, 1), ends_on=date(2026, 1, 15),
        )  # fmt: skip


@override_settings(VPR_WORKS_KEPT_UNTIL="+1-03-01")
def test_the_keeping_period_is_a_setting():
    assert works_kept_until(2025) == date(2026, 3, 1)


def test_only_the_coordinator_or_the_regional_admin_plans_rechecks(world):
    for user in (world.head, world.specialist, world.school, world.neighbour_coordinator):
        with pytest.raises(DomainError, match="муниципальный координатор"):
            services.recheck_create(
                actor=user, school=world.s1, year=2025, subject="Математика", grade=5, task_max_scores=TASKS,
                starts_on=date(2025, 5, 20), ends_on=date(2025, 6, 10),
            )  # fmt: skip


def test_an_expert_from_the_school_itself_is_refused_with_the_reason(world, recheck):
    with pytest.raises(DomainError) as refused:
        add_expert(world, recheck, full_name="Иванова Н.П.", workplace=world.s1)
    assert str(refused.value) == (
        "Иванова Н.П. работает в ОО «Школа 1», работы которой перепроверяются: в комиссию включают педагогов "
        "других ОО."
    )
    assert not recheck.experts.exists()


def test_an_expert_teaching_a_rechecked_class_is_refused_either_way(world, recheck):
    services.recheck_work_add(actor=world.coordinator, recheck=recheck, participant_code="10051", class_label="5а",
                              original_scores=[1, 1, 2, 2, 3])  # fmt: skip
    with pytest.raises(DomainError, match="Петров С.И. ведёт уроки в классе 5 А ОО «Школа 1»"):
        add_expert(
            world, recheck, full_name="Петров С.И.", teaches_school=world.s1, teaches_classes="5 A, 6 Б"
        )
    # Teaching another class there (part-time) is allowed…
    expert = add_expert(
        world, recheck, full_name="Петров С.И.", teaches_school=world.s1, teaches_classes="6 Б, 7"
    )
    # …until a work of his class is selected: the refusal names him.
    services.recheck_work_add(actor=world.coordinator, recheck=recheck, participant_code="10052", class_label="5 Б",
                              original_scores=[0, 1, 2, 2, 3])  # fmt: skip
    expert.teaches_classes = "5"
    expert.save()
    with pytest.raises(DomainError, match="ведёт уроки в классе 5 В .* Замените члена комиссии"):
        services.recheck_work_add(actor=world.coordinator, recheck=recheck, participant_code="10053",
                                  class_label="5В", original_scores=[0, 0, 0, 0, 0])  # fmt: skip


def test_works_and_scores_are_checked_task_by_task(world, recheck):
    add = dict(actor=world.coordinator, recheck=recheck, participant_code="1")
    with pytest.raises(DomainError, match="нужно 5 значений — по одному на задание, а указано 4"):
        services.recheck_work_add(**add, class_label="5 А", original_scores=[1, 1, 2, 2])
    with pytest.raises(DomainError, match="задание 3 — балл 4 больше максимального \\(2\\)"):
        services.recheck_work_add(**add, class_label="5 А", original_scores=[1, 1, 4, 2, 3])
    with pytest.raises(DomainError, match="не 5 класса"):
        services.recheck_work_add(**add, class_label="6 А", original_scores=[1, 1, 2, 2, 3])


def test_the_discrepancies_report(world, recheck):
    from results import rechecks

    GradingScale.objects.create(
        year=2025, subject="Математика", grade=5, max_score=9, min_3=3, min_4=6, min_5=8
    )
    expert = add_expert(world, recheck)
    works = [
        services.recheck_work_add(
            actor=world.coordinator,
            recheck=recheck,
            participant_code=code,
            class_label="5 А",
            original_scores=scores,
        )  # fmt: skip
        for code, scores in (("1", [1, 1, 2, 2, 3]), ("2", [1, 0, 2, 1, 2]), ("3", [0, 0, 1, 1, 1]))
    ]
    day = date(2025, 6, 1)
    services.recheck_work_score(actor=world.coordinator, work=works[0], rechecked_scores=[1, 1, 1, 1, 1],
                                expert=expert, today=day)  # fmt: skip
    services.recheck_work_score(
        actor=world.coordinator, work=works[1], rechecked_scores=[1, 0, 2, 1, 2], today=day
    )
    recheck.refresh_from_db()
    report = rechecks.discrepancies(recheck, list(recheck.works.all()), GradingScale.objects.get())
    assert [(w.original, w.rechecked, w.original_mark, w.rechecked_mark) for w in report.works] == [
        (9, 5, 5, 3), (6, 6, 4, 4), (3, None, 3, None)
    ]  # fmt: skip
    assert report.works[0].changed_tasks == [(3, 2, 1), (4, 2, 1), (5, 3, 1)]
    assert (report.with_discrepancy, report.lowered, report.raised, report.marks_changed) == (1, 1, 0, 1)
    assert [t.changed for t in report.tasks] == [0, 0, 1, 1, 1] and report.mean_difference == -2
    event = AuditEvent.objects.filter(action="recheck.work_scored").first()
    assert event.data["before"] == [] and event.data["after"] in ([1, 1, 1, 1, 1], [1, 0, 2, 1, 2])


def test_finishing_needs_every_work_and_the_works_still_kept(world, recheck):
    add_expert(world, recheck)
    work = services.recheck_work_add(actor=world.coordinator, recheck=recheck, participant_code="1",
                                     class_label="5 А", original_scores=[1, 1, 2, 2, 3])  # fmt: skip
    with pytest.raises(DomainError, match="Не перепроверены работы: 1."):
        services.recheck_finish(
            actor=world.coordinator, recheck=recheck, conclusion="…", today=date(2025, 6, 1)
        )
    with pytest.raises(DomainError, match="Работы хранились до 31.12.2025: перепроверять уже нечего"):
        services.recheck_work_score(actor=world.coordinator, work=work, rechecked_scores=[1, 1, 2, 2, 3],
                                    today=date(2026, 1, 10))  # fmt: skip
    services.recheck_work_score(actor=world.coordinator, work=work, rechecked_scores=[1, 1, 2, 2, 3],
                                today=date(2025, 6, 1))  # fmt: skip
    with pytest.raises(DomainError, match="завершить перепроверку после этой даты нельзя"):
        services.recheck_finish(
            actor=world.coordinator, recheck=recheck, conclusion="…", today=date(2026, 1, 2)
        )
    services.recheck_finish(actor=world.coordinator, recheck=recheck, conclusion="Расхождений нет.",
                            today=date(2025, 6, 5))  # fmt: skip
    assert recheck.is_finished and recheck.finished_on == date(2025, 6, 5)
    with pytest.raises(DomainError, match="Перепроверка завершена"):
        add_expert(world, recheck, full_name="Позднее Н.Н.")
