"""Orders, documents and exports arrive with their issues. For now: imports waiting for their
confirmation."""

from django.conf import settings
from django.db import models

from vprplan.models import TimeStampedModel


class PlanImport(TimeStampedModel):
    """A plan file read for import, kept between its preview and the user's confirmation.

    Only what was read is stored (the draft as JSON), not the file itself: the confirmation
    writes exactly what the preview showed.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "предпросмотр"
        IMPORTED = "imported", "загружен"

    owner = models.ForeignKey(
        "schools.Organization", verbose_name="организация", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="загрузил", on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField("имя файла", max_length=255)
    format = models.CharField("формат", max_length=8)
    draft = models.JSONField("прочитано из файла")
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.PREVIEW)
    plan = models.ForeignKey(
        "activities.Plan",
        verbose_name="созданный план",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "загрузка плана"
        verbose_name_plural = "загрузки планов"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
