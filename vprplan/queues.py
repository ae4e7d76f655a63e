"""The Celery queues and which task goes to which (CELERY_TASK_ROUTES in settings).

Two queues: `celery` (everything by default: reminders, executions, the beat's sweeps) and `pdf`
(rendering and signing orders, PDF exports: seconds of CPU each), so that a burst of PDFs never
holds up the reminders, and PDF workers can run on machines of their own
(`celery -A vprplan worker -Q pdf`). A worker started without -Q consumes both.
"""

from django.conf import settings


def queue_names() -> list[str]:
    """Every queue of the deployment, the default first."""
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    return [default, *sorted(routed - {default})]


def queue_for(task_name: str) -> str:
    """The queue a task is sent to (the routes are by exact task name)."""
    route = settings.CELERY_TASK_ROUTES.get(task_name)
    return route["queue"] if route else settings.CELERY_TASK_DEFAULT_QUEUE
