"""Public observers of the VPR: the municipal registry, assignments to sessions, observation acts."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from observers.choices import ActStage, AssignmentStatus, ObserverKind
from schools.choices import OrgKind
from schools.models import Organization, VprSession
from vprplan.calendar import add_working_days
from vprplan.models import TimeStampedModel


class Observer(TimeStampedModel):
    """A public observer (общественный наблюдатель) in a municipality's registry.

    Where he works and where his children study decide where he may not observe; accreditation,
    training and consent to personal-data processing (152-ФЗ) decide whether he may observe at all.
    Contacts are for the municipal staff only. `user` links his account (role «observer»), so he
    sees his assignments and files his acts.
    """

    municipality = models.ForeignKey(
        Organization,
        verbose_name="муниципалитет",
        on_delete=models.PROTECT,
        related_name="observers",
        limit_choices_to={"kind": OrgKind.MUNICIPALITY},
    )
    full_name = models.CharField("ФИО", max_length=200)
    kind = models.CharField("статус наблюдателя", max_length=16, choices=ObserverKind.choices)
    organization_name = models.CharField(
        "место работы / организация",
        max_length=300,
        blank=True,
        help_text="Например «Коми республиканское отделение РСМ» или «администрация МО».",
    )
    workplace_school = models.ForeignKey(
        Organization,
        verbose_name="работает в ОО",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    children_schools = models.ManyToManyField(
        Organization,
        verbose_name="ОО, где учатся дети",
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    phone = models.CharField("телефон", max_length=64, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    accreditation_number = models.CharField("номер удостоверения", max_length=64, blank=True)
    accreditation_date = models.DateField("дата аккредитации", null=True, blank=True)
    accreditation_issued_by = models.CharField("кем аккредитован", max_length=300, blank=True)
    trained_on = models.DateField("дата обучения", null=True, blank=True)
    consent_given = models.BooleanField("согласие на обработку ПДн (152-ФЗ)", default=False)
    consent_date = models.DateField("дата согласия", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observer_records",
    )
    is_active = models.BooleanField("в реестре", default=True)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "общественный наблюдатель"
        verbose_name_plural = "общественные наблюдатели"
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "full_name"], name="observer_unique_name"),
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(user__isnull=False),
                name="observer_unique_user",
                violation_error_message="Эта учётная запись уже связана с другим наблюдателем муниципалитета.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        errors = {}
        if self.municipality_id and self.municipality.kind != OrgKind.MUNICIPALITY:
            errors["municipality"] = "Реестр наблюдателей ведёт муниципалитет."
        if self.workplace_school_id and self.workplace_school.kind != OrgKind.SCHOOL:
            errors["workplace_school"] = "Выберите образовательную организацию."
        if self.consent_date and not self.consent_given:
            errors["consent_given"] = "Указана дата согласия, но согласие не отмечено."
        if self.accreditation_number and not self.accreditation_date:
            errors["accreditation_date"] = "Укажите дату аккредитации."
        if errors:
            raise ValidationError(errors)


class Assignment(TimeStampedModel):
    """An observer at a session (and, if the school asks, an auditorium): planned → confirmed →
    attended / absent. Created only by observers.services.observer_assign, which enforces the rules."""

    session = models.ForeignKey(
        VprSession, verbose_name="работа ВПР", on_delete=models.PROTECT, related_name="assignments"
    )
    observer = models.ForeignKey(
        Observer, verbose_name="наблюдатель", on_delete=models.PROTECT, related_name="assignments"
    )
    auditorium = models.CharField("аудитория", max_length=100, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PLANNED
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="назначил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField("состояние изменено", null=True, blank=True)

    class Meta:
        verbose_name = "назначение наблюдателя"
        verbose_name_plural = "назначения наблюдателей"
        ordering = ["session__date", "session__starts_at", "observer__full_name"]
        constraints = [models.UniqueConstraint(fields=["session", "observer"], name="assignment_unique")]
        indexes = [models.Index(fields=["observer", "status"])]

    def __str__(self) -> str:
        return f"{self.observer} → {self.session}"

    @property
    def act_due_on(self) -> date:
        return act_due_on(self.session.date)


def act_due_on(session_date: date) -> date:
    """The act reaches the municipal coordinator by the end of the next working day."""
    return add_working_days(session_date, 1)


def act_scan_path(instance: "Act", filename: str) -> str:
    # A random name: the original one is kept in the row, never in a path someone could guess.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"private/observer-acts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Act(TimeStampedModel):
    """An observation act (акт общественного наблюдения) for one stage of a session: what the
    observer saw, violations, his comment and the signed scan (PDF, JPG or PNG, stored privately)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="назначение", on_delete=models.PROTECT, related_name="acts"
    )
    stage = models.CharField("этап", max_length=16, choices=ActStage.choices, default=ActStage.CONDUCT)
    violations_found = models.BooleanField("выявлены нарушения", default=False)
    violations = models.TextField("нарушения", blank=True)
    comment = models.TextField("комментарий", blank=True)
    scan = models.FileField("скан акта", upload_to=act_scan_path, blank=True, max_length=200)
    scan_name = models.CharField("имя файла", max_length=255, blank=True)
    scan_type = models.CharField("тип файла", max_length=50, blank=True)
    submitted_at = models.DateTimeField("подан")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="подал", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "акт общественного наблюдения"
        verbose_name_plural = "акты общественного наблюдения"
        ordering = ["assignment__session__date", "stage"]
        constraints = [models.UniqueConstraint(fields=["assignment", "stage"], name="act_unique_stage")]

    def __str__(self) -> str:
        return f"Акт ({self.get_stage_display()}): {self.assignment}"

    def clean(self) -> None:
        if self.violations_found and not self.violations.strip():
            raise ValidationError({"violations": "Опишите выявленные нарушения."})

    @property
    def is_late(self) -> bool:
        """Filed after the end of the day it was due (in the school's time zone)."""
        session = self.assignment.session
        return timezone.localdate(self.submitted_at, session.school.tz) > act_due_on(session.date)
