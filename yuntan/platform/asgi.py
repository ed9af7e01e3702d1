"""ASGI entry point: ``uvicorn yuntan.platform.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuntan.platform.settings")

application = get_asgi_application()
