"""Shared base models: timestamps, the audit trail, the durable job outbox, and the rendered files
a job makes for one request (the abstract `RenderedFile`; `ExportFile`, the long exports)."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from vprplan.audit_actions import action_label
from vprplan.documents.kinds import export_title


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


class RenderedFile(TimeStampedModel):
    """A file a job renders for one request (a long export, an order's signed PDF): the record
    whose status page the browser polls. The job claims it (`claim`), then stores the file
    (`finish`, or `store_file` and a status of its own) or records why it could not (`fail`);
    a second run of a claimed or finished one does nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "в очереди"
        RENDERING = "rendering", "формируется"
        READY = "ready", "готово"
        FAILED = "failed", "ошибка"

    UNFINISHED = (Status.PENDING, Status.RENDERING)
    # The statuses a failure does not overwrite (a concrete model names its own).
    FINAL: tuple[str, ...] = (Status.READY, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    job = models.ForeignKey(
        "vprplan.Job", verbose_name="фоновая задача", null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="запросил", on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField("файл", upload_to="exports/%Y/%m/", blank=True)
    size = models.PositiveIntegerField("размер, байт", default=0)
    error = models.TextField("ошибка", blank=True)

    class Meta:
        abstract = True

    @classmethod
    def claim(cls, pk) -> bool:
        """The job takes a waiting record (pending, or rendering by a run that died); False when
        it is finished (a second run of the job) or missing."""
        return bool(
            cls.objects.filter(pk=pk, status__in=cls.UNFINISHED).update(
                status=cls.Status.RENDERING, updated_at=timezone.now()
            )
        )

    @classmethod
    def fail(cls, pk, message: str) -> bool:
        """Record the failure with its message; False when the record is already final."""
        return bool(
            cls.objects.filter(pk=pk)
            .exclude(status__in=cls.FINAL)
            .update(status=cls.Status.FAILED, error=message, updated_at=timezone.now())
        )

    def store_file(self, content: bytes, *, name: str) -> None:
        """The rendered bytes into `file` under `name`, with their size (the caller saves the row)."""
        self.file.save(name, ContentFile(content), save=False)
        self.size = len(content)
        self.error = ""

    def finish(self, content: bytes, *, name: str) -> None:
        """The rendered bytes stored and the record ready."""
        self.store_file(content, name=name)
        self.status = self.Status.READY
        self.save()

    @property
    def is_finished(self) -> bool:
        """The job is done: the status page stops polling."""
        return self.status not in self.UNFINISHED


class ExportFile(RenderedFile):
    """A long export (a PDF rendered by WeasyPrint) asked for by one user: a job renders it, the
    status page polls this record, and only the requester downloads the file. Its kinds are
    registered by the apps that own them (vprplan.documents.exports). Old ones are deleted by
    `exports_cleanup` (a day)."""

    kind = models.CharField("что", max_length=32)
    params = models.JSONField("параметры", default=dict, blank=True)
    organization = models.ForeignKey(
        "schools.Organization", verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField("имя файла", max_length=200, blank=True)

    class Meta:
        # The table made by the reports app, where the model lived before.
        db_table = "reports_exportfile"
        verbose_name = "выгрузка"
        verbose_name_plural = "выгрузки"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "kind", "created_at"], name="export_reuse_idx")]

    def __str__(self) -> str:
        return f"{self.kind_title}: {self.get_status_display()}"

    @property
    def kind_title(self) -> str:
        return export_title(self.kind)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
