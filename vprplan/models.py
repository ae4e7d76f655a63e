"""Shared base models: timestamps, the audit trail and the durable job outbox."""

import uuid

from django.conf import settings
from django.db import models

from vprplan.audit_actions import action_label


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One line of the audit trail: who did what to which object. Written by services."""

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An AuditAction value (vprplan.audit_actions); not `choices`, so that a new action needs no migration.
    action = models.CharField("действие", max_length=64, db_index=True)
    object_type = models.CharField("тип объекта", max_length=64, blank=True)
    object_id = models.CharField("объект", max_length=64, blank=True)
    organization = models.ForeignKey(
        "schools.Organization",
        verbose_name="организация",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField("подробности", default=dict, blank=True)

    class Meta:
        verbose_name = "запись журнала"
        verbose_name_plural = "журнал действий"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {action_label(self.action)} {self.object_type}#{self.object_id}"


class Job(models.Model):
    """A background job, written in the same transaction as the change that asked for it.

    The row is the durable record (an outbox): it is sent to Celery after commit, and if the
    broker is down it stays pending until `dispatch_pending_jobs` sends it again. A worker claims
    the row before running the task (vprplan.jobs.JobTask) and holds it until `lease_until`: a
    second delivery of a claimed or finished job does nothing, and a job whose worker died (the
    lease ran out) is sent again by `dispatch_pending_jobs`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "ожидает отправки"
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        DONE = "done", "выполнено"
        FAILED = "failed", "ошибка"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField("задача", max_length=200)
    args = models.JSONField("аргументы", default=list, blank=True)
    kwargs = models.JSONField("именованные аргументы", default=dict, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField("попыток отправки", default=0)
    runs = models.PositiveIntegerField("запусков", default=0)
    lease_until = models.DateTimeField("занята до", null=True, blank=True)
    finished_at = models.DateTimeField("завершена", null=True, blank=True)
    error = models.TextField("ошибка", blank=True)
    # The id of the request that asked for the job (vprplan.logs): the worker's log lines carry it.
    request_id = models.CharField("идентификатор запроса", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запросил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "фоновая задача"
        verbose_name_plural = "фоновые задачи"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task} ({self.get_status_display()})"
