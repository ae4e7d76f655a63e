from django.db import models


class PlanKind(models.TextChoices):
    PLAN = "plan", "план мероприятий"
    ROADMAP = "roadmap", "дорожная карта"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    ON_APPROVAL = "on_approval", "на утверждении"
    APPROVED = "approved", "утверждён"
    ARCHIVED = "archived", "в архиве"


PUBLISHED_STATUSES = (PlanStatus.APPROVED, PlanStatus.ARCHIVED)


class Numbering(models.TextChoices):
    ARABIC = "arabic", "арабские (1, 2, 3)"
    ROMAN = "roman", "римские (I, II, III)"


class DeadlineKind(models.TextChoices):
    """How a deadline's text is understood (DESIGN.md §2, «Deadlines»)."""

    FIXED = "fixed", "к дате"
    RANGE = "range", "период"
    MONTHS = "months", "в месяцы"
    RECURRING = "recurring", "периодически"
    RELATIVE = "relative", "относительно события"
    CONTINUOUS = "continuous", "постоянно"
    MANUAL = "manual", "вручную"


class ExecutionLevel(models.TextChoices):
    AUTHORITY = "authority", "орган управления образованием (один раз)"
    SCHOOL = "school", "каждая целевая ОО"


class TargetKind(models.TextChoices):
    ALL = "all", "все ОО"
    FLAGGED = "flagged", "ОО с признаками необъективности в году"
    CHOSEN = "chosen", "выбранные ОО"


class ExecutionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "не начато"
    IN_PROGRESS = "in_progress", "в работе"
    DONE = "done", "выполнено"
    NOT_APPLICABLE = "not_applicable", "не применимо"


class ReviewStatus(models.TextChoices):
    NONE = "", "не проверено"
    ACCEPTED = "accepted", "принято"
    RETURNED = "returned", "возвращено на доработку"


# The columns a plan's table may have, with the heading a new plan gets.
COLUMN_LABELS = {
    "number": "№ п/п",
    "title": "Наименование мероприятия",
    "deadline": "Сроки реализации",
    "responsible": "Ответственные",
    "expected_result": "Ожидаемый результат",
    "note": "Примечание",
}
DEFAULT_COLUMNS = [[key, label] for key, label in COLUMN_LABELS.items()]
