"""The PACT host endpoints (v3.0 under ``/3/``, v2.3 under ``/2/``): ``/auth/token``, the
OpenID discovery document, ListFootprints, GetFootprint and Events.

HTTPS only: a plain-HTTP request gets an error before any credential or data is looked at
(``YUNTAN_PACT_REQUIRE_HTTPS``; behind a TLS-terminating proxy set
``YUNTAN_TRUST_X_FORWARDED_PROTO``). A customer sees only the footprints its enterprise
granted it. Error bodies and statuses follow the spec (``yuntan.pact.error_response``)."""

from __future__ import annotations

import base64
import binascii
import functools
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yuntan import bounded_json
from yuntan.pact import (
    EventKind,
    FootprintFilters,
    InvalidFilter,
    MalformedEvent,
    error_response,
    invalid_token_response,
    matches,
    parse_event,
    parse_filters,
)
from yuntan.platform.exchange import inbox, suppliers
from yuntan.platform.exchange.models import Customer, SharedFootprint
from yuntan.platform.exchange.services import customer_of_token, issue_token
from yuntan.platform.studies.services import StudyError

MAX_LIMIT = 100
MAX_OFFSET = 10**9  # far beyond any list of footprints; the database takes 64-bit offsets
HTTPS_ONLY = "HTTPS is required; plain HTTP is refused."
CLOUDEVENTS = "application/cloudevents+json"


def _error(code: str, version: str, message: str | None = None) -> JsonResponse:
    status, body = error_response(code, version, message)
    return JsonResponse(body, status=status)


def _insecure(request: HttpRequest) -> bool:
    return bool(settings.YUNTAN_PACT_REQUIRE_HTTPS) and not request.is_secure()


def _https_refused(version: str) -> JsonResponse:
    return _error("AccessDenied", version, HTTPS_ONLY)


