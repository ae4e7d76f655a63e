"""The daily reminder sweep (issue 8) over the whole region — at full scale 1,000 schools and five
years of executions — against one SQL COUNT of the same due executions.

Ours is the sweep's whole work: who is owed what (a page of 200 recipients at a time), the ledger
inserts, the in-app notifications, every digest rendered as text and HTML and turned into the
bytes an SMTP server would get (then dropped), the rows marked sent. It runs in a transaction that
is rolled back, so every repetition finds the same day unsent and the bench database stays as it
was. The day is the one the data was generated on, so figures do not drift with the calendar.

Peak memory (tracemalloc) of one sweep is measured in the setup and shown in the anchor's name;
`manage.py reminder_sweep_memory` measures it at the small and the full scale side by side.
"""

import time
import tracemalloc
from datetime import UTC, date, datetime
from datetime import time as clock

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import override_settings

from activities.reminders.services import Summary, reminders_sweep
from activities.reminders.sources import due_executions
from bench.registry import BenchError, Case, Context, scenario

BACKEND = "bench.scenarios.reminders.DiscardingBackend"


class DiscardingBackend(BaseEmailBackend):
    """Builds each message's MIME bytes, as the SMTP backend would hand them over, and drops them
    (keeping them, like locmem, would make memory grow with the number of mails)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message().as_bytes()
        return len(email_messages)


def sweep_day(ctx: Context) -> date:
    return date.fromisoformat(ctx.data.generated_on) if ctx.data.generated_on else date.today()


def sweep_rolled_back(region_id: int, day: date) -> Summary:
    """One full sweep of the region for `day`, undone afterwards."""
    now = datetime.combine(day, clock(5), tzinfo=UTC)
    with override_settings(EMAIL_BACKEND=BACKEND), transaction.atomic():
        summary = reminders_sweep(today=day, regions=[region_id], now=now)
        transaction.set_rollback(True)
    if not summary.mails:
        raise BenchError(f"the sweep of {day:%d.%m.%Y} sent nothing: no due work in the data?")
    return summary


def measure_memory(region_id: int, day: date) -> dict:
    """One sweep under tracemalloc: its time (slower than untraced), peak and what it sent."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        summary = sweep_rolled_back(region_id, day)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return {
        "day": day.isoformat(),
        "traced_s": round(took, 2),
        "peak_mb": round(peak / 2**20, 2),
        "due": due_executions(region_id=region_id, today=day).count(),
        **summary.as_dict(),
    }


@scenario("reminders: daily sweep of the whole region", goal_ratio=50.0)
def reminder_sweep(ctx: Context) -> Case:
    """Goal 50×: the anchor counts the work, ours does it (at full scale ~700 digests rendered
    twice and MIME-encoded, ~3 ms each), so within 50× the SQL is not what costs. Its queries grow
    with the number of mails by design (one UPDATE right after each, see the services module)."""
    region, day = ctx.data.region, sweep_day(ctx)
    sweep_rolled_back(region, day)  # warm (templates, imports), as the harness warms ours
    memory = measure_memory(region, day)

    def anchor():
        return due_executions(region_id=region, today=day).count()

    return Case(
        ours=lambda: sweep_rolled_back(region, day),
        anchor=anchor,
        anchor_name=(
            f"1 SQL COUNT of the same {memory['due']} due executions; the sweep: {memory['mails']} mails, "
            f"{memory['sent']} reminders, peak {memory['peak_mb']} MB (tracemalloc)"
        ),
    )
