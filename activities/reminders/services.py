"""The reminder sweep and the notification writes.

Exactly once, with a ledger (activities.models.Reminder) and no lock:
1. claim: for a page of recipients, insert one row per (recipient, kind, subject, day) with this
   run's id, ignoring conflicts; the rows that carry the run's id afterwards are this run's, and
   only they go into its digests. The in-app notification is written in the same transaction.
2. send each digest, and right after it mark its rows sent.
A second sweep of the same day (a double run under acks_late, the command after the beat, two
workers) inserts nothing and sends nothing. A run killed between 1 and 2 leaves rows without
`sent_at`; a later sweep takes those over once they are REMINDER_RETRY_AFTER_MINUTES old (longer
than a page takes to send) and sends them. The only way to get a mail twice is a crash between the
SMTP server accepting it and the UPDATE right after, which no database can close.

The sweep is atomic per page of recipients, deliberately not as a whole: a mail that went out must
stay marked sent even if a later page fails.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from activities.models import Notification, NotificationPreference, Reminder, ReminderSweep
from activities.reminders import bell, lines, sources
from activities.reminders import digest as digests_
from schools.models import Organization
from vprplan import jobs
from vprplan.audit import audit
from vprplan.models import Job

log = logging.getLogger(__name__)

PAGE = 200  # recipients per claim: memory and the retry window are both per page


@dataclass
class Summary:
    """What a sweep did: `sent` reminders (lines of digests) reached `recipients` people, by
    `mails` mails (the rest in the app only: no address, or digests turned off)."""

    sent: int = 0
    recipients: int = 0
    mails: int = 0
    retried: int = 0
    refused: int = 0
    regions: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def reminders_sweep(
    *, today: date | None = None, regions: Iterable[int] | None = None, now: datetime | None = None
) -> Summary:
    """Send the day's reminders of every region (or of `regions`): `today` for all of them, or
    each region's own date in its time zone. Then take over what interrupted runs left unsent.
    Running it again for the same day sends nothing new."""
    now = now or timezone.now()
    summary = Summary()
    found = Organization.objects.regions().filter(is_active=True).order_by("pk")
    if regions is not None:
        found = found.filter(pk__in=list(regions))
    for region in found:
        _sweep_region(region, today or timezone.localdate(now, region.tz), now=now, summary=summary)
    _retry_unsent(now=now, summary=summary)
    _prune(min(today, timezone.localdate(now)) if today else timezone.localdate(now))
    return summary


def due_regions(*, now: datetime) -> list[tuple[Organization, date]]:
    """The regions whose local time is between REMINDER_LOCAL_HOUR and REMINDER_LAST_HOUR and whose
    sweep of their local day has not finished, with that day. A beat, broker or worker that was
    down at 08:00 is thus caught up at the next hour; the ledger keeps it to once."""
    found = []
    for region in Organization.objects.regions().filter(is_active=True).order_by("pk"):
        local = timezone.localtime(now, region.tz)
        if not settings.REMINDER_LOCAL_HOUR <= local.hour < settings.REMINDER_LAST_HOUR:
            continue
        day = local.date()
        if ReminderSweep.objects.filter(region=region, day=day, finished_at__isnull=False).exists():
            continue
        found.append((region, day))
    return found


def reminders_due_sweep(*, now: datetime | None = None) -> Summary:
    """Every due region swept here, one after another (`due_regions`); then what interrupted runs
    left unsent. The beat sends one job per region instead (`reminders_dispatch`)."""
    now = now or timezone.now()
    summary = Summary()
    for region, day in due_regions(now=now):
        _sweep_region(region, day, now=now, summary=summary)
    _retry_unsent(now=now, summary=summary)
    _prune(timezone.localdate(now))
    return summary


REGION_TASK = "activities.send_region_reminders"


def reminders_dispatch(*, now: datetime | None = None) -> int:
    """The hourly beat: one job per due region (REGION_TASK, through the job outbox), so that
    regions are swept in parallel by as many workers as there are, and a region that fails is
    retried alone. A region whose job is still waiting or running gets no second one. Then what
    interrupted runs left unsent. Returns how many region jobs were asked for."""
    now = now or timezone.now()
    asked = 0
    with transaction.atomic():  # the jobs are sent when this commits
        for region, day in due_regions(now=now):
            args = [region.pk, day.isoformat()]
            waiting = Job.objects.filter(
                task=REGION_TASK,
                args=args,
                status__in=[Job.Status.PENDING, Job.Status.QUEUED, Job.Status.RUNNING],
            )
            if waiting.exists():
                continue
            jobs.enqueue(REGION_TASK, *args)
            asked += 1
    _retry_unsent(now=now, summary=Summary())
    _prune(timezone.localdate(now))
    return asked


def reminders_region_sweep(*, region_id: int, day: date, now: datetime | None = None) -> Summary:
    """One region's reminders of `day` (the job REGION_TASK). Running it again sends nothing new."""
    now = now or timezone.now()
    summary = Summary()
    region = Organization.objects.regions().filter(pk=region_id, is_active=True).first()
    if region is not None:
        _sweep_region(region, day, now=now, summary=summary)
    return summary


