from celery import shared_task

from vprplan import jobs
from vprplan.documents.exports import CLEANUP_TASK as EXPORT_CLEANUP_TASK
from vprplan.documents.exports import RENDER_TASK as EXPORT_RENDER_TASK
from vprplan.documents.exports import export_render, exports_cleanup


@shared_task(name="vprplan.dispatch_pending_jobs", ignore_result=True)
def dispatch_pending_jobs() -> int:
    """Celery beat, every minute: send the jobs that were asked for while the broker was down."""
    return jobs.dispatch_pending()


@shared_task(name="vprplan.ping", ignore_result=True)
def ping(marker: str = "") -> str:
    """A job that does nothing but mark itself done: for health checks and tests of the queue."""
    return marker


@shared_task(name=EXPORT_RENDER_TASK, ignore_result=True)
def render_export(export_id: str) -> str:
    """Render a long export (a PDF) for its requester (vprplan.documents.exports)."""
    return export_render(export_id=export_id).status


@shared_task(name=EXPORT_CLEANUP_TASK, ignore_result=True)
def cleanup_exports() -> int:
    """Delete exports older than a day with their files."""
    return exports_cleanup()
