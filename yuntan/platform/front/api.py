"""JSON endpoints of the front app."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from yuntan.platform.front.health import check_health

router = Router(tags=["health"])


class HealthOut(Schema):
    status: Literal["ok", "error"]
    database: str
    version: str


@router.get("/health", response={200: HealthOut, 503: HealthOut}, url_name="health")
def health(request: HttpRequest) -> Status[HealthOut]:
    """Whether the platform can reach its database: 200 "ok", else 503 "error"."""
    report = check_health()
    return Status(200 if report["status"] == "ok" else 503, HealthOut(**report))
