"""Push of meter readings by an energy-monitoring system (``POST /api/meter-readings``),
authenticated by a feed token (``Authorization: Bearer ytm_...``). The body is JSON
(``{"readings": [{"meter_id", "timestamp", "value", "unit", "kind"}]}``) or, with
``Content-Type: text/csv``, the CSV the upload page takes. The batch is stored whole or
refused with every problem (400)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from yuntan import bounded_json
from yuntan.checks import InvalidMeterFile, MeterReading, ReadingKind, read_meter_csv
from yuntan.platform.checkdata.models import BatchSource, MeterFeed
from yuntan.platform.checkdata.services import (
    MAX_READING,
    CheckDataError,
    feed_of_token,
    store_readings,
)

router = Router(tags=["meters"])


class FeedToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> MeterFeed | None:
        return feed_of_token(token)


class BatchOut(Schema):
    batch: int
    product: int
    field: str
    stored: int
    skipped: int
    sha256: str


class Problems(Schema):
    detail: str
    problems: list[dict[str, Any]]


def _readings(request: HttpRequest) -> list[MeterReading]:
    content_type = request.content_type or ""
    if content_type == "text/csv":
        try:
            return read_meter_csv(request.body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise CheckDataError("The body is not UTF-8 text.") from None
        except InvalidMeterFile as exc:
            raise CheckDataError(str(exc)) from None
    try:
        body = bounded_json.loads(request.body or b"null")
    except bounded_json.UnreadableJson as exc:
        raise CheckDataError(f"The body is not usable JSON (or send text/csv): {exc}") from None
    items = body.get("readings") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise CheckDataError('The body needs a "readings" list.')
    readings, problems = [], []
    for index, item in enumerate(items):
        where = f"readings[{index}]"
        try:
            if not isinstance(item, dict):
                raise ValueError("must be an object")
            missing = [k for k in ("meter_id", "timestamp", "value", "unit") if k not in item]
            if missing:
                raise ValueError(f"misses {', '.join(missing)}")
            value = item["value"]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError("value must be a number")
            if abs(value) > MAX_READING:
                raise ValueError(f"value {value:.3g} is beyond {MAX_READING:.0e}")
            readings.append(MeterReading(
                datetime.fromisoformat(str(item["timestamp"])), str(item["meter_id"])[:64],
                float(value), str(item["unit"]), ReadingKind(item.get("kind", "interval"))))
        except ValueError as exc:
            problems.append({"field": where, "message": str(exc)})
    if problems:
        raise CheckDataError("The readings were not stored.", problems[:200])
    return readings


@router.post("/meter-readings", auth=FeedToken(), response={201: BatchOut, 400: Problems},
             summary="Push meter readings (feed token)")
def push_meter_readings(request: HttpRequest) -> Any:
    """Store a batch of readings of the feed's product and field (all or nothing)."""
    feed: MeterFeed = request.auth  # type: ignore[attr-defined]
    try:
        batch = store_readings(feed.product, feed.field_id, _readings(request),
                               source=BatchSource.API, raw=request.body, feed=feed)
    except CheckDataError as exc:
        return Status(400, {"detail": str(exc), "problems": exc.problems})
    return Status(201, {"batch": batch.pk, "product": batch.product_id,
                        "field": batch.field_id, "stored": batch.stored,
                        "skipped": batch.skipped, "sha256": batch.sha256})
