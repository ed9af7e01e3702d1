"""PACT events (CloudEvents 1.0, structured JSON mode) for v3 and v2: builders and a parser.

v3 (``/3/events``): ``org.wbcsd.pact.ProductFootprint.<Kind>Event.3``; RequestCreated
carries the ListFootprints filter criteria. v2 (``/2/events``): the
``org.wbcsd.pathfinder.*.v1`` types; RequestCreated carries a ProductFootprint fragment in
``pf``. Every built event is validated against the version's official schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from yuntan import bounded_json
from yuntan.pact.api import error_code
from yuntan.pact.errors import MalformedEvent, Violation
from yuntan.pact.mapping import date_time
from yuntan.pact.schema import major, validate, violations

CLOUDEVENTS_VERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


class EventKind(StrEnum):
    PUBLISHED = "PublishedEvent"
    REQUEST_CREATED = "RequestCreatedEvent"
    REQUEST_FULFILLED = "RequestFulfilledEvent"
    REQUEST_REJECTED = "RequestRejectedEvent"


EVENT_TYPES: dict[str, dict[EventKind, str]] = {
    "3": {kind: f"org.wbcsd.pact.ProductFootprint.{kind.value}.3" for kind in EventKind},
    "2": {
        EventKind.PUBLISHED: "org.wbcsd.pathfinder.ProductFootprint.Published.v1",
        EventKind.REQUEST_CREATED: "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
        EventKind.REQUEST_FULFILLED: "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
        EventKind.REQUEST_REJECTED: "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
    },
}
_REQUIRED = ("type", "specversion", "id", "source", "time", "data")


@dataclass(frozen=True)
class PactEvent:
    """A parsed event: its kind, CloudEvents attributes and ``data`` as sent."""

    version: str  # "2" or "3"
    kind: EventKind
    type: str
    id: str
    source: str
    time: datetime
    data: Mapping[str, Any]


def _event(version: str, kind: EventKind, source: str, data: Mapping[str, Any],
           event_id: str | None, time: datetime | None) -> dict[str, Any]:
    v = major(version)
    body = {
        "type": EVENT_TYPES[v][kind],
        "specversion": CLOUDEVENTS_VERSION,
        "id": event_id or str(uuid4()),
        "source": source,
        "time": date_time(time or datetime.now(UTC)),
        "data": dict(data),
    }
    validate(body, kind.value, v)
    return body


def published_event(version: str, pf_ids: Iterable[str], *, source: str,
                    event_id: str | None = None, time: datetime | None = None) -> dict[str, Any]:
    """PublishedEvent (owner → recipient): these footprints are new or changed.
    ``source`` is the sender's events endpoint, ``//<host>/<subpath>/3/events``."""
    ids = [str(i) for i in pf_ids]
    if not ids:
        raise ValueError("a PublishedEvent names at least one footprint id")
    return _event(version, EventKind.PUBLISHED, source, {"pfIds": ids}, event_id, time)


def request_created_event(version: str, criteria: Mapping[str, Any], *, source: str,
                          comment: str | None = None, event_id: str | None = None,
                          time: datetime | None = None) -> dict[str, Any]:
    """RequestCreatedEvent (recipient → owner). ``criteria``: v3 the filter criteria
    (``{"productId": ["urn:…"], "geography": ["CN"], …}``); v2 the ProductFootprint
    fragment (``{"productIds": ["urn:…"]}``), sent as ``data.pf``."""
    v = major(version)
    data: dict[str, Any] = dict(criteria) if v == "3" else {"pf": dict(criteria)}
    if comment is not None:
        data["comment"] = comment
    return _event(v, EventKind.REQUEST_CREATED, source, data, event_id, time)


def request_fulfilled_event(version: str, request_event_id: str,
                            footprints: Iterable[Mapping[str, Any]], *, source: str,
                            event_id: str | None = None,
                            time: datetime | None = None) -> dict[str, Any]:
    """RequestFulfilledEvent (owner → recipient) with the footprints found (v3: at least
    one; with none, send :func:`request_rejected_event` instead)."""
    data = {"requestEventId": request_event_id, "pfs": [dict(pf) for pf in footprints]}
    return _event(version, EventKind.REQUEST_FULFILLED, source, data, event_id, time)


def request_rejected_event(version: str, request_event_id: str, code: str, message: str, *,
                           source: str, event_id: str | None = None,
                           time: datetime | None = None) -> dict[str, Any]:
    """RequestRejectedEvent (owner → recipient) with the spec's error object.

    A 404 code is written ``NotFound`` in both versions: the Error enum of both OpenAPI
    files has only that spelling, and the receiving host validates the event body against
    it (v2's spec text says ``NoSuchFootprint``; docs/pact.md)."""
    written = "NotFound" if code in ("NoSuchFootprint", "NotFound") else error_code(code, version)
    data = {"requestEventId": request_event_id,
            "error": {"code": written, "message": message}}
    return _event(version, EventKind.REQUEST_REJECTED, source, data, event_id, time)


def parse_event(body: Mapping[str, Any] | str | bytes, version: str) -> PactEvent:
    """The event posted to ``/<version>/events``, validated, or :class:`MalformedEvent`
    listing every problem with its JSON path (the host answers 400 ``BadRequest``)."""
    v = major(version)
    if isinstance(body, str | bytes):
        try:
            body = bounded_json.loads(body)
        except ValueError as exc:
            raise MalformedEvent("the event body", [Violation("$", f"not JSON: {exc}")]) from None
    if not isinstance(body, Mapping):
        raise MalformedEvent("the event body", [Violation("$", "is not a JSON object")])
    problems = [Violation("$", f"{name!r} is a required property")
                for name in _REQUIRED if name not in body]
    if body.get("specversion", CLOUDEVENTS_VERSION) != CLOUDEVENTS_VERSION:
        problems.append(Violation("$.specversion", "must be '1.0' (CloudEvents 1.0)"))
    kinds = {t: k for k, t in EVENT_TYPES[v].items()}
    kind = kinds.get(body.get("type"))  # type: ignore[arg-type]
    if kind is None:
        problems.append(Violation("$.type", f"{body.get('type')!r} is not a PACT v{v} event "
                                            f"type; expected one of {', '.join(kinds)}"))
    else:
        problems.extend(violations(body, kind.value, v))
        data = body.get("data")
        if kind is EventKind.PUBLISHED and isinstance(data, Mapping) and not data.get("pfIds"):
            problems.append(Violation("$.data.pfIds", "must name at least one footprint id"))
    if problems or kind is None:
        raise MalformedEvent(f"PACT v{v} event", sorted(set(problems), key=str))
    try:
        when = datetime.fromisoformat(str(body["time"]).replace("Z", "+00:00"))
    except ValueError:  # pragma: no cover - the schema's date-time check catches it first
        raise MalformedEvent(f"PACT v{v} event",
                             [Violation("$.time", "is not a date-time")]) from None
    return PactEvent(version=v, kind=kind, type=body["type"], id=str(body["id"]),
                     source=str(body["source"]), time=when, data=body["data"])