def _pact_api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An API action: refused over plain HTTP, then without a valid token; the view gets
    the token's customer."""
    @csrf_exempt
    @functools.wraps(view)
    def checked(request: HttpRequest, version: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if _insecure(request):
            return _https_refused(version)
        customer = _customer(request, version)
        if isinstance(customer, JsonResponse):
            return customer
        return view(request, customer, version, *args, **kwargs)
    return checked


def _customer(request: HttpRequest, version: str) -> Customer | JsonResponse:
    """The customer of the request's bearer token, or the spec's error response."""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        status, body = invalid_token_response(version)
        return JsonResponse(body, status=status)
    customer, expired = customer_of_token(token.strip())
    if customer is None:
        status, body = invalid_token_response(version)
        return JsonResponse(body, status=status)
    if expired:
        return _error("TokenExpired", version)
    return customer


# --- authentication -----------------------------------------------------------------------

def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client authentication."""
    if _insecure(request):
        return _oauth_error("invalid_request", HTTPS_ONLY)
    if request.method != "POST":
        return _oauth_error("invalid_request", "POST the token request.", 405)
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "Use grant_type=client_credentials.")
    scheme, _space, encoded = request.headers.get("Authorization", "").partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        client_id, _colon, secret = decoded.partition(":")
    except (binascii.Error, UnicodeDecodeError):
        client_id = secret = ""
    issued = issue_token(unquote(client_id), unquote(secret)) \
        if scheme.lower() == "basic" and client_id else None
    if issued is None:
        refused = _oauth_error("invalid_client", "Authentication failed", 401)
        refused["WWW-Authenticate"] = 'Basic realm="pact"'  # RFC 6749 §5.2
        return refused
    access, seconds = issued
    response = JsonResponse({"access_token": access, "token_type": "Bearer",
                             "expires_in": seconds})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def openid_configuration(request: HttpRequest) -> HttpResponse:
    """OpenID Provider Configuration naming the token endpoint (discovery for clients)."""
    if _insecure(request):
        return _oauth_error("invalid_request", HTTPS_ONLY)
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse({
        "issuer": base, "token_endpoint": f"{base}/auth/token",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "response_types_supported": ["token"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["none"],
        "jwks_uri": f"{base}/.well-known/jwks.json",
    })


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The key set the discovery document names: empty, as our access tokens are opaque
    (they are checked here, never verified elsewhere) and no ID tokens are issued."""
    if _insecure(request):
        return _oauth_error("invalid_request", HTTPS_ONLY)
    return JsonResponse({"keys": []})


# --- footprints ---------------------------------------------------------------------------

def _document(footprint: SharedFootprint, version: str) -> dict[str, Any] | None:
    return footprint.document_v3 if version == "3" else footprint.document_v2


def _granted(customer: Customer, version: str) -> QuerySet[SharedFootprint]:
    """The footprints granted to the customer (of its enterprise only) that exist in this
    version, oldest first: a stable order, so page links stay valid."""
    found = customer.footprints.filter(organisation_id=customer.organisation_id)
    if version == "2":
        found = found.filter(document_v2__isnull=False)
    return found.order_by("created_at", "id")


def _int(request: HttpRequest, name: str, default: int, minimum: int) -> int:
    """The query parameter ``name``: digits only, from ``minimum`` to MAX_OFFSET."""
    raw = request.GET.get(name)
    if raw is None:
        return default
    # int() would also take "1_000", " 7" and 4,000 digits; the database takes 64 bits.
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12 or not (
            minimum <= int(raw) <= MAX_OFFSET):
        raise ValueError(f"{name} must be an integer from {minimum} to {MAX_OFFSET}.")
    return int(raw)


@require_GET
@_pact_api
def list_footprints(request: HttpRequest, customer: Customer, version: str) -> HttpResponse:
    try:
        limit = min(_int(request, "limit", MAX_LIMIT, 1), MAX_LIMIT)
        offset = _int(request, "offset", 0, 0)
    except ValueError as exc:
        return _error("BadRequest", version, str(exc))
    granted = _granted(customer, version)
    field = "document_v3" if version == "3" else "document_v2"
    filters = None
    if version == "3":
        try:
            filters = parse_filters(dict(request.GET.lists()))
        except InvalidFilter as exc:
            return _error("BadRequest", version, str(exc))
    # v2: the OData $filter is optional for hosts; we behave as if none was given (spec).
    if filters is not None and filters != FootprintFilters():
        documents = [d for d in granted.values_list(field, flat=True) if matches(d, filters)]
        total, page = len(documents), documents[offset:offset + limit]
    else:  # no criteria: the page straight from the database
        total = granted.count()
        page = list(granted.values_list(field, flat=True)[offset:offset + limit])
    response = JsonResponse({"data": page})
    if offset + limit < total:
        query = [(k, v) for k, values in request.GET.lists() for v in values
                 if k not in ("limit", "offset")]
        query += [("limit", str(limit)), ("offset", str(offset + limit))]
        link = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        response["Link"] = f'<{link}>; rel="next"'
    return response


@require_GET
@_pact_api
def get_footprint(request: HttpRequest, customer: Customer, version: str,
                  pf_id: str) -> HttpResponse:
    try:
        wanted = uuid.UUID(pf_id)
    except ValueError:
        return _error("NotFound", version)
    footprint = SharedFootprint.objects.filter(pk=wanted).first()
    document = _document(footprint, version) if footprint is not None else None
    if document is None:
        return _error("NotFound", version)
    if not _granted(customer, version).filter(pk=wanted).exists():
        return _error("AccessDenied", version)
    return JsonResponse({"data": document})


# --- events -------------------------------------------------------------------------------

def _too_many_events(customer: Customer) -> bool:
    """Count the customer's events in the current minute (in this process's cache)."""
    key = f"pact-events:{customer.client_id}:{int(time.time()) // 60}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return bool(count > settings.YUNTAN_PACT_EVENTS_PER_MINUTE)


@require_POST
@_pact_api
def events(request: HttpRequest, customer: Customer, version: str) -> HttpResponse:
    if _too_many_events(customer):
        response = JsonResponse({"code": "TooManyRequests", "message": (
            f"More than {settings.YUNTAN_PACT_EVENTS_PER_MINUTE} events a minute; "
            "send again later.")}, status=429)
        response["Retry-After"] = str(60 - int(time.time()) % 60)
        return response
    if (request.content_type or "").lower() != CLOUDEVENTS:
        return _error("BadRequest", version,
                      f"Send the event as {CLOUDEVENTS}; charset=UTF-8 (structured mode).")
    try:
        event = parse_event(request.body, version)
    except MalformedEvent as exc:
        return _error("BadRequest", version, str(exc)[:1000])
    if event.kind in (EventKind.REQUEST_FULFILLED, EventKind.REQUEST_REJECTED):
        try:
            refused = suppliers.answer_received(customer, event, bounded_json.loads(request.body))
        except StudyError as exc:  # a footprint in the answer is not usable: none is kept
            refused = str(exc)
        return _error("BadRequest", version, refused) if refused else HttpResponse(status=200)
    if event.kind is EventKind.PUBLISHED:
        suppliers.published_received(customer, event)
        return HttpResponse(status=200)
    if event.version == "3":
        try:  # the criteria are ListFootprints filters: unknown or bad ones are refused
            parse_filters(dict(event.data), ignore=())
        except InvalidFilter as exc:
            return _error("BadRequest", version, f"data: {exc}")
    problem = inbox.source_problem(customer, event.source)
    if problem:
        return _error("BadRequest", version, problem)
    try:
        with transaction.atomic():
            request_row = inbox.receive(customer, event, bounded_json.loads(request.body),
                                            request.get_host())
    except IntegrityError:  # the same event again: already accepted
        return HttpResponse(status=200)
    inbox.answer_automatically(request_row)
    return HttpResponse(status=200)
