"""The production settings (DEBUG=false from the environment) for the gunicorn of the fault and
load tests, with one change: static files without the manifest, so that the test needs no
collectstatic into the project's STATIC_ROOT (which other runs share)."""

from vprplan.settings import *  # noqa: F403
from vprplan.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
