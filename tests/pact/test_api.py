"""yuntan.pact.api: error bodies with their status, and the v3 ListFootprints filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pact_fixtures import aluminium, example

from yuntan.pact import (
    InvalidFilter,
    error_response,
    invalid_token_response,
    matches,
    parse_filters,
    response_violations,
    to_v2,
    to_v3,
    validity_period,
)


@pytest.mark.parametrize(("code", "version", "status", "written"), [
    ("AccessDenied", "2", 403, "AccessDenied"), ("AccessDenied", "3", 403, "AccessDenied"),
    ("BadRequest", "3", 400, "BadRequest"), ("NoSuchFootprint", "2", 404, "NotFound"),
    ("NoSuchFootprint", "3", 404, "NotFound"), ("NotFound", "2", 404, "NotFound"),
    ("NotImplemented", "2", 400, "NotImplemented"), ("NotImplemented", "3", 400, "NotImplemented"),
    ("TokenExpired", "3", 401, "TokenExpired"), ("InternalError", "2", 500, "InternalError"),
])
def test_each_error_code_has_its_status_and_body(
        code: str, version: str, status: int, written: str) -> None:
    got_status, body = error_response(code, version)
    assert (got_status, body["code"]) == (status, written) and body["message"]


def test_v3_error_bodies_validate_against_the_operations() -> None:
    for code, path in (("NotFound", "/3/footprints/{id}"), ("AccessDenied", "/3/footprints"),
                       ("BadRequest", "/3/events"), ("InternalError", "/3/footprints")):
        status, body = error_response(code, "3")
        method = "post" if path.endswith("events") else "get"
        assert response_violations(body, "3", path, method, status) == ()
    status, body = invalid_token_response("3")
    assert status == 401 and response_violations(body, "3", "/3/footprints", "get", 401) == ()


def test_the_v2_404_body_follows_the_openapi_enum() -> None:
    status, body = error_response("NoSuchFootprint", "2")
    assert response_violations(body, "2", "/2/footprints/{id}", "get", status) == ()
    assert response_violations({"code": "NoSuchFootprint", "message": "x"}, "2",
                               "/2/footprints/{id}", "get", 404)  # the spec text's spelling


def test_filters_read_query_parameters_case_insensitively() -> None:
    filters = parse_filters({"productId": ["urn:a", "urn:b"], "productid": "urn:c",
                             "geography[]": ["cn"], "validon": "2025-04-01T00:00Z",
                             "status": "active", "limit": "10", "x-yt-batch": "7"})
    assert filters.product_ids == ("urn:a", "urn:b", "urn:c")
    assert filters.valid_on == datetime(2025, 4, 1, tzinfo=UTC)
    assert (filters.geographies, filters.status) == (("cn",), "Active")


@pytest.mark.parametrize(("query", "match"), [
    ({"productId": "GTIN-123"}, "not a URN"),
    ({"validOn": "next week"}, "date-time"),
    ({"validOn": ["2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"]}, "one value"),
    ({"status": "Retired"}, "Active or Deprecated"),
    ({"$filter": "created gt 2024"}, "unknown filter"),
])
def test_bad_filters_are_refused(query: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidFilter, match=match):
        parse_filters(query)


PRODUCT = "urn:pact:yuntan.example:supplier-id:91532600DEMO0001-AL9970"


@pytest.mark.parametrize(("query", "expected"), [
    ({}, True),
    ({"productId": [PRODUCT.upper(), "urn:other"]}, True),
    ({"productId": ["urn:other"]}, False),
    ({"productId": [PRODUCT], "geography": ["FR"]}, False),
    ({"geography": ["CN"]}, True),
    ({"geography": ["cn-yn"]}, True),
    ({"classification": ["urn:pact:yuntan.example:hs-code:7601.10"]}, True),
    ({"companyId": ["urn:pact:yuntan.example:company-id:91532600demo0001"]}, True),
    ({"status": "Deprecated"}, False),
    ({"validOn": "2026-06-01T00:00:00Z"}, True),  # default validity: 3 years from 2025-01-01
    ({"validOn": "2028-06-01T00:00:00Z"}, False),
    ({"validAfter": "2024-12-31T00:00:00Z"}, True),
    ({"validBefore": "2027-12-31T00:00:00Z"}, False),
    ({"validBefore": "2028-01-02T00:00:00Z"}, True),
])
def test_matches_applies_or_within_and_between_criteria(
        query: dict[str, Any], expected: bool) -> None:
    filters = parse_filters(query)
    facts = aluminium()
    assert matches(facts, filters) is expected
    assert matches(to_v3(facts), filters) is expected
    assert matches(to_v2(facts), filters) is expected


def test_the_validity_period_given_wins_over_the_default() -> None:
    pf = example("v3/example-1.json")
    assert validity_period(pf) == (datetime(2024, 12, 31, tzinfo=UTC),
                                   datetime(2027, 12, 31, tzinfo=UTC))
    assert matches(pf, parse_filters({"validOn": "2027-06-01T00:00:00Z"}))
    assert matches(pf, parse_filters({"geography": ["us"]}))
