"""Ticking off activities and reviewing them: a school (or the authority) reports its work with a
comment and evidence files; the municipal coordinator accepts it or returns it with a comment.

Who may call what is decided by the views through activities.selectors (tasks_for_user,
can_review), and checked again here for the actor once the work's own rules have been (a refusal
is access's NotAllowed: «Это не ваша задача», «Проверяет муниципальный координатор»).
"""

from collections.abc import Sequence
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from activities.choices import ExecutionStatus, ReviewStatus
from activities.evidence import check_evidence_files
from activities.models import CalendarFeed, Evidence, Execution, new_feed_token
from activities.selectors import can_complete, is_reviewer
from vprplan.audit import audit
from vprplan.errors import DomainError, NotAllowed
from vprplan.uploads import CheckedUpload

REVIEW_DECISIONS = ("accept", "return")


def _reload(execution: Execution) -> Execution:
    """The execution as it is now, locked for this transaction (two tabs, two reviewers)."""
    return (
        Execution.objects.select_for_update(of=("self",))
        .select_related("activity", "activity__plan", "organization")
        .get(pk=execution.pk)
    )


NOT_YOURS = "Это не ваша задача: отмечает выполнение тот, кому она поручена."
NOT_REVIEWER = "Отчёты школ проверяет муниципальный координатор их муниципалитета."


def _ensure_workable(execution: Execution, actor: User) -> None:
    """The work can still be reported, and it is one of `actor`'s tasks (activities.selectors)."""
    if execution.status == ExecutionStatus.NOT_APPLICABLE:
        raise DomainError("Мероприятие для этой организации не применяется: отмечать нечего.")
    if execution.review_status == ReviewStatus.ACCEPTED:
        raise DomainError("Выполнение уже принято муниципальным координатором, изменить его нельзя.")
    if not can_complete(actor, execution):
        raise NotAllowed(NOT_YOURS)


def _store(execution: Execution, files: list[CheckedUpload], actor: User) -> list[Evidence]:
    stored = []
    with _removed_on_error(stored):
        for f in files:
            evidence = Evidence(
                execution=execution,
                original_name=f.name,
                content_type=f.content_type,
                size=f.size,
                uploaded_by=actor,
            )
            evidence.file.save(f.name, f.upload, save=False)
            stored.append(evidence)
            evidence.save()
    return stored


@contextmanager
def _removed_on_error(stored: list[Evidence]):
    """Files are written before the rows commit: if the change fails, they must not stay behind."""
    try:
        yield
    except BaseException:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise


@transaction.atomic
def execution_complete(
    *, execution: Execution, actor: User, comment: str = "", files: Sequence[UploadedFile] = ()
) -> Execution:
    """Report an activity done, with a comment and evidence files. When the activity requires
    evidence, there must be at least one file (new or already attached). A school's report goes to
    its municipal coordinator for review; a returned one comes back through here."""
    execution = _reload(execution)
    _ensure_workable(execution, actor)
    checked = check_evidence_files(files, attached=execution.evidence.count())
    activity = execution.activity
    if activity.evidence_required and not checked and not execution.evidence.exists():
        form = f" ({activity.evidence_form})" if activity.evidence_form else ""
        raise DomainError(
            f"Приложите подтверждающий документ{form}: без него это мероприятие не отмечается выполненным."
        )
    resubmitted = execution.review_status == ReviewStatus.RETURNED
    stored = _store(execution, checked, actor)
    with _removed_on_error(stored):
        execution.status = ExecutionStatus.DONE
        execution.completed_at = timezone.now()
        execution.completed_by = actor
        execution.comment = comment.strip()
        execution.review_status = ReviewStatus.NONE
        execution.save()
        audit(
            actor,
            "execution.resubmitted" if resubmitted else "execution.completed",
            execution,
            organization=execution.organization,
            comment=execution.comment,
            files=[e.original_name for e in stored],
        )
    return execution


@transaction.atomic
def execution_start(
    *, execution: Execution, actor: User, comment: str = "", files: Sequence[UploadedFile] = ()
) -> Execution:
    """Save work in progress: a comment and files, without reporting the activity done (a report
    waiting for review is taken back to «in progress» this way)."""
    execution = _reload(execution)
    _ensure_workable(execution, actor)
    stored = _store(execution, check_evidence_files(files, attached=execution.evidence.count()), actor)
    with _removed_on_error(stored):
        execution.status = ExecutionStatus.IN_PROGRESS
        execution.comment = comment.strip()
        execution.completed_at = None
        execution.save()
        audit(
            actor,
            "execution.in_progress",
            execution,
            organization=execution.organization,
            comment=execution.comment,
            files=[e.original_name for e in stored],
        )
    return execution


@transaction.atomic
def execution_review(*, execution: Execution, actor: User, decision: str, comment: str = "") -> Execution:
    """Accept a school's report, or return it for rework with a comment the school will see."""
    if decision not in REVIEW_DECISIONS:
        raise ValueError(decision)
    execution = _reload(execution)
    if not execution.is_reviewable:
        raise DomainError("Собственные мероприятия органа управления образованием не проверяются.")
    if execution.status != ExecutionStatus.DONE or execution.review_status:
        raise DomainError("Проверить можно только выполнение, отправленное на проверку.")
    if not is_reviewer(actor, execution):
        raise NotAllowed(NOT_REVIEWER)
    comment = comment.strip()
    if decision == "return" and not comment:
        raise DomainError("Напишите, что нужно исправить: школа увидит этот комментарий.")
    execution.review_status = ReviewStatus.ACCEPTED if decision == "accept" else ReviewStatus.RETURNED
    if decision == "return":
        execution.status = ExecutionStatus.IN_PROGRESS
    execution.review_comment = comment
    execution.reviewed_by = actor
    execution.reviewed_at = timezone.now()
    execution.save()
    audit(
        actor,
        "execution.accepted" if decision == "accept" else "execution.returned",
        execution,
        organization=execution.organization,
        comment=comment,
    )
    return execution


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User) -> None:
    """Remove a file attached by mistake, while the report is not submitted or accepted."""
    execution = _reload(evidence.execution)
    if execution.status == ExecutionStatus.DONE:
        raise DomainError("Отчёт уже отправлен: чтобы заменить файл, сначала верните мероприятие в работу.")
    _ensure_workable(execution, actor)
    name, file_name = evidence.original_name, evidence.file.name
    evidence.delete()
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(file_name))
    audit(actor, "evidence.deleted", execution, organization=execution.organization, file=name)


@transaction.atomic
def calendar_feed_get(*, user) -> CalendarFeed:
    """The user's iCal address, made on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    audit(user, "calendar_feed.reset", feed)
    return feed
