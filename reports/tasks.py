"""Jobs of the reports app. Thin: take ids, call the service (which records its own failures)."""

from celery import shared_task

from reports.orders.services import RENDER_TASK, order_document_render


@shared_task(name=RENDER_TASK, ignore_result=True)
def render_order_document(document_id: str) -> str:
    """Render the order's PDF, sign it and approve the plan (reports.orders.services)."""
    return order_document_render(document_id=document_id).status
