"""Validation against the official PACT OpenAPI files (v2.3.3 and v3.0.3, vendored unchanged
in ``yuntan/data/pact``).

OpenAPI 3.1 schemas are JSON Schema Draft 2020-12, so each ``openapi.yaml`` is registered as
one Draft 2020-12 resource and every ``$ref`` (``#/components/...``) resolves inside it.
Formats are checked offline: ``uuid`` by :mod:`uuid`, ``date-time`` as RFC 3339 with a
time zone, ``uri`` as an RFC 3986 URI with a scheme; the spec's own ``decimal``/``urn``
formats are left to its ``pattern`` keywords.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from yuntan.pact.errors import SchemaViolation, UnknownSpecVersion, Violation

VERSIONS = ("2", "3")
SPEC_VERSIONS = {"2": "2.3.3", "3": "3.0.3"}  # info.version of the vendored files
_BASE = "urn:yuntan:pact:openapi:v{}"
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_MAX_MESSAGE = 300


def major(version: str) -> str:
    """``"2"`` or ``"3"`` for a version such as ``"3"``, ``"3.0"`` or ``"2.3.0"``."""
    head = str(version).strip().split(".")[0]
    if head not in VERSIONS:
        raise UnknownSpecVersion(
            f"PACT version {version!r} is not supported; use 2 (2.x) or 3 (3.x).")
    return head


@cache
def spec(version: str) -> Mapping[str, Any]:
    """The parsed ``openapi.yaml`` of PACT ``version`` (read once)."""
    folder = resources.files(f"yuntan.data.pact.v{major(version)}")
    document: Mapping[str, Any] = yaml.safe_load(
        folder.joinpath("openapi.yaml").read_text(encoding="utf-8"))
    return document


def schema_names(version: str) -> tuple[str, ...]:
    """The names under ``components/schemas`` of PACT ``version``."""
    return tuple(spec(version)["components"]["schemas"])


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # not a string: the "type" keyword reports it
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def _is_uri_reference(value: object) -> bool:
    return not isinstance(value, str) or (value != "" and not any(c.isspace() for c in value))


@cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=("uuid",))  # the standard library's check
    checker.checks("date-time")(_is_date_time)
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    return checker


@cache
def _registry(version: str) -> Registry[Any]:
    resource = DRAFT202012.create_resource(dict(spec(version)))
    return Registry().with_resource(_BASE.format(version), resource)  # type: ignore[no-any-return]


@cache
def _validator(version: str, pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{_BASE.format(version)}#{pointer}"},
        registry=_registry(version), format_checker=_format_checker())


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _describe(error: ValidationError) -> Violation:
    if "geographyCountry" in str(error.schema) and error.validator in ("oneOf", "not"):
        message = ("at most one of geographyRegionOrSubregion, geographyCountry and "
                   "geographyCountrySubdivision may be set")
    elif error.validator in ("oneOf", "anyOf"):
        message = f"matches none or more than one of the alternatives ({error.validator})"
        deeper = [e for e in error.context or () if len(e.path) > 0]
        if deeper:
            closest = best_match(deeper)
            message += f"; closest: {closest.json_path}: {closest.message}"
    elif error.validator == "not":
        message = "matches a schema it must not match (not)"
    else:
        message = error.message
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "…"
    return Violation(error.json_path, message)


def _violations_at(instance: Any, version: str, pointer: str) -> tuple[Violation, ...]:
    errors = sorted(_validator(version, pointer).iter_errors(instance),
                    key=lambda e: (e.json_path, str(e.message)))
    return tuple(_describe(e) for e in errors)


def violations(instance: Any, schema: str, version: str) -> tuple[Violation, ...]:
    """Every violation of ``instance`` against the component schema called ``schema``
    (e.g. ``"ProductFootprint"``, ``"RequestFulfilledEvent"``) of PACT ``version``."""
    v = major(version)
    if schema not in spec(v)["components"]["schemas"]:
        raise KeyError(f"PACT v{v} has no schema {schema!r}; it has: "
                       f"{', '.join(schema_names(v))}")
    return _violations_at(instance, v, f"/components/schemas/{_escape(schema)}")


def validate(instance: Any, schema: str, version: str) -> None:
    """Raise :class:`SchemaViolation` listing every problem unless ``instance`` validates
    against the component schema ``schema`` of PACT ``version``."""
    found = violations(instance, schema, version)
    if found:
        raise SchemaViolation(f"PACT v{major(version)} {schema}", found)


def _pointer_get(document: Mapping[str, Any], pointer: str) -> Any:
    node: Any = document
    for token in pointer.lstrip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def response_schema_pointer(version: str, path: str, method: str, status: int | str,
                            content_type: str = "application/json") -> str | None:
    """The JSON pointer (in the version's ``openapi.yaml``) of the response schema of an
    operation, following the response's ``$ref``; ``None`` when the response has no body."""
    v = major(version)
    document = spec(v)
    try:
        operation = document["paths"][path][method.lower()]
    except KeyError:
        raise KeyError(f"PACT v{v} has no operation {method.upper()} {path}; paths: "
                       f"{', '.join(document['paths'])}") from None
    responses = operation["responses"]
    if str(status) not in responses:
        raise KeyError(f"PACT v{v} {method.upper()} {path} defines no {status} response; "
                       f"it defines {', '.join(responses)}")
    pointer = (f"/paths/{_escape(path)}/{method.lower()}/responses/{status}")
    response = responses[str(status)]
    if "$ref" in response:
        pointer = response["$ref"].removeprefix("#")
        response = _pointer_get(document, pointer)
    content = response.get("content")
    if not content:
        return None
    if content_type not in content:
        raise KeyError(f"PACT v{v} {method.upper()} {path} {status} has no {content_type!r} "
                       f"body; it has {', '.join(content)}")
    return f"{pointer}/content/{_escape(content_type)}/schema"


def response_violations(instance: Any, version: str, path: str, method: str,
                        status: int | str,
                        content_type: str = "application/json") -> tuple[Violation, ...]:
    """Every violation of a response body against the operation's response schema, e.g.
    ``response_violations(body, "3", "/3/footprints/{id}", "get", 200)``. For a response
    the spec defines without a body, any body other than ``None`` is a violation."""
    v = major(version)
    pointer = response_schema_pointer(v, path, method, status, content_type)
    if pointer is None:
        if instance is None:
            return ()
        return (Violation("$", f"the spec defines no body for {status}; expected none"),)
    return _violations_at(instance, v, pointer)


def validate_response(instance: Any, version: str, path: str, method: str,
                      status: int | str, content_type: str = "application/json") -> None:
    """Raise :class:`SchemaViolation` unless ``instance`` is a valid response body."""
    found = response_violations(instance, version, path, method, status, content_type)
    if found:
        raise SchemaViolation(
            f"PACT v{major(version)} {method.upper()} {path} {status} response", found)
