"""The daily digest: one person's reminders in the digest's order (its lines are made in
lines.py), the mail (text and HTML, in Russian, absolute links, a one-click unsubscribe) and the
signed unsubscribe token."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from activities.models import ReminderKind
from vprplan.site import site_url
from vprplan.wording import address, count, plural

ORDER = list(ReminderKind)
UNSUBSCRIBE_SALT = "activities.reminders.unsubscribe"


DAYS = ("день", "дня", "дней")  # given: no dictionary look-up on the hot path


def when(due: date, today: date) -> str:
    left = (due - today).days
    if left == 0:
        return "сегодня"
    if left == 1:
        return "завтра"
    if left > 1:
        return f"через {left} {plural(left, *DAYS)}"
    return f"просрочено на {-left} {plural(left, *DAYS)}"


@dataclass
class Digest:
    """One person's reminders of one run, in the digest's order."""

    user_id: int
    today: date
    items: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        n = len(self.items)
        return f"Сводка сроков на {self.today:%d.%m.%Y}: {count(n, 'пункт', 'пункта', 'пунктов')}"

    def sections(self) -> list[tuple[str, list[dict]]]:
        return sections(self.items)


def sections(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """[(heading, items)] in ReminderKind order: what the mail and the notifications page print."""
    by_kind: dict[str, list[dict]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item)
    return [(ReminderKind(k).label, by_kind[k]) for k in ORDER if k in by_kind]


def overdue_detail(n: int, oldest: date) -> str:
    """An escalation's line: «просрочено 21 мероприятие, самый ранний срок 01.03.2024»."""
    return f"просрочено {count(n, 'мероприятие', 'мероприятия', 'мероприятий')}, самый ранний срок {oldest:%d.%m.%Y}"


# The mail -------------------------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user_id))


def user_id_for_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def absolute(path: str) -> str:
    return f"{site_url()}{path}"


def email(digest: Digest, *, user, connection=None) -> EmailMultiAlternatives:
    """The digest as a mail: text and HTML, absolute links, List-Unsubscribe (RFC 2369) with the
    one-click POST of RFC 8058, marked auto-generated so out-of-office replies stay quiet."""
    unsubscribe = absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk)]))
    items = [{**i, "url": absolute(i["url"])} for i in digest.items]
    context = {
        "name": address(user.first_name, user.last_name),  # none: «Здравствуйте!», never the login
        "today": digest.today,
        "sections": sections(items),
        "count": len(items),
        "site_url": site_url(),
        "notifications_url": absolute(reverse("notifications:notification_list")),
        "settings_url": absolute(reverse("notifications:preference_edit")),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=f"vprplan: сводка сроков на {digest.today:%d.%m.%Y}",
        body=render_to_string("emails/reminder_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(render_to_string("emails/reminder_digest.html", context), "text/html")
    return message
