"""Plans: sections of numbered activities with deadlines and responsible roles and persons."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from activities.choices import (
    COLUMN_LABELS,
    DEFAULT_COLUMNS,
    DeadlineKind,
    ExecutionLevel,
    Numbering,
    PlanKind,
    PlanStatus,
    TargetKind,
)
from schools.choices import OrgKind, Role
from vprplan.models import TimeStampedModel

# A plan covers at most a few years, inside years anyone plans for: every due date, execution and
# page of a plan is computed over its period, so the period bounds the work (0001–9999 did not).
PLAN_PERIOD_MAX_YEARS = 5
PLAN_YEARS = (2000, 2100)
PERIOD_HELP = f"План охватывает не более {PLAN_PERIOD_MAX_YEARS} лет, годы — с {PLAN_YEARS[0]} по {PLAN_YEARS[1]}."


def period_problem(start, end) -> str:
    """Why [start, end] is no plan period (a Russian sentence), or «» when it is one."""
    if not start or not end:
        return ""
    if start > end:
        return "Конец периода раньше его начала."
    if start.year < PLAN_YEARS[0] or end.year > PLAN_YEARS[1]:
        return f"Годы периода плана — с {PLAN_YEARS[0]} по {PLAN_YEARS[1]}: проверьте даты."
    if (end - start).days > PLAN_PERIOD_MAX_YEARS * 366:
        return (
            f"План охватывает не более {PLAN_PERIOD_MAX_YEARS} лет: укажите период короче "
            "(например, учебный год или 2024–2026 годы)."
        )
    return ""


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def plan_numbers(numbering: str, titles: list[str]) -> list[tuple[str, str]]:
    """For sections in order (given by their titles): each one's number and the prefix of its
    activities' numbers. A section without a title is implicit (a plan without sections in its
    document, or the rows above the first heading): it has no number, takes none from the real
    sections, and its activities are numbered 1, 2, 3 as the document numbers them."""
    out, count = [], 0
    for title in titles:
        if not (title or "").strip():
            out.append(("", ""))
            continue
        count += 1
        out.append((to_roman(count) if numbering == Numbering.ROMAN else str(count), f"{count}."))
    return out


def default_columns() -> list:
    return [list(pair) for pair in DEFAULT_COLUMNS]


class Plan(TimeStampedModel):
    """A plan of activities (план мероприятий / дорожная карта) of a region, municipality or school."""

    owner = models.ForeignKey(
        "schools.Organization",
        verbose_name="организация",
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.TextField("наименование")
    kind = models.CharField("вид", max_length=16, choices=PlanKind.choices, default=PlanKind.PLAN)
    period_text = models.CharField(
        "период (как в документе)", max_length=200, blank=True, help_text="«2023-2024 учебный год»"
    )
    period_start = models.DateField("начало периода")
    period_end = models.DateField("конец периода")
    goals = models.JSONField("цели", default=list, blank=True)
    tasks = models.JSONField("задачи", default=list, blank=True)
    introduction = models.TextField("вводная часть", blank=True)
    section_numbering = models.CharField(
        "нумерация разделов", max_length=8, choices=Numbering.choices, default=Numbering.ARABIC
    )
    columns = models.JSONField(
        "столбцы таблицы",
        default=default_columns,
        help_text="Порядок и заголовки столбцов, как в документе: [[ключ, заголовок], …].",
    )
    status = models.CharField(
        "статус", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    approved_on = models.DateField("дата утверждения", null=True, blank=True)
    approval_text = models.CharField(
        "гриф утверждения",
        max_length=500,
        blank=True,
        help_text="«УТВЕРЖДЕН приказом … от … № …» или «УТВЕРЖДАЮ Директор …».",
    )
    considered_text = models.CharField(
        "гриф рассмотрения",
        max_length=500,
        blank=True,
        help_text="«РАССМОТРЕНО на педагогическом совете …».",
    )
    order_number = models.CharField("номер приказа", max_length=32, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="основан на плане",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_plans",
        help_text="Муниципальный план, по которому составлен план школы.",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="план прошлого периода",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name="изменения в план",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
        help_text="Утверждённый план, новой редакцией которого является этот.",
    )
    version_number = models.PositiveSmallIntegerField("редакция", default=1)

    class Meta:
        verbose_name = "план"
        verbose_name_plural = "планы"
        ordering = ["-period_start", "title"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if problem := period_problem(self.period_start, self.period_end):
            raise ValidationError({"period_end": problem})
        keys = [pair[0] for pair in self.columns or [] if isinstance(pair, (list, tuple))]
        if not keys or "title" not in keys or len(keys) != len(set(keys)):
            raise ValidationError({"columns": "Нужен столбец наименования, без повторов."})
        unknown = set(keys) - set(COLUMN_LABELS)
        if unknown:
            raise ValidationError({"columns": f"Неизвестные столбцы: {', '.join(sorted(unknown))}."})

    @property
    def column_keys(self) -> list[str]:
        return [pair[0] for pair in self.columns]

    @property
    def is_published(self) -> bool:
        return self.status in (PlanStatus.APPROVED, PlanStatus.ARCHIVED)

    def section_number(self, position: int) -> str:
        return to_roman(position) if self.section_numbering == Numbering.ROMAN else str(position)


class Section(models.Model):
    """A numbered section of a plan («I. Анализ деятельности …»)."""

    plan = models.ForeignKey(Plan, verbose_name="план", on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField("порядок")
    number = models.CharField("номер", max_length=16, blank=True, editable=False)
    title = models.TextField(
        "наименование раздела",
        blank=True,
        help_text="Пусто у плана без разделов: его мероприятия нумеруются 1, 2, 3 без строки раздела.",
    )

    class Meta:
        verbose_name = "раздел"
        verbose_name_plural = "разделы"
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="section_position_unique")]

    def __str__(self) -> str:
        if self.is_implicit:
            return "Мероприятия плана"
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def is_implicit(self) -> bool:
        """A plan without sections keeps its activities in one section with no title and no row."""
        return not (self.title or "").strip()


class ResponsibleRole(models.Model):
    """A role that plans name as responsible («Руководители ОО»), and who acts for it."""

    name = models.CharField("наименование", max_length=300)
    acting_role = models.CharField(
        "кто исполняет в системе",
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text="Роль пользователей, которые отмечают выполнение за эту роль.",
    )
    level = models.CharField(
        "уровень",
        max_length=16,
        choices=ExecutionLevel.choices,
        default=ExecutionLevel.AUTHORITY,
        help_text="Исполняется органом управления образованием или каждой ОО.",
    )
    owner = models.ForeignKey(
        "schools.Organization",
        verbose_name="справочник организации",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responsible_roles",
        help_text="Пусто — общий справочник.",
    )

    class Meta:
        verbose_name = "ответственная роль"
        verbose_name_plural = "ответственные роли"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="responsible_role_unique"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(owner__isnull=True),
                name="responsible_role_unique_global",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResponsiblePerson(models.Model):
    """A person a plan names as responsible («Фильчук Л.А., ведущий специалист»)."""

    organization = models.ForeignKey(
        "schools.Organization",
        verbose_name="организация",
        on_delete=models.CASCADE,
        related_name="responsible_persons",
    )
    name = models.CharField("фамилия и инициалы", max_length=200)
    position = models.CharField("должность", max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_persons",
        help_text="Учётная запись, которая отмечает выполнение его мероприятий.",
    )

    class Meta:
        verbose_name = "ответственное лицо"
        verbose_name_plural = "ответственные лица"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="responsible_person_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.position}" if self.position else self.name


class Activity(TimeStampedModel):
    """One row of a plan: what, by when, by whom, with what result."""

    plan = models.ForeignKey(Plan, verbose_name="план", on_delete=models.CASCADE, related_name="activities")
    section = models.ForeignKey(
        Section, verbose_name="раздел", on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveIntegerField("порядок")
    number = models.CharField("номер", max_length=16, blank=True, editable=False)
    title = models.TextField("наименование мероприятия")
    deadline_text = models.CharField("срок (как в документе)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.MANUAL
    )
    deadline_rule = models.JSONField(
        "правило срока",
        default=dict,
        blank=True,
        help_text="Разобранный срок: даты, месяцы, событие и смещение.",
    )
    deadline_confirmed = models.BooleanField("срок подтверждён координатором", default=False)
    deadline_warning = models.CharField("предупреждение о сроке", max_length=300, blank=True)
    responsible_text = models.TextField("ответственные (как в документе)", blank=True)
    responsible_roles = models.ManyToManyField(
        ResponsibleRole, verbose_name="ответственные роли", blank=True, related_name="activities"
    )
    responsible_persons = models.ManyToManyField(
        ResponsiblePerson, verbose_name="ответственные лица", blank=True, related_name="activities"
    )
    expected_result = models.TextField("ожидаемый результат", blank=True)
    evidence_form = models.CharField(
        "форма подтверждения", max_length=300, blank=True, help_text="«Приказ ОО», «Протокол»…"
    )
    evidence_required = models.BooleanField("нужен подтверждающий документ", default=False)
    note = models.TextField("примечание", blank=True)
    execution_level = models.CharField(
        "уровень исполнения",
        max_length=16,
        choices=ExecutionLevel.choices,
        default=ExecutionLevel.AUTHORITY,
    )
    target_kind = models.CharField(
        "целевые ОО", max_length=16, choices=TargetKind.choices, default=TargetKind.ALL
    )
    target_flag_year = models.PositiveSmallIntegerField(
        "год признаков необъективности", null=True, blank=True
    )
    target_schools = models.ManyToManyField(
        "schools.Organization",
        verbose_name="выбранные ОО",
        blank=True,
        related_name="targeted_activities",
        limit_choices_to={"kind": OrgKind.SCHOOL},
    )
    version = models.PositiveIntegerField("версия", default=1)
    origin = models.ForeignKey(
        "self",
        verbose_name="скопировано из",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="Мероприятие прежней редакции или прошлого плана: по нему сравниваются редакции.",
    )

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["plan", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="activity_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if self.section_id and self.plan_id and self.section.plan_id != self.plan_id:
            raise ValidationError({"section": "Раздел из другого плана."})
        if self.target_kind == TargetKind.FLAGGED and not self.target_flag_year:
            raise ValidationError({"target_flag_year": "Укажите год признаков необъективности."})
