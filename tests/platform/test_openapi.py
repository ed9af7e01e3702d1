"""Every ninja endpoint appears in the OpenAPI schema; the docs UI needs no CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern

from yuntan.platform.api import api

# URLs ninja adds itself (schema, docs UI, root); everything else is an endpoint of ours.
NINJA_OWN = {"openapi-json", "openapi-view", "api-root"}


def _endpoint_paths() -> set[str]:
    patterns, _app, _namespace = api.urls
    paths = set()
    for pattern in patterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in NINJA_OWN:
            continue
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        paths.add(f"/api/{route}")
    return paths


def test_there_are_endpoints_to_check() -> None:
    assert "/api/health" in _endpoint_paths()


def test_every_endpoint_is_in_the_openapi_schema() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/")
    missing = _endpoint_paths() - set(schema["paths"])
    assert not missing, f"endpoints missing from OpenAPI: {sorted(missing)}"


def test_every_operation_has_a_summary_and_a_response_schema() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path}"
            assert operation["responses"], f"{method.upper()} {path}"


def test_the_schema_describes_the_api() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/")
    assert schema["info"]["title"] == "Yuntan API"
    assert schema["info"]["version"] == "0.1"
    health = schema["paths"]["/api/health"]["get"]
    assert {str(code) for code in health["responses"]} == {"200", "503"}


def test_the_schema_is_served(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/health" in response.json()["paths"]


@pytest.mark.parametrize("path", ["/api/docs"])
def test_the_docs_ui_loads_its_assets_from_our_static_files(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/" in body
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", body), "asset from a CDN"
