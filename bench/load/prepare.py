"""Fill the load database and write the ids the locust users need, in a subprocess whose
environment names the load database and the run's settings (bench.load.runner starts it
with Django set up: `main(["fill", "OUT.json", "--schools", "100"])`, then
`main(["collect", "OUT.json"])`).

The data: the demo (`seed_demo`: every role, the three real plans, observers, a signed order) and a
synthetic region of `--schools` schools (bench.data) whose staff log in too, so there are
many school coordinators, each with his own executions, as in a real district. The ids come from
the app's own selectors, so a user is sent only where the app lets him go.
"""

import argparse
import json
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from activities.choices import PUBLISHED_STATUSES, ReviewStatus
from activities.models import Evidence, Plan
from activities.selectors import dashboard_plans, plans_for_user, tasks_for_user
from bench import data
from portal.demo import DEMO_PASSWORD, seed_demo
from reports.models import OrderDocument
from schools.choices import OrgKind, Role
from schools.models import Membership, Organization, VprCampaign
from vprplan.directory.config import LOCAL_BACKEND
from vprplan.security import note_activity


def _workable(user, limit: int) -> list[dict]:
    """The user's own tasks he may still report on, with whether «done» is accepted without a file."""
    rows = (
        tasks_for_user(user=user)
        .exclude(review_status=ReviewStatus.ACCEPTED)
        .annotate(has_evidence=Exists(Evidence.objects.filter(execution_id=OuterRef("pk"))))
        .order_by("pk")
        .values("pk", "activity__plan_id", "activity__evidence_required", "has_evidence")[:limit]
    )
    return [
        {
            "id": r["pk"],
            "plan": r["activity__plan_id"],
            "can_done": not r["activity__evidence_required"] or r["has_evidence"],
        }
        for r in rows
    ]


def _organization(user, role):
    m = Membership.objects.filter(user=user, role=role).select_related("organization").first()
    return m.organization if m else None


def collect(*, demo_password: str, bench_password: str, per_role: int, executions: int) -> dict:
    """Accounts of every role with the ids of their working day, and what the public reads."""
    User = get_user_model()
    roles = {
        "school": Role.SCHOOL_COORDINATOR,
        "coordinator": Role.MUNICIPAL_COORDINATOR,
        "head": Role.HEAD,
        "specialist": Role.SPECIALIST,
        "observer": Role.OBSERVER,
        "admin": Role.REGIONAL_ADMIN,
    }
    accounts: dict[str, list[dict]] = {}
    for name, role in roles.items():
        # The demo user first, then the synthetic region's staff of the same role.
        users = list(User.objects.filter(username=name)) + list(
            User.objects.filter(username__startswith="bench-", memberships__role=role)
            .exclude(username__endswith="-director")
            .distinct()
            .order_by("username")[: per_role - 1]
        )
        listed = []
        for user in users:
            org = _organization(user, role)
            account = {
                "username": user.username,
                "password": demo_password if not user.username.startswith("bench-") else bench_password,
                "org": org.code if org else "",
            }
            if name in ("school", "coordinator", "specialist"):
                account["executions"] = _workable(user, executions)
            plans = dashboard_plans(user=user).order_by("-period_start").values_list("pk", flat=True)
            account["dashboard_plans"] = list(plans[:2])
            own = plans_for_user(user=user).filter(status__in=PUBLISHED_STATUSES).order_by("-period_start")
            account["plans"] = list(own.values_list("pk", flat=True)[:3])
            if name == "coordinator" and account["dashboard_plans"]:
                plan = Plan.objects.get(pk=account["dashboard_plans"][0])
                account["schools"] = list(
                    Organization.objects.filter(kind=OrgKind.SCHOOL, parent=plan.owner)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:5]
                )
            if name in ("coordinator", "head") and org is not None:
                account["campaigns"] = list(
                    VprCampaign.objects.filter(region_id=org.region_id).values_list("pk", flat=True)
                )
            if name == "admin":
                account["regions"] = list(
                    user.memberships.filter(role=role).values_list("organization_id", flat=True)
                )
            if name == "school":
                account["ok_plans"] = sorted({e["plan"] for e in account["executions"]})
            listed.append(account)
        accounts[name] = listed

    public_plans = list(
        Plan.objects.filter(status__in=PUBLISHED_STATUSES, owner__kind=OrgKind.MUNICIPALITY)
        .order_by("owner__code", "-period_start")
        .values_list("owner__code", "pk")[:20]
    )
    documents = [
        str(pk)
        for pk in OrderDocument.objects.filter(status=OrderDocument.Status.SIGNED).values_list(
            "pk", flat=True
        )
    ]
    return {
        "accounts": accounts,
        "sessions": anchor_sessions([a["username"] for a in accounts["school"]]),
        "public": {
            "codes": sorted({code for code, _ in public_plans}),
            "plans": [[code, pk] for code, pk in public_plans],
            "documents": documents,
        },
    }


def anchor_sessions(usernames: list[str]) -> list[dict]:
    """A logged-in session per account, made as a login makes it (the session engine of the
    settings), for the Django anchor: it reads the floor view with these cookies and never logs in,
    so its figure is the floor of a logged-in page, not of a burst of logins."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for user in get_user_model().objects.filter(username__in=usernames).order_by("username"):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = LOCAL_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        note_activity(session)
        session.save()
        sessions.append(
            {"username": user.username, "cookie": settings.SESSION_COOKIE_NAME, "key": session.session_key}
        )
    return sessions


def main(argv: list[str] | None = None) -> None:
    """Fill the database (`fill`), or write the ids (`collect OUT.json`), in two processes: the
    ids are read as a gunicorn worker would read them, by a process that did not write them. (An
    early version once saw every bench municipality's plans in the writing process; a later probe
    could not reproduce it, and access._within_q now fails closed on an unsaved organisation.)"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["fill", "collect"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--per-role", type=int, default=40, help="accounts per role at most")
    parser.add_argument("--executions", type=int, default=8, help="executions per account at most")
    args = parser.parse_args(argv)
    timings_path = args.out.with_suffix(".timings.json")
    if args.step == "fill":
        timings = {}
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        timings["migrate_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        seed_demo()
        timings["seed_demo_s"] = round(time.perf_counter() - started, 1)
        if args.schools:
            timings["generate_s"] = data.generate(schools=args.schools, years=args.years).generated_in_s
        else:
            data.analyze()  # the demo's rows alone
        timings_path.write_text(json.dumps(timings), encoding="utf-8")
        return
    started = time.perf_counter()
    ids = collect(
        demo_password=DEMO_PASSWORD,
        bench_password=data.PASSWORD,
        per_role=args.per_role,
        executions=args.executions,
    )
    timings = json.loads(timings_path.read_text(encoding="utf-8")) if timings_path.exists() else {}
    timings["collect_s"] = round(time.perf_counter() - started, 1)
    ids["rows"] = data.row_counts()
    ids["timings"] = timings
    args.out.write_text(json.dumps(ids, ensure_ascii=False, indent=1), encoding="utf-8")
