from celery import shared_task

from vprplan import jobs


@shared_task(name="vprplan.dispatch_pending_jobs", ignore_result=True)
def dispatch_pending_jobs() -> int:
    """Celery beat, every minute: send the jobs that were asked for while the broker was down."""
    return jobs.dispatch_pending()


@shared_task(name="vprplan.ping", ignore_result=True)
def ping(marker: str = "") -> str:
    """A job that does nothing but mark itself done: for health checks and tests of the queue."""
    return marker
