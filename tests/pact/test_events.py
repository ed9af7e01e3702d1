"""yuntan.pact.events: the four events of each version, built valid and parsed strictly."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pact_fixtures import aluminium

from yuntan.pact import (
    EventKind,
    MalformedEvent,
    parse_event,
    published_event,
    request_created_event,
    request_fulfilled_event,
    request_rejected_event,
    to_v2,
    to_v3,
    validate,
)

SOURCE = "//pact.yuntan.example/3/events"
PF_ID = "5f0b1d7e-3a52-4c1e-9d7a-2b8f6c4e1a90"
WHEN = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def built(version: str) -> dict[EventKind, dict[str, Any]]:
    pf = to_v3(aluminium()) if version == "3" else to_v2(aluminium())
    criteria = ({"productId": ["urn:pact:yuntan.example:supplier-id:X"], "geography": ["CN"]}
                if version == "3" else {"productIds": ["urn:pact:yuntan.example:supplier-id:X"]})
    return {
        EventKind.PUBLISHED: published_event(version, [PF_ID], source=SOURCE, time=WHEN),
        EventKind.REQUEST_CREATED: request_created_event(version, criteria, source=SOURCE,
                                                         comment="2024 please", event_id="r-1"),
        EventKind.REQUEST_FULFILLED: request_fulfilled_event(version, "r-1", [pf],
                                                             source=SOURCE),
        EventKind.REQUEST_REJECTED: request_rejected_event(version, "r-1", "NoSuchFootprint",
                                                           "Unknown product", source=SOURCE),
    }


@pytest.mark.parametrize("version", ["2", "3"])
def test_every_built_event_validates_and_parses_back(version: str) -> None:
    for kind, body in built(version).items():
        validate(body, kind.value, version)
        event = parse_event(json.dumps(body), version)
        assert (event.kind, event.source, event.data) == (kind, SOURCE, body["data"])


def test_the_type_strings_are_the_specs() -> None:
    v3, v2 = built("3"), built("2")
    assert v3[EventKind.PUBLISHED]["type"] == "org.wbcsd.pact.ProductFootprint.PublishedEvent.3"
    assert v2[EventKind.REQUEST_CREATED]["type"] == (
        "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1")
    assert v2[EventKind.REQUEST_CREATED]["data"]["pf"]["productIds"]
    assert v3[EventKind.PUBLISHED]["time"] == "2025-05-01T08:00:00Z"


def test_the_rejected_404_code_is_the_schemas_in_both_versions() -> None:
    assert built("3")[EventKind.REQUEST_REJECTED]["data"]["error"]["code"] == "NotFound"
    assert built("2")[EventKind.REQUEST_REJECTED]["data"]["error"]["code"] == "NotFound"


def _published(**changes: Any) -> dict[str, Any]:
    body = {"type": "org.wbcsd.pact.ProductFootprint.PublishedEvent.3", "specversion": "1.0",
            "id": "e-1", "source": SOURCE, "time": "2025-05-01T08:00:00Z",
            "data": {"pfIds": [PF_ID]}}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


@pytest.mark.parametrize(("body", "path"), [
    ("{not json", "$"),
    ([], "$"),
    (_published(type="org.wbcsd.pathfinder.ProductFootprint.Published.v1"), "$.type"),
    (_published(time=None), "$"),
    (_published(time="yesterday"), "$.time"),
    (_published(specversion="0.3"), "$.specversion"),
    (_published(data={"pfIds": []}), "$.data.pfIds"),
    (_published(data={"pfIds": ["42"]}), "$.data.pfIds[0]"),
    (_published(type="org.wbcsd.pact.ProductFootprint.RequestFulfilledEvent.3",
                data={"requestEventId": "r-1", "pfs": []}), "$.data.pfs"),
])
def test_malformed_v3_events_are_refused_with_the_path(body: Any, path: str) -> None:
    raw = body if isinstance(body, str) else json.dumps(body)
    with pytest.raises(MalformedEvent) as caught:
        parse_event(raw, "3")
    assert path in {v.path for v in caught.value.violations}


def test_a_v2_event_missing_cloudevents_attributes_is_refused() -> None:
    body = built("2")[EventKind.REQUEST_REJECTED]
    del body["source"]  # the v2 schema forgets to require it; CloudEvents does
    with pytest.raises(MalformedEvent, match="'source' is a required property"):
        parse_event(body, "2")


def test_a_published_event_needs_an_id() -> None:
    with pytest.raises(ValueError, match="at least one"):
        published_event("3", [], source=SOURCE)
