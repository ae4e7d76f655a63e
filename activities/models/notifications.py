"""Deadline reminders: the delivery ledger that makes each reminder go out once, the in-app
notifications that mirror the mails, and each user's choice of e-mail digests.

The sweep (activities.reminders.services.reminders_sweep) writes a `Reminder` row per (recipient,
kind, subject, day) *before* it sends anything; the unique constraint decides which run owns a
reminder, and a digest carries only the rows its run inserted. `sent_at` is set right after the
mail went out; a row left without it by a crash is taken up again by a later sweep.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReminderKind(models.TextChoices):
    """What a reminder is about; the digest has a part per kind, in this order."""

    APPROVAL = "approval", "Ожидает утверждения"
    OVERDUE = "overdue", "Просрочено"
    DUE_1 = "due_1", "Срок сегодня или завтра"
    DUE_3 = "due_3", "Срок через 2–3 дня"
    DUE_7 = "due_7", "Срок в течение недели"
    ESCALATION = "escalation", "Школы с просроченными мероприятиями"
    SESSION = "session", "Общественное наблюдение завтра"
    ACT_LATE = "act_late", "Не сдан акт общественного наблюдения"


# The kinds whose subject is an Execution, a school (Organization), an observer's Assignment.
EXECUTION_KINDS = (ReminderKind.OVERDUE, ReminderKind.DUE_1, ReminderKind.DUE_3, ReminderKind.DUE_7)
SCHOOL_KINDS = (ReminderKind.ESCALATION,)
ASSIGNMENT_KINDS = (ReminderKind.SESSION, ReminderKind.ACT_LATE)
PLAN_KINDS = (ReminderKind.APPROVAL,)  # the subject is a Plan (activities.reminders.approvals)


class Reminder(models.Model):
    """One reminder owed to one person: the ledger row written before the digest is sent.

    `day` is the reminder's own day, not always the sweep's: «due in 7 days» is keyed on due date
    − 7, so a sweep that runs late (or twice) still finds the same row; «overdue» and the
    escalation are keyed on the sweep's day, so they come once a day. `run` says which sweep
    inserted (or took over) the row: a digest is made of its own run's rows only.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="получатель", on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "schools.Organization", verbose_name="регион", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("вид", max_length=16, choices=ReminderKind.choices)
    subject_id = models.PositiveBigIntegerField("о чём (исполнение, школа, назначение)")
    day = models.DateField("день напоминания")
    run = models.UUIDField("проход рассылки")
    claimed_at = models.DateTimeField("взято в работу")
    attempts = models.PositiveSmallIntegerField("попыток", default=1)
    sent_at = models.DateTimeField("доставлено", null=True, blank=True)
    emailed = models.BooleanField("отправлено письмом", default=False)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания (журнал доставки)"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject_id", "day"], name="reminder_once")
        ]
        indexes = [
            models.Index(fields=["run", "recipient"], name="reminder_run"),
            models.Index(fields=["claimed_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent"),
            models.Index(fields=["day"], name="reminder_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.subject_id} → {self.recipient_id} ({self.day:%d.%m.%Y})"


class ReminderSweep(models.Model):
    """A region's daily sweep: the hourly beat task sweeps a region once its local time reaches
    REMINDER_LOCAL_HOUR, unless this row says that day's sweep already finished."""

    region = models.ForeignKey(
        "schools.Organization", verbose_name="регион", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("день")
    started_at = models.DateTimeField("начат")
    finished_at = models.DateTimeField("закончен", null=True, blank=True)
    sent = models.PositiveIntegerField("напоминаний", default=0)
    recipients = models.PositiveIntegerField("получателей", default=0)

    class Meta:
        verbose_name = "проход рассылки"
        verbose_name_plural = "проходы рассылки"
        ordering = ["-day", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "day"], name="reminder_sweep_once")]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.day:%d.%m.%Y}"


class Notification(models.Model):
    """What the day's digest said, in the app: one per person and day (a later sweep of the same
    day adds its items and makes it unread again). `items` are ready to print:
    [{"kind", "text", "detail", "url"}], so the page reads one table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    day = models.DateField("день")
    title = models.CharField("заголовок", max_length=200)
    items = models.JSONField("пункты", default=list)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="notification_per_day")]
        # The bell in the top bar counts these on every page.
        indexes = [
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether the user gets the daily digest by e-mail (in-app notifications always come).
    No row means yes: the default for everyone until he turns it off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_digest = models.BooleanField("ежедневная сводка по эл. почте", default=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"

    def __str__(self) -> str:
        return f"{self.user}: {'сводка' if self.email_digest else 'без писем'}"