def _sweep_region(region: Organization, day: date, *, now: datetime, summary: Summary) -> None:
    sweep, _ = ReminderSweep.objects.get_or_create(region=region, day=day, defaults={"started_at": now})
    before = (summary.sent, summary.recipients)
    for user_ids in sources.recipient_pages(region_id=region.pk, size=PAGE):
        found = sources.candidates(region_id=region.pk, user_ids=user_ids, today=day)
        if found:
            run = uuid.uuid4()
            digests = _claim(found, region_id=region.pk, today=day, run=run, now=now)
            _send(digests, run=run, summary=summary)
    summary.regions += 1
    ReminderSweep.objects.filter(pk=sweep.pk).update(
        finished_at=timezone.now(),
        sent=F("sent") + summary.sent - before[0],
        recipients=F("recipients") + summary.recipients - before[1],
    )


ROW_FIELDS = ("pk", "recipient_id", "kind", "subject_id", "region_id")


@transaction.atomic
def _claim(found, *, region_id: int, today: date, run: uuid.UUID, now: datetime) -> dict:
    """Insert first; the rows that came out carrying `run` are this run's. Their in-app
    notification is written here, so it exists exactly when the rows do."""
    Reminder.objects.bulk_create(
        [
            Reminder(
                recipient_id=c.recipient_id,
                region_id=region_id,
                kind=c.kind,
                subject_id=c.subject_id,
                day=c.day,
                run=run,
                claimed_at=now,
            )
            for c in found
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    ours = list(Reminder.objects.filter(run=run).values(*ROW_FIELDS))
    digests = lines.compose(ours, today=today) if ours else {}
    _notify(digests, today=today, now=now)
    # A subject deleted since the candidates were read has no line: nothing to send for it.
    described = set(digests)
    Reminder.objects.filter(run=run).exclude(recipient_id__in=described).update(sent_at=now)
    return digests


def _notify(digests: dict, *, today: date, now: datetime) -> None:
    """One notification per person and day; a second run of the day adds to it, unread again."""
    if not digests:
        return
    bell.forget(user_ids=digests)
    existing = {n.user_id: n for n in Notification.objects.filter(user_id__in=list(digests), day=today)}
    for user_id, n in existing.items():
        n.items = n.items + digests[user_id].items
        n.title = digests_.Digest(user_id, today, n.items).title
        n.read_at, n.updated_at = None, now
    Notification.objects.bulk_update(existing.values(), ["items", "title", "read_at", "updated_at"])
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, day=today, title=d.title, items=d.items)
            for user_id, d in digests.items()
            if user_id not in existing
        ],
        ignore_conflicts=True,  # a concurrent run of the same day made it first: its items stand
    )


