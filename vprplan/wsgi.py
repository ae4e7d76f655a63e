"""
WSGI config for vprplan project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vprplan.settings")

application = get_wsgi_application()

# Without a broker, jobs run in a background thread of this server (vprplan.jobs).
from vprplan.jobs import worker  # noqa: E402

worker.enabled = True
