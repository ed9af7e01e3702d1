"""Middleware of the platform: Chinese first (the language is the one picked with the
switch, else Simplified Chinese), and a request id on every request, log line and error."""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted.

    Users of a provincial platform see Simplified Chinese until they choose English with the
    language switch (stored in the language cookie); an English-configured browser does not
    flip the language on its own.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def request_size_limit(get_response: Callable[[HttpRequest], HttpResponseBase]
                       ) -> Callable[[HttpRequest], HttpResponseBase]:
    """Refuse a request whose declared body is larger than the largest upload allowed
    (``YUNTAN_UPLOAD_MAX_MB``, ``YUNTAN_EVIDENCE_MAX_MB``) before anything reads it: Django
    caps form and JSON bodies (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but spools files of any
    size to disk. Each upload form then applies its own, smaller limit."""
    def middleware(request: HttpRequest) -> HttpResponseBase:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.YUNTAN_REQUEST_MAX_BYTES:
            return HttpResponse(
                _("The request is larger than %(mb)s MB and was refused.")
                % {"mb": settings.YUNTAN_REQUEST_MAX_BYTES // (1024 * 1024)},
                status=413, content_type="text/plain; charset=utf-8")
        return get_response(request)
    return middleware


# --- request ids --------------------------------------------------------------------------

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("yuntan_request_id",
                                                                  default="-")
REQUEST_ID_HEADER = "X-Request-ID"


def current_request_id() -> str:
    """The id of the request being served in this thread ("-" outside a request)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id: on ``request.request_id``, in every log line written while
    it is served (``RequestIdFilter``), in the ``X-Request-ID`` response header and on the
    error pages, so an operator finds the traceback of the error a user reports."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:16]
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (for the formatter in settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
