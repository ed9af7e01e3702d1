"""ASGI entry point: ``uvicorn yuntan.platform.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuntan.platform.settings")

application = get_asgi_application()

# Jobs of a process that crashed are restarted or marked failed (jobs.recovery).
from yuntan.platform.jobs.recovery import recover_on_start  # noqa: E402

recover_on_start()
