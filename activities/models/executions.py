"""The work done on a plan: executions of activities, their evidence, and each user's calendar feed."""

import secrets
import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models

from activities.choices import ExecutionStatus, ReviewStatus
from activities.models.plans import Activity
from vprplan.models import TimeStampedModel

OPEN_STATUSES = (ExecutionStatus.NOT_STARTED, ExecutionStatus.IN_PROGRESS)

# What an execution looks like to people, in the order a list sorts them by urgency.
STATE_LABELS = {
    "overdue": "просрочено",
    "returned": "возвращено на доработку",
    "in_progress": "в работе",
    "not_started": "не начато",
    "review": "на проверке",
    "done": "выполнено",
    "accepted": "принято",
    "na": "не применимо",
}


def execution_state(
    *, status: str, review_status: str, due_date: date | None, today: date, reviewable: bool
) -> str:
    """One key of STATE_LABELS. A returned execution stays «returned» even when it is also overdue
    (the school must act either way; `is_overdue` still says it is late)."""
    if status == ExecutionStatus.NOT_APPLICABLE:
        return "na"
    if status == ExecutionStatus.DONE:
        if review_status == ReviewStatus.ACCEPTED:
            return "accepted"
        return "review" if reviewable else "done"
    if review_status == ReviewStatus.RETURNED:
        return "returned"
    if due_date is not None and due_date < today:
        return "overdue"
    return "in_progress" if status == ExecutionStatus.IN_PROGRESS else "not_started"


class Execution(TimeStampedModel):
    """The work on one activity by one school (or the authority) for one due occurrence.

    Created when the plan is approved (activities.services.executions_sync). A school's execution is
    reviewed by its municipal coordinator: done → accepted, or returned (back to «in progress»
    with a comment) and submitted again. The authority's own executions are not reviewed.
    """

    activity = models.ForeignKey(
        Activity, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="executions"
    )
    organization = models.ForeignKey(
        "schools.Organization",
        verbose_name="исполнитель",
        on_delete=models.CASCADE,
        related_name="executions",
    )
    occurrence = models.PositiveSmallIntegerField("срок по счёту", default=1)
    due_date = models.DateField("срок", null=True, blank=True, db_index=True)
    status = models.CharField(
        "состояние",
        max_length=16,
        choices=ExecutionStatus.choices,
        default=ExecutionStatus.NOT_STARTED,
        db_index=True,
    )
    completed_at = models.DateTimeField("выполнено", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем выполнено",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField("комментарий", blank=True)
    review_status = models.CharField(
        "проверка", max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NONE, blank=True
    )
    review_comment = models.TextField("комментарий проверяющего", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="проверил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("проверено", null=True, blank=True)

    class Meta:
        verbose_name = "исполнение"
        verbose_name_plural = "исполнение мероприятий"
        # No join in the default order: lists order explicitly (by number, by school).
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organization", "occurrence"], name="execution_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.activity.number} — {self.organization}"

    def is_overdue(self, today) -> bool:
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < today

    @property
    def is_reviewable(self) -> bool:
        """A school's work on someone else's plan is reviewed; the plan owner's own work is not."""
        return self.organization_id != self.activity.plan.owner_id

    def state(self, today) -> str:
        return execution_state(
            status=self.status,
            review_status=self.review_status,
            due_date=self.due_date,
            today=today,
            reviewable=self.is_reviewable,
        )

    @property
    def carries_work(self) -> bool:
        """Someone worked on it: kept (never made «not applicable») when its activity goes away."""
        return bool(
            self.status in (ExecutionStatus.IN_PROGRESS, ExecutionStatus.DONE)
            or self.completed_at
            or self.comment
            or self.review_status
        )


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name under evidence/<year>/<month>/: the user's file name is kept in the row only,
    so nothing a user typed reaches the file system."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    today = date.today()
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file that proves an execution: a scanned order, a protocol, registration sheets.

    Stored in the private MEDIA_ROOT and served only through the evidence download view."""

    execution = models.ForeignKey(
        Execution, verbose_name="исполнение", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("файл", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("имя файла", max_length=255)
    content_type = models.CharField("тип", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("размер, байт", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("загружено", auto_now_add=True)

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's secret iCal address: whoever knows it reads his due dates, so it can be replaced."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField("ключ", max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "календарь сроков"
        verbose_name_plural = "календари сроков"

    def __str__(self) -> str:
        return f"Календарь {self.user}"
