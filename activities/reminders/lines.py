"""The digest's lines, made from the ledger rows a sweep owns: the executions due or overdue, the
schools with overdue work, the plans waiting for approval and the registered sources' subjects
(activities.reminders.registry), one query each whatever the number of rows."""

from datetime import date

from django.urls import reverse
from django.utils.text import Truncator

from activities.models import Execution
from activities.models.notifications import EXECUTION_KINDS, PLAN_KINDS, SCHOOL_KINDS
from activities.reminders import approvals
from activities.reminders.digest import ORDER, Digest, overdue_detail, when
from activities.reminders.registry import reminder_sources
from activities.reminders.sources import school_overdue
from schools.models import Organization


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


def compose(rows: list[dict], *, today: date) -> dict[int, Digest]:
    """Digests of one region's ledger rows ({"recipient_id", "kind", "subject_id", "region_id"}),
    one per recipient, speaking of `today`. A subject deleted since (or of a kind no source
    describes) leaves its row out. One query per kind of subject, whatever the number of rows."""
    describers = {
        "execution": lambda ids: _executions(ids, today),
        "school": lambda ids: _schools(ids, today),
        "plan": approvals.describe,
    }
    groups = {kind: "execution" for kind in EXECUTION_KINDS}
    groups.update({kind: "school" for kind in SCHOOL_KINDS})
    groups.update({kind: "plan" for kind in PLAN_KINDS})
    for source in reminder_sources():
        describers[source.name] = source.describe
        groups.update({kind: source.name for kind in source.kinds})
    ids: dict[str, set[int]] = {}
    for r in rows:
        if (group := groups.get(r["kind"])) is not None:
            ids.setdefault(group, set()).add(r["subject_id"])
    lines = {group: describers[group](subjects) for group, subjects in ids.items()}
    digests: dict[int, Digest] = {}
    for r in rows:
        kind = r["kind"]
        line = lines.get(groups.get(kind), {}).get(r["subject_id"])
        if line is None:
            continue
        item = {"kind": kind, "text": line["text"], "detail": line["detail"], "url": line["url"]}
        item.update(line.get("by_kind", {}).get(kind, {}))
        item["sort"] = line["sort"]
        digests.setdefault(r["recipient_id"], Digest(r["recipient_id"], today)).items.append(item)
    for digest in digests.values():
        digest.items.sort(key=lambda i: (ORDER.index(i["kind"]), i["sort"], i["text"]))
        for item in digest.items:
            del item["sort"]
    return digests
