"""VPR results as ФИС ОКО reports them, the federal score-to-mark scales, and rechecks
(перепроверки) of a school's works by a municipal commission."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from results.choices import RecheckStatus
from schools.choices import OrgKind
from vprplan.models import TimeStampedModel

GRADE_VALIDATORS = [MinValueValidator(2), MaxValueValidator(11)]


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


class GradingScale(TimeStampedModel):
    """The scale of one VPR (year, subject, grade): the least primary score for «3», «4» and «5».

    Published by Рособрнадзор for the whole country, so it is a catalogue (Django admin), not a
    tenant's data. Without it the boundary-peak marker is not computed for that work.
    """

    year = models.PositiveSmallIntegerField("год ВПР", validators=[MinValueValidator(2015)])
    subject = models.CharField("предмет", max_length=100)
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    max_score = models.PositiveSmallIntegerField("максимальный первичный балл")
    min_3 = models.PositiveSmallIntegerField("наименьший балл для «3»")
    min_4 = models.PositiveSmallIntegerField("наименьший балл для «4»")
    min_5 = models.PositiveSmallIntegerField("наименьший балл для «5»")

    class Meta:
        verbose_name = "шкала перевода баллов ВПР"
        verbose_name_plural = "шкалы перевода баллов ВПР"
        ordering = ["-year", "subject", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["year", "subject", "grade"], name="grading_scale_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject}, {self.grade} класс, {self.year}: 3 от {self.min_3}, 4 от {self.min_4}, 5 от {self.min_5}"

    def clean(self) -> None:
        if not (0 < self.min_3 < self.min_4 < self.min_5 <= self.max_score):
            raise ValidationError("Границы отметок должны расти: 0 < «3» < «4» < «5» ≤ максимального балла.")

    @property
    def boundaries(self) -> list[tuple[int, int]]:
        """(mark, least score) for «3», «4», «5»."""
        return [(3, self.min_3), (4, self.min_4), (5, self.min_5)]

    def mark(self, score: int) -> int:
        return 5 if score >= self.min_5 else 4 if score >= self.min_4 else 3 if score >= self.min_3 else 2


class VprResult(TimeStampedModel):
    """One organisation's results of one VPR (year, subject, grade), as the ФИС ОКО exports give
    them: the marks «2»–«5», the primary score distribution and the comparison with the journal.

    The organisation is a school, or a municipality or region (their totals, the reference the
    markers compare with). Every part is optional: each export fills its own fields.
    """

    organization = models.ForeignKey(
        "schools.Organization",
        verbose_name="организация",
        on_delete=models.CASCADE,
        related_name="vpr_results",
    )
    year = models.PositiveSmallIntegerField("год ВПР", validators=[MinValueValidator(2015)])
    subject = models.CharField("предмет", max_length=100)
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    participants = models.PositiveIntegerField("участников", default=0)
    marks_2 = models.PositiveIntegerField("«2»", null=True, blank=True)
    marks_3 = models.PositiveIntegerField("«3»", null=True, blank=True)
    marks_4 = models.PositiveIntegerField("«4»", null=True, blank=True)
    marks_5 = models.PositiveIntegerField("«5»", null=True, blank=True)
    scores = models.JSONField(
        "распределение первичных баллов",
        default=list,
        blank=True,
        help_text="Число участников за 0, 1, 2… баллов.",
    )
    lowered = models.PositiveIntegerField("понизили (отметка < отметки по журналу)", null=True, blank=True)
    confirmed = models.PositiveIntegerField("подтвердили", null=True, blank=True)
    raised = models.PositiveIntegerField("повысили (отметка > отметки по журналу)", null=True, blank=True)

    class Meta:
        verbose_name = "результат ВПР"
        verbose_name_plural = "результаты ВПР"
        ordering = ["-year", "subject", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "subject", "grade"], name="vpr_result_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "subject", "grade"])]

    def __str__(self) -> str:
        return f"{self.organization}: {self.subject}, {self.grade} класс, {self.year}"

    @property
    def marks(self) -> tuple[int, int, int, int] | None:
        values = (self.marks_2, self.marks_3, self.marks_4, self.marks_5)
        return None if None in values else values  # type: ignore[return-value]

    @property
    def journal(self) -> tuple[int, int, int] | None:
        values = (self.lowered, self.confirmed, self.raised)
        return None if None in values else values  # type: ignore[return-value]


def works_kept_until(year: int):
    """The last day the works of a year's VPR are kept (settings.VPR_WORKS_KEPT_UNTIL, «MM-DD» of
    the year after the VPR when prefixed with «+1-»): a recheck must end by then."""
    value = settings.VPR_WORKS_KEPT_UNTIL
    shift = 0
    if value.startswith("+"):
        offset, value = value[1:].split("-", 1)
        shift = int(offset)
    month, day = (int(part) for part in value.split("-"))
    return date(year + shift, month, day)


class Recheck(TimeStampedModel):
    """A перепроверка: a municipal commission rechecks selected works of one school's VPR (year,
    subject, grade), task by task, and reports the discrepancies. It must end while the works are
    still kept (`works_kept_until`)."""

    municipality = models.ForeignKey(
        "schools.Organization",
        verbose_name="муниципалитет",
        on_delete=models.PROTECT,
        related_name="rechecks",
        limit_choices_to={"kind": OrgKind.MUNICIPALITY},
    )
    school = models.ForeignKey(
        "schools.Organization",
        verbose_name="ОО, работы которой перепроверяются",
        on_delete=models.PROTECT,
        related_name="rechecked",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    year = models.PositiveSmallIntegerField("год ВПР", validators=[MinValueValidator(2015)])
    subject = models.CharField("предмет", max_length=100)
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    basis = models.TextField("основание", blank=True, help_text="Например: маркеры муниципального анализа.")
    commission_order = models.CharField(
        "приказ о комиссии", max_length=200, blank=True, help_text="«Приказ от 12.05.2025 № 87»"
    )
    task_max_scores = models.JSONField("максимальные баллы по заданиям", default=list)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание (план)")
    works_kept_until = models.DateField("работы хранятся до")
    status = models.CharField(
        "состояние", max_length=16, choices=RecheckStatus.choices, default=RecheckStatus.PLANNED
    )
    finished_on = models.DateField("завершена", null=True, blank=True)
    conclusion = models.TextField("выводы комиссии", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="создал", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "перепроверка работ ВПР"
        verbose_name_plural = "перепроверки работ ВПР"
        ordering = ["-year", "-starts_on"]

    def __str__(self) -> str:
        return f"Перепроверка: {self.school}, {self.subject}, {self.grade} класс, ВПР-{self.year}"

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Окончание раньше начала."
        if self.ends_on and self.works_kept_until and self.ends_on > self.works_kept_until:
            errors["ends_on"] = (
                f"Работы участников хранятся до {self.works_kept_until:%d.%m.%Y}: перепроверка должна "
                "закончиться не позже этой даты."
            )
        if not self.task_max_scores or any(
            not isinstance(s, int) or isinstance(s, bool) or s < 1 for s in self.task_max_scores
        ):
            errors["task_max_scores"] = "Укажите максимальный балл каждого задания (целые числа от 1)."
        if self.school_id and self.municipality_id and self.school.municipality_id != self.municipality_id:
            errors["school"] = "ОО не относится к этому муниципалитету."
        if errors:
            raise ValidationError(errors)

    @property
    def is_finished(self) -> bool:
        return self.status == RecheckStatus.FINISHED

    @property
    def tasks(self) -> int:
        return len(self.task_max_scores)


class RecheckExpert(TimeStampedModel):
    """A member of the recheck commission. He may not work at the school whose works are
    rechecked, nor teach (say, part-time) a class whose works are rechecked."""

    recheck = models.ForeignKey(
        Recheck, verbose_name="перепроверка", on_delete=models.CASCADE, related_name="experts"
    )
    full_name = models.CharField("ФИО", max_length=200)
    position = models.CharField("должность", max_length=200, blank=True)
    workplace = models.ForeignKey(
        "schools.Organization", verbose_name="место работы", on_delete=models.PROTECT, related_name="+"
    )
    is_chair = models.BooleanField("председатель комиссии", default=False)
    teaches_school = models.ForeignKey(
        "schools.Organization",
        verbose_name="ведёт уроки также в ОО",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Совместительство, если есть.",
    )
    teaches_classes = models.CharField(
        "классы, в которых ведёт уроки там", max_length=200, blank=True, help_text="Например «5 А, 6 Б»."
    )

    class Meta:
        verbose_name = "член комиссии по перепроверке"
        verbose_name_plural = "комиссия по перепроверке"
        ordering = ["-is_chair", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class RecheckWork(TimeStampedModel):
    """One participant's work selected for the recheck: the original and the rechecked score of
    every task (lists as long as the recheck's tasks; `rechecked_scores` empty until rechecked)."""

    recheck = models.ForeignKey(
        Recheck, verbose_name="перепроверка", on_delete=models.CASCADE, related_name="works"
    )
    participant_code = models.CharField("код участника", max_length=20)
    class_label = models.CharField("класс", max_length=10, help_text="Например «5 А».")
    expert = models.ForeignKey(
        RecheckExpert,
        verbose_name="эксперт",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="works",
    )
    original_scores = models.JSONField("баллы ОО по заданиям", default=list)
    rechecked_scores = models.JSONField("баллы перепроверки по заданиям", default=list, blank=True)

    class Meta:
        verbose_name = "работа на перепроверке"
        verbose_name_plural = "работы на перепроверке"
        ordering = ["class_label", "participant_code"]
        constraints = [
            models.UniqueConstraint(fields=["recheck", "participant_code"], name="recheck_work_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant_code} ({self.class_label})"

    @property
    def is_rechecked(self) -> bool:
        return bool(self.rechecked_scores)
