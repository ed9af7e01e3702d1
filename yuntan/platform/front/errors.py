"""Error responses (handler400/403/404/500): JSON for the APIs, HTML pages otherwise, each
with the request id that the server log line of the error carries.

API paths and their error shapes: ``/api/…`` (ninja) ``{"detail": …, "request_id": …}``;
``/2/…`` and ``/3/…`` (PACT) the spec's error (``code``, ``message``); ``/auth/…`` and
``/.well-known/…`` (PACT authentication) OAuth 2.0's ``error`` and ``error_description``.
The 500 page renders without the database or the request's context processors: whatever
failed cannot fail it again.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from yuntan.pact import error_response
from yuntan.platform.front.middleware import current_request_id

_PACT = re.compile(r"^/([23])/")
_OAUTH = ("/auth/", "/.well-known/")

# status → (PACT code, OAuth error, ninja detail)
_KINDS = {
    400: ("BadRequest", "invalid_request", "Bad request."),
    403: ("AccessDenied", "access_denied", "Forbidden."),
    404: ("NotFound", "invalid_request", "Not found."),
    500: ("InternalError", "server_error", "Internal server error; it is logged on the server."),
}


def is_api_path(path: str) -> bool:
    return path.startswith(("/api/", *_OAUTH)) or _PACT.match(path) is not None


def api_error(request: HttpRequest, status: int) -> JsonResponse:
    """The API's own error body for ``status`` at the request's path."""
    code, oauth, detail = _KINDS[status]
    request_id = getattr(request, "request_id", current_request_id())
    message = f"{detail} (request id {request_id})"
    pact = _PACT.match(request.path)
    body: dict[str, str]
    if pact:
        body = error_response(code, pact.group(1), message)[1]
    elif request.path.startswith(_OAUTH):
        body = {"error": oauth, "error_description": message}
    else:
        body = {"detail": message}
    body["request_id"] = request_id
    return JsonResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_path(request.path):
        return api_error(request, 500)
    html = loader.get_template("500.html").render(
        {"request_id": getattr(request, "request_id", current_request_id())})
    return HttpResponse(html, status=500)
