"""WSGI entry point: ``gunicorn yuntan.platform.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuntan.platform.settings")

application = get_wsgi_application()