def _send(digests: dict, *, run: uuid.UUID, summary: Summary) -> None:
    """Mail each digest and mark its rows sent right after; the rest are delivered in the app."""
    if not digests:
        return
    users = {
        u.pk: u
        for u in get_user_model()
        .objects.filter(pk__in=list(digests), is_active=True)
        .only("pk", "email", "username", "first_name", "last_name")
    }
    off = set(
        NotificationPreference.objects.filter(user_id__in=list(digests), email_digest=False).values_list(
            "user_id", flat=True
        )
    )
    in_app = []
    connection = mail.get_connection()
    opened = False
    try:
        for user_id, d in digests.items():
            user = users.get(user_id)
            if user is None or not user.email or user_id in off:
                in_app.append(user_id)
                continue
            if not opened:
                connection.open()  # one SMTP session for the page, opened only when needed
                opened = True
            try:
                digests_.email(d, user=user, connection=connection).send()
            except (SMTPRecipientsRefused, SMTPDataError) as e:
                # This message only (the server is up): left unsent, retried by later sweeps up to
                # REMINDER_MAX_ATTEMPTS times. A server that is down stops the run instead.
                log.warning("Reminder digest to user %s refused: %s", user_id, e)
                summary.refused += 1
                continue
            Reminder.objects.filter(run=run, recipient_id=user_id).update(
                sent_at=timezone.now(), emailed=True
            )
            summary.mails += 1
            summary.sent += len(d.items)
            summary.recipients += 1
    finally:
        if opened:
            connection.close()
    if in_app:
        Reminder.objects.filter(run=run, recipient_id__in=in_app).update(sent_at=timezone.now())
        summary.sent += sum(len(digests[u].items) for u in in_app)
        summary.recipients += len(in_app)


def _retry_unsent(*, now: datetime, summary: Summary) -> None:
    """Take over the rows an interrupted run claimed and never sent, a page of people at a time.
    Their notification exists already (it was written with the claim): only the mail is owed."""
    cutoff = now - timedelta(minutes=settings.REMINDER_RETRY_AFTER_MINUTES)
    stale = Reminder.objects.filter(
        sent_at__isnull=True, claimed_at__lt=cutoff, attempts__lt=settings.REMINDER_MAX_ATTEMPTS
    )
    while True:
        people = list(stale.order_by("recipient_id").values_list("recipient_id", flat=True).distinct()[:PAGE])
        if not people:
            return
        run = uuid.uuid4()
        with transaction.atomic():
            summary.retried += stale.filter(recipient_id__in=people).update(
                run=run, claimed_at=now, attempts=F("attempts") + 1
            )
            ours = list(Reminder.objects.filter(run=run).values(*ROW_FIELDS))
            zones = dict(
                Organization.objects.filter(pk__in={r["region_id"] for r in ours}).values_list(
                    "pk", "timezone"
                )
            )
            digests: dict = {}
            for region_id, tz in zones.items():
                today = timezone.localdate(now, timezone=ZoneInfo(tz))
                part = lines.compose([r for r in ours if r["region_id"] == region_id], today=today)
                for user_id, d in part.items():
                    digests.setdefault(user_id, digests_.Digest(user_id, today)).items.extend(d.items)
            Reminder.objects.filter(run=run).exclude(recipient_id__in=set(digests)).update(sent_at=now)
        _send(digests, run=run, summary=summary)


def _prune(today: date) -> None:
    """The ledger is needed while a reminder could come again: keep REMINDER_KEEP_DAYS before the
    day swept (a sweep of a past day, `--today`, must not forget what that day already sent)."""
    keep = today - timedelta(days=settings.REMINDER_KEEP_DAYS)
    Reminder.objects.filter(day__lt=keep).delete()
    ReminderSweep.objects.filter(day__lt=keep).delete()


# Notifications and preferences ----------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read (all of them without `notification`)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    bell.forget(user_ids=[user.pk])
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(*, user, email_digest: bool, actor=None) -> NotificationPreference:
    """Turn the daily e-mail digest on or off (from the settings page or an unsubscribe link,
    where `actor` is None: the mailbox's owner, not a logged-in user)."""
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if preference.email_digest != email_digest:
        preference.email_digest = email_digest
        preference.full_clean()
        preference.save()
        audit(actor, "notifications.digest_on" if email_digest else "notifications.digest_off", preference)
    return preference
