"""The VPR campaign of a year in a region and each school's schedule of sessions (DESIGN.md §2)."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from schools.choices import OrgKind
from schools.models.organizations import Organization
from vprplan.calendar import is_working_day
from vprplan.models import TimeStampedModel

# The subjects of the VPR (Рособрнадзор's schedule); the form offers them, any text is accepted.
VPR_SUBJECTS = [
    "Русский язык",
    "Математика",
    "Окружающий мир",
    "История",
    "Обществознание",
    "Биология",
    "География",
    "Физика",
    "Химия",
    "Литература",
    "Информатика",
    "Иностранный язык (английский)",
    "Иностранный язык (немецкий)",
    "Иностранный язык (французский)",
]
WEEKDAYS = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
# A session with a start but no end is taken to last this long (two lessons: the longest VPR).
DEFAULT_DURATION = timedelta(minutes=90)


class SessionForm(models.TextChoices):
    PAPER = "paper", "бумажная"
    COMPUTER = "computer", "компьютерная"


class VprCampaign(TimeStampedModel):
    """The VPR of one year in one region: the window the schools schedule their sessions in and
    the date results come back. Sessions, observers' assignments and acts hang from it."""

    region = models.ForeignKey(
        Organization,
        verbose_name="регион",
        on_delete=models.PROTECT,
        related_name="vpr_campaigns",
        limit_choices_to={"kind": OrgKind.REGION},
    )
    year = models.PositiveSmallIntegerField("год ВПР", validators=[MinValueValidator(2015)])
    starts_on = models.DateField("начало проведения")
    ends_on = models.DateField("окончание проведения")
    results_on = models.DateField("получение результатов", null=True, blank=True)
    note = models.TextField("примечание", blank=True)

    class Meta:
        verbose_name = "кампания ВПР"
        verbose_name_plural = "кампании ВПР"
        ordering = ["-year", "region__name"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="vpr_campaign_unique")]

    def __str__(self) -> str:
        return f"ВПР-{self.year}, {self.region}"

    def clean(self) -> None:
        errors = {}
        if self.region_id and self.region.kind != OrgKind.REGION:
            errors["region"] = "Кампания ВПР проводится в регионе."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Окончание раньше начала."
        if self.results_on and self.ends_on and self.results_on < self.ends_on:
            errors["results_on"] = "Результаты не могут прийти раньше окончания проведения."
        if self.starts_on and self.year and self.starts_on.year != self.year:
            errors["starts_on"] = f"Начало проведения не в {self.year} году."
        if errors:
            raise ValidationError(errors)


class VprSession(TimeStampedModel):
    """One VPR work at one school: subject, grade and classes on a date, in a form and auditoriums.

    Entered by the school coordinator or imported; a date outside the campaign's window or on a
    day off is allowed (schools do move sessions) but always shown with a warning.
    """

    campaign = models.ForeignKey(
        VprCampaign, verbose_name="кампания", on_delete=models.PROTECT, related_name="sessions"
    )
    school = models.ForeignKey(
        Organization,
        verbose_name="ОО",
        on_delete=models.PROTECT,
        related_name="vpr_sessions",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    subject = models.CharField("предмет", max_length=100)
    grade = models.PositiveSmallIntegerField(
        "класс (параллель)", validators=[MinValueValidator(2), MaxValueValidator(11)]
    )
    class_letters = models.CharField(
        "литеры классов", max_length=50, blank=True, help_text="Например «А, Б»."
    )
    date = models.DateField("дата")
    starts_at = models.TimeField("начало", null=True, blank=True)
    ends_at = models.TimeField("окончание", null=True, blank=True)
    form = models.CharField("форма", max_length=16, choices=SessionForm.choices, default=SessionForm.PAPER)
    auditoriums = models.CharField(
        "аудитории", max_length=200, blank=True, help_text="Например «каб. 12, 14»."
    )
    participants = models.PositiveSmallIntegerField("участников", default=0)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "работа ВПР (график ОО)"
        verbose_name_plural = "график ВПР"
        ordering = ["date", "starts_at", "school__name", "grade", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school", "subject", "grade", "class_letters"], name="vpr_session_unique"
            )
        ]
        indexes = [models.Index(fields=["campaign", "date"]), models.Index(fields=["school", "campaign"])]

    def __str__(self) -> str:
        return f"{self.subject}, {self.classes_label} — {self.date:%d.%m.%Y}"

    @property
    def classes_label(self) -> str:
        """«4 А, Б» or «4 кл.»: the grade with its class letters."""
        return f"{self.grade} {self.class_letters}".strip() if self.class_letters else f"{self.grade} кл."

    @property
    def time_label(self) -> str:
        if self.starts_at and self.ends_at:
            return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        return f"{self.starts_at:%H:%M}" if self.starts_at else ""

    def clean(self) -> None:
        errors = {}
        if self.school_id and self.school.kind != OrgKind.SCHOOL:
            errors["school"] = "Выберите образовательную организацию."
        elif self.school_id and self.campaign_id and self.school.region_id != self.campaign.region_id:
            errors["school"] = "ОО не относится к региону этой кампании ВПР."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "Окончание должно быть позже начала."
        if errors:
            raise ValidationError(errors)

    def schedule_warnings(self) -> list[str]:
        """What is odd about the date, in Russian: outside the window, a weekend or a holiday."""
        return date_warnings(self.date, self.campaign)


def date_warnings(day: date | None, campaign: VprCampaign | None) -> list[str]:
    if day is None:
        return []
    found = []
    if campaign is not None and not (campaign.starts_on <= day <= campaign.ends_on):
        found.append(
            f"Дата {day:%d.%m.%Y} вне сроков проведения ВПР "
            f"({campaign.starts_on:%d.%m.%Y} — {campaign.ends_on:%d.%m.%Y})."
        )
    if not is_working_day(day):
        kind = "выходной день" if day.weekday() >= 5 else "нерабочий праздничный день"
        found.append(f"{day:%d.%m.%Y} ({WEEKDAYS[day.weekday()]}) — {kind} по производственному календарю.")
    return found


def busy_interval(day: date, starts_at: time | None, ends_at: time | None) -> tuple[datetime, datetime]:
    """The time a session takes: its hours, 90 minutes from a bare start, or the whole day."""
    if starts_at is None:
        return datetime.combine(day, time.min), datetime.combine(day + timedelta(days=1), time.min)
    start = datetime.combine(day, starts_at)
    return start, datetime.combine(day, ends_at) if ends_at else start + DEFAULT_DURATION
