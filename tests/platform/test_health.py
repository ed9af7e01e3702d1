"""The health page and /api/health run SELECT 1 and report the database vendor."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client

import yuntan

VENDORS = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
EXPECTED_VENDOR = VENDORS[settings.DATABASES["default"]["ENGINE"]]

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down() -> Iterator[None]:
    def refuse() -> None:
        raise OperationalError("connection refused")

    with mock.patch.object(connections["default"], "cursor", side_effect=refuse):
        yield


def test_api_health_reports_ok_with_the_database_vendor_and_version(client: Client) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "status": "ok",
        "database": EXPECTED_VENDOR,
        "version": yuntan.__version__,
    }


def test_api_health_is_503_when_the_database_fails(client: Client, database_down: None) -> None:
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": EXPECTED_VENDOR,
        "version": yuntan.__version__,
    }


def test_health_page_shows_ok_and_the_vendor(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.templates[0].name == "front/health.html"
    body = response.content.decode()
    assert '<dd class="status-ok">正常</dd>' in body
    assert f"<dd>{EXPECTED_VENDOR}</dd>" in body
    assert f"<dd>{yuntan.__version__}</dd>" in body


def test_health_page_is_503_when_the_database_fails(client: Client, database_down: None) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/health/")
    assert response.status_code == 503
    assert "Error: the database does not answer" in response.content.decode()


def test_health_without_trailing_slash_redirects(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 301
    assert response["Location"] == "/health/"
