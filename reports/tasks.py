"""Jobs of the reports app. Thin: take ids, call the service (which records its own failures)."""

from celery import shared_task

from reports.exports.jobs import CLEANUP_TASK as EXPORT_CLEANUP_TASK
from reports.exports.jobs import RENDER_TASK as EXPORT_RENDER_TASK
from reports.exports.jobs import export_render, exports_cleanup
from reports.orders.services import RENDER_TASK, order_document_render


@shared_task(name=RENDER_TASK, ignore_result=True)
def render_order_document(document_id: str) -> str:
    """Render the order's PDF, sign it and approve the plan (reports.orders.services)."""
    return order_document_render(document_id=document_id).status


@shared_task(name=EXPORT_RENDER_TASK, ignore_result=True)
def render_export(export_id: str) -> str:
    """Render a long export (a PDF) for its requester (reports.exports.jobs)."""
    return export_render(export_id=export_id).status


@shared_task(name=EXPORT_CLEANUP_TASK, ignore_result=True)
def cleanup_exports() -> int:
    """Delete exports older than a day with their files."""
    return exports_cleanup()
