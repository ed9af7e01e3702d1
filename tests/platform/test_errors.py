"""Server errors are logged with a request id that the error page or the API's JSON error
shows; the APIs (ninja under /api/, PACT under /2/, /3/, /auth/) never answer an HTML page."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from yuntan.platform.exchange import host


class Boom(RuntimeError):
    pass


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise Boom("secret internal detail")


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def _logged_request_id(caplog: pytest.LogCaptureFixture) -> str:
    errors = [r for r in caplog.records
              if r.levelno >= logging.ERROR and r.exc_info and r.exc_info[0] is Boom]
    assert errors, "the server error was not logged with its traceback"
    return str(getattr(errors[0], "request_id", ""))


@pytest.mark.django_db
def test_a_page_error_shows_the_request_id_of_its_log_line(
        client: Client, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yuntan.platform.front.views.check_health", _boom)
    response = client.get("/health/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    request_id = _logged_request_id(caplog)
    assert len(request_id) == 16
    assert request_id in response.content.decode()
    assert response["X-Request-ID"] == request_id
    assert "secret internal detail" not in response.content.decode()


@pytest.mark.django_db
def test_a_ninja_api_error_answers_json(client: Client, caplog: pytest.LogCaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("yuntan.platform.front.api.check_health", _boom)
    response = client.get("/api/health")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["request_id"] == _logged_request_id(caplog)
    assert body["request_id"] in body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["2", "3"])
def test_a_pact_api_error_answers_the_specs_json(
        version: str, client: Client, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host, "customer_of_token", _boom)
    response = client.get(f"/{version}/footprints", secure=True,
                          HTTP_AUTHORIZATION="Bearer some-token")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "InternalError"
    assert body["request_id"] == _logged_request_id(caplog)


@pytest.mark.django_db
def test_a_pact_token_error_answers_oauth_json(client: Client, caplog: pytest.LogCaptureFixture,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host, "issue_token", _boom)
    response = client.post("/auth/token", {"grant_type": "client_credentials"}, secure=True,
                           HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert response.json()["request_id"] == _logged_request_id(caplog)


@pytest.mark.django_db
@pytest.mark.parametrize("path,key", [("/api/no-such-thing", "detail"),
                                      ("/3/no-such-thing", "code")])
def test_an_unknown_api_path_answers_json_404(client: Client, path: str, key: str) -> None:
    response = client.get(path, secure=True)
    assert response.status_code == 404
    assert key in response.json()


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client: Client) -> None:
    first, second = client.get("/health/"), client.get("/health/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
