"""The daily digest: its lines made from the ledger rows a sweep owns, the mail (text and HTML, in
Russian, absolute links, a one-click unsubscribe) and the signed unsubscribe token."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from activities.models import Execution, ReminderKind
from activities.models.notifications import EXECUTION_KINDS, PLAN_KINDS, SCHOOL_KINDS
from activities.reminders import approvals
from activities.reminders.sources import school_overdue
from observers import reminders as observer_hooks
from schools.models import Organization
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


def _executions(ids, today: date) -> dict[int, dict]:
    found = {}
    rows = Execution.objects.filter(pk__in=ids).select_related("activity__plan", "organization")
    for e in rows.only(
        "pk",
        "due_date",
        "organization__name",
        "organization__short_name",
        "activity__number",
        "activity__title",
        "activity__plan__title",
    ):
        title = Truncator(f"{e.activity.number} {e.activity.title}".strip()).chars(180)
        due = f"срок {e.due_date:%d.%m.%Y} ({when(e.due_date, today)})" if e.due_date else "без срока"
        found[e.pk] = {
            "text": title,
            "detail": f"{due} · {e.organization} · {Truncator(e.activity.plan.title).chars(90)}",
            "url": reverse("activities:execution_detail", args=[e.pk]),
            "sort": e.due_date.isoformat() if e.due_date else "",
        }
    return found


def overdue_detail(n: int, oldest: date) -> str:
    """An escalation's line: «просрочено 21 мероприятие, самый ранний срок 01.03.2024»."""
    return f"просрочено {count(n, 'мероприятие', 'мероприятия', 'мероприятий')}, самый ранний срок {oldest:%d.%m.%Y}"


def _schools(ids, today: date) -> dict[int, dict]:
    names = {
        pk: short or name
        for pk, short, name in Organization.objects.filter(pk__in=ids).values_list("pk", "short_name", "name")
    }
    found = {}
    for school, (n, oldest) in school_overdue(ids, today=today).items():
        found[school] = {
            "text": names.get(school, ""),
            "detail": overdue_detail(n, oldest),
            "url": reverse("activities:progress_home"),
            "sort": oldest.isoformat(),
        }
    return found


def _assignments(ids) -> dict[int, dict]:
    found = observer_hooks.describe(ids)
    for a in found.values():
        a["late_detail"] = f"{a['detail']}; акт нужно было сдать до {a['act_due']:%d.%m.%Y}"
        a["sort"] = a["act_due"].isoformat()
    return found


def _group(kind: str) -> str:
    if kind in EXECUTION_KINDS:
        return "execution"
    if kind in PLAN_KINDS:
        return "plan"
    return "school" if kind in SCHOOL_KINDS else "assignment"


def compose(rows: list[dict], *, today: date) -> dict[int, Digest]:
    """Digests of one region's ledger rows ({"recipient_id", "kind", "subject_id", "region_id"}),
    one per recipient, speaking of `today`. A subject deleted since leaves its row out. At most
    four queries, whatever the number of rows."""
    ids: dict[str, set[int]] = {"execution": set(), "school": set(), "assignment": set(), "plan": set()}
    for r in rows:
        ids[_group(r["kind"])].add(r["subject_id"])
    lines = {
        "execution": _executions(ids["execution"], today) if ids["execution"] else {},
        "school": _schools(ids["school"], today) if ids["school"] else {},
        "assignment": _assignments(ids["assignment"]) if ids["assignment"] else {},
        "plan": approvals.describe(ids["plan"]) if ids["plan"] else {},
    }
    digests: dict[int, Digest] = {}
    for r in rows:
        kind = r["kind"]
        line = lines[_group(kind)].get(r["subject_id"])
        if line is None:
            continue
        item = {"kind": kind, "text": line["text"], "detail": line["detail"], "url": line["url"]}
        if kind == ReminderKind.ACT_LATE:
            item.update(detail=line["late_detail"], url=line["act_url"])
        item["sort"] = line["sort"]
        digests.setdefault(r["recipient_id"], Digest(r["recipient_id"], today)).items.append(item)
    for digest in digests.values():
        digest.items.sort(key=lambda i: (ORDER.index(i["kind"]), i["sort"], i["text"]))
        for item in digest.items:
            del item["sort"]
    return digests


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
