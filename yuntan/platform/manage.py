"""``yuntan manage …``: Django's management commands with the platform's settings."""

from __future__ import annotations

import os

SETTINGS_MODULE = "yuntan.platform.settings"


def run(argv: list[str]) -> None:
    """Run one management command, e.g. ``run(["migrate"])``."""
    # Set, not setdefault: `yuntan manage` always means this platform, even when the
    # shell still exports another project's DJANGO_SETTINGS_MODULE.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuntan manage", *argv])
