"""The health check shared by the HTML page and the JSON endpoint."""

from __future__ import annotations

from typing import Literal, TypedDict

from django.db import DatabaseError, connections

import yuntan


class HealthDict(TypedDict):
    status: Literal["ok", "error"]
    database: str
    version: str


def check_health() -> HealthDict:
    """Run ``SELECT 1`` on the default database and report the outcome."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
        healthy = row is not None and row[0] == 1
    except DatabaseError:
        healthy = False
    return {
        "status": "ok" if healthy else "error",
        "database": connection.vendor,
        "version": getattr(yuntan, "__version__", "0.1.0"),
    }
