"""yuntan.pact.schema: the vendored examples validate; broken ones fail at the right path."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pact_fixtures import DATA, example

from yuntan.pact import (
    SchemaViolation,
    UnknownSpecVersion,
    response_violations,
    schema_names,
    spec,
    validate,
    validate_response,
    violations,
)

# Each example file and what it exemplifies (by its name and content).
FOOTPRINTS = ["v3/example-1.json", "v3/example-2.json", "v3/example-3.json",
              "v3/example-4.json"]
RESPONSES = [
    ("v2/get-footprint-response.json", "2", "/2/footprints/{id}", 200),
    ("v2/list-footprints-response.json", "2", "/2/footprints", 200),
    ("v3/get-footprint-response.json", "3", "/3/footprints/{id}", 200),
    ("v3/list-footprints-response.json", "3", "/3/footprints", 200),
    ("v3/error-response-access-denied.json", "3", "/3/footprints/{id}", 403),
]
EVENTS = [("v2/pf-response-event.json", "2"), ("v3/pf-response-event.json", "3")]


def test_every_example_file_is_covered() -> None:
    covered = {*FOOTPRINTS, *(r[0] for r in RESPONSES), *(e[0] for e in EVENTS)}
    shipped = {f"{p.parent.name}/{p.name}" for p in DATA.glob("v*/*.json")}
    assert shipped == covered


def test_the_vendored_files_are_the_versions_we_name() -> None:
    assert spec("2")["info"]["version"] == "2.3.3"
    assert spec("3.0")["info"]["version"] == "3.0.3"
    assert "ProductFootprint" in schema_names("2") and "Verification" in schema_names("3")


@pytest.mark.parametrize("name", FOOTPRINTS)
def test_v3_example_footprints_validate(name: str) -> None:
    validate(example(name), "ProductFootprint", "3")


@pytest.mark.parametrize(("name", "version", "path", "status"), RESPONSES)
def test_example_responses_validate_against_their_operation(
        name: str, version: str, path: str, status: int) -> None:
    validate_response(example(name), version, path, "get", status)


@pytest.mark.parametrize(("name", "version"), EVENTS)
def test_example_events_validate(name: str, version: str) -> None:
    validate(example(name), "RequestFulfilledEvent", version)


def _mutate(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    node = changed
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return changed


@pytest.mark.parametrize(("path", "value", "where", "says"), [
    (("id",), "not-a-uuid", "$.id", "uuid"),
    (("created",), "2025-04-30", "$.created", "date-time"),
    (("created",), "2025-02-30T00:00:00Z", "$.created", "date-time"),
    (("companyIds",), [], "$.companyIds", "non-empty"),
    (("companyIds", 0), "company1", "$.companyIds[0]", "does not match"),
    (("pcf", "declaredUnitOfMeasurement"), KeyError, "$.pcf", "required"),
    (("pcf", "declaredUnitOfMeasurement"), "ton", "$.pcf.declaredUnitOfMeasurement", "not one of"),
    (("pcf", "pcfExcludingBiogenicUptake"), "1.2e3", "$.pcf.pcfExcludingBiogenicUptake",
     "does not match"),
    (("pcf", "fossilGhgEmissions"), "-1", "$.pcf.fossilGhgEmissions", "does not match"),
    (("pcf", "geographyCountry"), "CN", "$.pcf", "at most one of"),
    (("status",), "Retired", "$.status", "not one of"),
])
def test_a_broken_v3_footprint_fails_at_its_path(
        path: tuple[str | int, ...], value: Any, where: str, says: str) -> None:
    broken = _mutate(example("v3/example-1.json"), path, value)
    found = violations(broken, "ProductFootprint", "3")
    assert any(v.path == where and says in v.message for v in found), found


def test_every_violation_is_listed_with_its_path() -> None:
    broken = _mutate(example("v3/example-1.json"), ("id",), "x")
    broken = _mutate(broken, ("pcf", "fossilGhgEmissions"), "-1")
    with pytest.raises(SchemaViolation) as caught:
        validate(broken, "ProductFootprint", "3")
    assert {v.path for v in caught.value.violations} == {"$.id", "$.pcf.fossilGhgEmissions"}
    assert "$.id" in str(caught.value) and "2 problem(s)" in str(caught.value)


def test_a_broken_v2_response_fails_inside_data() -> None:
    body = _mutate(example("v2/get-footprint-response.json"), ("data", "pcf", "declaredUnit"),
                   "piece")
    found = response_violations(body, "2", "/2/footprints/{id}", "get", 200)
    assert [v.path for v in found] == ["$.data.pcf.declaredUnit"]


@pytest.mark.parametrize(("version", "path", "status", "body", "ok"), [
    ("3", "/3/footprints", 400, {"code": "BadRequest", "message": "Bad Request"}, True),
    ("3", "/3/footprints/{id}", 404, {"code": "NotFound", "message": "x"}, True),
    ("3", "/3/footprints/{id}", 404, {"code": "NoSuchFootprint", "message": "x"}, False),
    ("2", "/2/footprints/{id}", 404, {"code": "NotFound", "message": "x"}, True),
    ("2", "/2/footprints", 401, {"code": "TokenExpired"}, False),
    ("2", "/2/footprints", 200, {"data": []}, True),
    ("3", "/3/events", 200, None, True),
    ("3", "/3/events", 200, {"ok": True}, False),
])
def test_error_and_empty_bodies_against_the_operations(
        version: str, path: str, status: int, body: Any, ok: bool) -> None:
    method = "post" if path.endswith("events") else "get"
    assert (response_violations(body, version, path, method, status) == ()) is ok


def test_unknown_names_say_what_exists() -> None:
    with pytest.raises(KeyError, match="ProductFootprint"):
        violations({}, "Footprint", "3")
    with pytest.raises(KeyError, match="/3/footprints"):
        response_violations({}, "3", "/3/products", "get", 200)
    with pytest.raises(KeyError, match="defines no 404"):
        response_violations({}, "3", "/3/footprints", "get", 404)
    with pytest.raises(UnknownSpecVersion):
        violations({}, "ProductFootprint", "4")
