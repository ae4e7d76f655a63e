"""The Celery app. Configured from Django settings (CELERY_*); tasks live in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vprplan.settings")

# Every task claims its Job row before it runs (vprplan.jobs.JobTask): a job runs once, whatever
# the deliveries.
app = Celery("vprplan", task_cls="vprplan.jobs:JobTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
