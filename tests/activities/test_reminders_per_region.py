"""The hourly beat sends one job per due region (issue 20): regions are swept in parallel by the
workers there are, each once a day from 08:00 of its own time; a region whose job is still waiting
gets no second one; a job run twice sends nothing new (the ledger)."""


import pytest
from django.conf import settings
from django.core import mail

from activities.reminders.services import REGION_TASK, reminders_dispatch, reminders_region_sweep
from activities.tasks import send_due_reminders
from tests.activities import reminder_world
from tests.activities.reminder_world import TODAY
from vprplan.models import Job
from vprplan.queues import queue_for

pytestmark = pytest.mark.django_db
due = reminder_world.due  # the fixtures
two_zones = reminder_world.two_zones
utc = reminder_world.utc


def region_jobs():
    return list(Job.objects.filter(task=REGION_TASK).order_by("created_at").values_list("args", "status"))


def test_the_beat_asks_for_one_job_per_region_when_its_morning_comes(
    two_zones, django_capture_on_commit_callbacks
):
    w = two_zones
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch(now=utc(0)) == 0  # 03:00 in Moscow, 07:00 in Krasnoyarsk
    assert region_jobs() == [] and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch(now=utc(1)) == 1  # 08:00 in Krasnoyarsk
    assert region_jobs() == [([w.region_b.pk, TODAY.isoformat()], "done")]
    assert [m.to for m in mail.outbox] == [[w.other_school.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch(now=utc(5)) == 1  # 08:00 in Moscow: region A's job
    assert region_jobs()[-1] == ([w.region.pk, TODAY.isoformat()], "done")
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_dispatch(now=utc(6)) == 0  # both swept for the day
    assert len(mail.outbox) == 5 and len(region_jobs()) == 2


def test_a_region_whose_job_still_waits_gets_no_second_one(two_zones, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as waiting:  # the broker is slow
        assert reminders_dispatch(now=utc(8)) == 2
        assert reminders_dispatch(now=utc(8)) == 0  # the next hour's beat, the jobs not run yet
    assert [status for _, status in region_jobs()] == ["pending", "pending"]
    for callback in waiting:
        callback()
    assert [status for _, status in region_jobs()] == ["done", "done"]
    assert {two_zones.school.email, two_zones.other_school.email} <= {m.to[0] for m in mail.outbox}


def test_a_region_job_run_twice_sends_nothing_new(two_zones):
    first = reminders_region_sweep(region_id=two_zones.region.pk, day=TODAY, now=utc(6))
    assert first.sent > 0 and first.regions == 1
    sent = len(mail.outbox)
    again = reminders_region_sweep(region_id=two_zones.region.pk, day=TODAY, now=utc(6))
    assert (again.sent, again.recipients, len(mail.outbox)) == (0, 0, sent)


def test_the_hourly_beat_entry_is_the_dispatcher_on_the_default_queue(two_zones):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] == "activities.send_due_reminders"
    assert queue_for(REGION_TASK) == "celery" and queue_for("reports.render_order_document") == "pdf"
    asked = send_due_reminders.apply().get()  # (the jobs would be sent at commit: none here)
    assert asked == len(region_jobs()) and asked in (0, 1, 2)  # depends on the hour the test runs
