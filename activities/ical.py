"""A user's due dates as an iCalendar feed (RFC 5545), written by hand: all-day events, one per
open task with a date, each linking to its page. Lines are folded at 75 octets, text escaped."""

from collections.abc import Iterable
from datetime import UTC, date, timedelta

from django.urls import reverse
from django.utils import timezone

from activities.models import Execution
from vprplan.site import site_url

PRODID = "-//vprplan//План мероприятий ВПР//RU"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces without cutting a UTF-8 character."""
    out, current, size = [], [], 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _day(d: date) -> str:
    return d.strftime("%Y%m%d")


def calendar(executions: Iterable[Execution], *, name: str) -> str:
    """The feed text. `executions` come with activity, its plan and organisation."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    base = site_url()
    host = base.split("://", 1)[-1].split("/", 1)[0] or "vprplan"
    for e in executions:
        if e.due_date is None:
            continue
        a = e.activity
        url = base + reverse("activities:execution_detail", args=[e.pk])
        summary = f"{a.number} {a.title}"
        description = "\n".join(
            part
            for part in (
                f"Срок по плану: {a.deadline_text}" if a.deadline_text else "",
                f"Исполнитель: {e.organization}",
                f"План: {a.plan.title}",
                f"Форма подтверждения: {a.evidence_form}" if a.evidence_form else "",
                url,
            )
            if part
        )
        changed = (e.updated_at or timezone.now()).astimezone(UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:execution-{e.pk}@{host}",
            f"DTSTAMP:{changed:%Y%m%dT%H%M%SZ}",
            f"LAST-MODIFIED:{changed:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{_day(e.due_date)}",
            f"DTEND;VALUE=DATE:{_day(e.due_date + timedelta(days=1))}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
