"""A client of PACT hosts (PACT 数据交换客户端), v3.0 and v2.3, on the standard library.

:class:`PactClient` authenticates (OpenID Connect discovery, else ``/auth/token``; OAuth 2.0
client credentials), lists footprints over every page, gets one, and posts events. Every
answer is validated against the official OpenAPI response schema before it is returned;
footprints come back as :class:`~yuntan.pact.model.SupplierPcf` (``.raw`` holds the dict).
Failures raise one family, :class:`PactClientError`, with ``status``, ``code``, ``message``
and ``url``. No Django here; the platform wraps the messages.

HTTPS only, certificates always verified; redirects are never followed (a bearer token must
not travel to another host), and neither are pagination links to another host.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit
from uuid import UUID

from yuntan import bounded_json
from yuntan.pact.addresses import HostNotAllowed, check_url, resolve
from yuntan.pact.api import parse_filters
from yuntan.pact.errors import PactError, SchemaViolation, Violation
from yuntan.pact.events import CONTENT_TYPE as EVENT_CONTENT_TYPE
from yuntan.pact.events import parse_event
from yuntan.pact.model import SupplierPcf
from yuntan.pact.reading import parse_footprint
from yuntan.pact.schema import major, validate_response

DISCOVERY_PATH = "/.well-known/openid-configuration"
TOKEN_PATH = "/auth/token"  # hosts MUST serve it (v2.3/v3.0 Authenticate)
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TOKEN_EXPIRY_MARGIN_S = 30.0  # renew this long before expires_in runs out
MAX_RETRY_AFTER_S = 60.0
USER_AGENT = "yuntan-pact-client/1"


class PactClientError(PactError):
    """Base of every error of :class:`PactClient`.

    ``status``: the HTTP status, ``None`` when there was no answer; ``code``: the spec's
    error code from the body (``AccessDenied``, ``TokenExpired`` …; for the token endpoint
    the OAuth ``error``, e.g. ``invalid_client``), else ``None``; ``message``: English;
    ``url``: what was called. ``str()`` is the message followed by the URL.
    """

    def __init__(self, message: str, *, url: str, status: int | None = None,
                 code: str | None = None) -> None:
        self.message, self.url, self.status, self.code = message, url, status, code
        super().__init__(f"{message} ({url})")


class InsecureUrl(PactClientError):
    """A URL is not ``https://`` (PACT hosts serve HTTPS only) or is not a plain base URL."""


class ConnectionFailed(PactClientError):
    """No answer: the host could not be reached, closed the connection or timed out
    (after the retries)."""


class TlsError(PactClientError):
    """The TLS handshake failed, e.g. the host's certificate is not signed by a trusted CA
    (pass the intranet CA as ``ca_file``) or names another host; or the CA file is
    unreadable."""


class HttpError(PactClientError):
    """The host answered with an error status (after the retries for 5xx and 429)."""


class AuthenticationFailed(HttpError):
    """The token endpoint refused the client credentials, or the host still answered 401
    with a fresh token."""


class InvalidResponse(PactClientError):
    """The answer breaks the spec: not JSON, not the official schema (``violations`` lists
    every problem with its JSON path), or a pagination link the spec does not allow."""

    def __init__(self, message: str, *, url: str, status: int | None = None,
                 violations: Sequence[Violation] = ()) -> None:
        self.violations = tuple(violations)
        if self.violations:
            message += ":\n" + "\n".join(f"  - {v}" for v in self.violations)
        super().__init__(message, url=url, status=status)


_UNREACHABLE = "the host could not be reached or did not answer"


class _PinnedHTTP(http.client.HTTPConnection):
    """A connection to ``address``, the checked address of ``host``."""

    def __init__(self, host: str, port: int, address: str, **options: Any) -> None:
        super().__init__(host, port, **options)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """A TLS connection to ``address``; the certificate is checked for ``host``."""

    def __init__(self, host: str, port: int, address: str, *, context: ssl.SSLContext,
                 **options: Any) -> None:
        super().__init__(host, port, context=context, **options)
        self._address, self._tls_context = address, context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls_context.wrap_socket(raw, server_hostname=self.host)


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    url: str
    method: str


def _base(url: str, what: str, allow_http: bool) -> str:
    parts = urlsplit(url)
    if parts.scheme not in (("https", "http") if allow_http else ("https",)):
        raise InsecureUrl(f"the {what} must start with https:// (PACT hosts serve HTTPS "
                          "only; allow_http=True is for tests)", url=url)
    if not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        raise InsecureUrl(f"the {what} must be scheme://host[:port][/subpath], without "
                          "credentials, query or fragment", url=url)
    return url.rstrip("/")


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


_LINK = re.compile(r"""<(?P<target>[^>]*)>(?P<params>(?:\s*;\s*[^\s;,=]+\s*
                       (?:=\s*(?:"(?:[^"\\]|\\.)*"|[^\s;,]*))?)*)""", re.VERBOSE)
_REL = re.compile(r"""(?:^|;)\s*rel\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s;,]+))""", re.I)


def next_links(values: Sequence[str]) -> list[str]:
    """The targets of ``rel="next"`` in RFC 8288 ``Link`` header values."""
    found = []
    for value in values:
        for link in _LINK.finditer(value):
            rel = _REL.search(link.group("params"))
            if rel and "next" in (rel.group("quoted") or rel.group("plain")).lower().split():
                found.append(link.group("target").strip())
    return found


class PactClient:
    """A recipient's client of one PACT host (v3.0 by default, or v2.3).

    Parameters
    ----------
    base_url:
        ``https://host[:port][/subpath]``; the API is at ``{base_url}/3/…`` (or ``/2/…``).
    client_id, client_secret:
        The credentials the host issued to us (OAuth 2.0 client credentials). ``None``:
        calls carry no token, for an events receiver that asks for none (the spec only
        recommends authenticating events).
    version:
        ``"3"`` or ``"2"`` (``"3.0"``, ``"2.3"`` also accepted).
    ca_file:
        A PEM bundle of extra CAs to trust besides the system's, e.g. an intranet CA.
        Verification of the certificate and host name is always on.
    timeout:
        Seconds for connecting and for each read.
    auth_base_url:
        Where discovery and ``/auth/token`` live when not under ``base_url`` (the spec's
        AuthHostname/AuthSubpath).
    allow_http:
        Accept ``http://`` URLs. For tests only: the spec requires HTTPS.
    allow_private_hosts:
        Call hosts on loopback, private, link-local or reserved addresses and on ports
        other than 443 (an intranet, tests). Off: only public HTTPS hosts, checked here and
        before every connection (``yuntan.pact.addresses``).
    retries, backoff:
        Connection errors, 5xx and 429 are retried ``retries`` times after randomized
        exponential pauses of ``backoff × 2^n`` seconds (× 1–1.5), or the ``Retry-After``
        seconds when longer (at most 60). Other 4xx are not retried; a 401 from the API
        re-authenticates once and repeats the call.
    sleep, clock:
        Injectable ``time.sleep`` and ``time.monotonic`` (tests).

    Example::

        client = PactClient("https://pact.supplier.example", "id", "secret",
                            ca_file="/etc/yuntan/intranet-ca.pem")
        for pcf in client.list_footprints({"productId": ["urn:gtin:4712345060507"]}):
            print(pcf.id, pcf.co2e_kg_per_declared_unit, pcf.declared_unit)
    """

    def __init__(self, base_url: str, client_id: str | None, client_secret: str | None,
                 version: str = "3",
                 *, ca_file: str | os.PathLike[str] | None = None, timeout: float = 30,
                 auth_base_url: str | None = None, allow_http: bool = False, retries: int = 3,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 allow_private_hosts: bool = False) -> None:
        self.version = major(version)
        self.allow_http = allow_http
        self.allow_private_hosts = allow_private_hosts
        self.base_url = _base(base_url, "PACT base URL", allow_http)
        self.auth_base_url = _base(auth_base_url or base_url, "PACT auth base URL", allow_http)
        for url in {self.base_url, self.auth_base_url}:
            try:
                check_url(url, allow_private=allow_private_hosts)
            except HostNotAllowed as exc:
                raise InsecureUrl(str(exc), url=url) from None
        self.client_id = client_id
        self._secret = client_secret
        self.timeout = timeout
        if retries < 0 or backoff < 0:
            raise ValueError("retries and backoff must be >= 0")
        self.retries, self.backoff = retries, backoff
        self._sleep, self._clock = sleep, clock
        self._random = random.Random()
        self._tls = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        self._tls.minimum_version = ssl.TLSVersion.TLSv1_2
        if ca_file is not None:
            try:
                self._tls.load_verify_locations(cafile=os.fspath(ca_file))
            except (OSError, ssl.SSLError) as exc:
                raise TlsError(f"cannot load the CA file {os.fspath(ca_file)!r}: {exc}",
                               url=self.base_url) from exc
        self._lock = threading.Lock()
        self._token_url: str | None = None
        self._token: str | None = None
        self._expires_at: float | None = None

    def __repr__(self) -> str:
        return (f"PactClient({self.base_url!r}, client_id={self.client_id!r}, "
                f"version={self.version!r})")

    # -- the three actions ------------------------------------------------------------

    def list_footprints(self, filters: Mapping[str, str | Sequence[str]] | None = None,
                        limit: int | None = None) -> Iterator[SupplierPcf]:
        """Every footprint the host lists for us, page after page (ListFootprints).

        ``filters``: v3 query parameters as the spec names them, a value or a list of
        values each (``{"productId": ["urn:…", "urn:…"], "geography": "CN",
        "validOn": "2025-04-01T00:00:00Z"}``); checked with
        :func:`yuntan.pact.parse_filters` (raises ``InvalidFilter``) and sent as given. v2
        takes none (its OData ``$filter`` is optional for hosts). ``limit``: the page size
        asked of the host. The pages are fetched as the iterator is consumed, so errors
        surface while iterating.
        """
        if filters and self.version == "2":
            raise ValueError("PACT v2 ListFootprints takes no filters here (the OData "
                             "$filter is optional for hosts); filter the footprints returned")
        if filters:
            parse_filters(filters)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise ValueError(f"limit must be a positive integer, not {limit!r}")
        query = [(name, value) for name, given in (filters or {}).items()
                 for value in ([given] if isinstance(given, str) else given)]
        if limit is not None:
            query.append(("limit", str(limit)))
        url = f"{self.base_url}/{self.version}/footprints"
        return self._pages(f"{url}?{urlencode(query)}" if query else url, limit)

    def get_footprint(self, pf_id: UUID | str) -> SupplierPcf:
        """One footprint by id (GetFootprint); a 404 raises :class:`HttpError`."""
        wanted = str(pf_id if isinstance(pf_id, UUID) else UUID(pf_id))
        answer = self._api("GET", f"{self.base_url}/{self.version}/footprints/{wanted}")
        body = self._valid_json(answer, f"/{self.version}/footprints/{{id}}")
        footprint = self._footprint(body["data"], "$.data", answer)
        if str(footprint.id) != wanted:
            raise InvalidResponse(f"asked for footprint {wanted}, the host sent "
                                  f"{footprint.id}", url=answer.url, status=answer.status)
        return footprint

    def send_event(self, event_body: Mapping[str, Any]) -> None:
        """POST a CloudEvents event (built by :func:`yuntan.pact.published_event` and
        friends) to ``{base_url}/{version}/events``.

        The event is checked first (:func:`yuntan.pact.parse_event` raises
        ``MalformedEvent``): we never send what the receiver must refuse. Success is 200;
        its body should be empty (v3) and, if a v2 host sends one, must be a JSON object.
        """
        parse_event(event_body, self.version)
        payload = json.dumps(event_body, ensure_ascii=False).encode("utf-8")
        answer = self._api("POST", f"{self.base_url}/{self.version}/events", body=payload,
                           content_type=EVENT_CONTENT_TYPE)
        if answer.status != 200:
            raise self._error(answer)
        path = f"/{self.version}/events"
        if not answer.body.strip():
            if self.version == "3":
                self._check(None, answer, path, "post")
            return
        if self.version == "2":
            self._check(self._json(answer), answer, path, "post")
        # v3 defines no body for 200 and only recommends an empty one: one is tolerated.

    # -- pages ------------------------------------------------------------------------

    def _pages(self, url: str, limit: int | None) -> Iterator[SupplierPcf]:
        visited: set[str] = set()
        next_url: str | None = url
        while next_url is not None:
            visited.add(next_url)
            answer = self._api("GET", next_url)
            body = self._valid_json(answer, f"/{self.version}/footprints")
            if limit is not None and len(body["data"]) > limit:
                raise InvalidResponse(f"the host returned {len(body['data'])} footprints, "
                                      f"more than limit={limit}", url=answer.url,
                                      status=answer.status)
            page = [self._footprint(raw, f"$.data[{i}]", answer)
                    for i, raw in enumerate(body["data"])]
            next_url = self._next_page(answer)
            if next_url in visited:
                raise InvalidResponse(f"the next link {next_url} points back to a page "
                                      "already read", url=answer.url, status=answer.status)
            yield from page

    def _next_page(self, answer: _Answer) -> str | None:
        """The checked ``rel="next"`` target: absolute, and on the host of the original
        request (the spec's condition; another host would receive our bearer token)."""
        targets = sorted(set(next_links(answer.headers.get_all("Link") or [])))
        if not targets:
            return None
        if len(targets) > 1:
            raise InvalidResponse(f"several next links: {', '.join(targets)}",
                                  url=answer.url, status=answer.status)
        target = targets[0]
        parts = urlsplit(target)
        if not parts.scheme or not parts.hostname:
            raise InvalidResponse(f"the next link {target!r} is not an absolute URL",
                                  url=answer.url, status=answer.status)
        if _origin(target) != _origin(self.base_url):
            raise InvalidResponse(
                f"the next link {target} is not on the host {urlsplit(self.base_url).netloc} "
                "(PACT: its host must be the original request's); refused",
                url=answer.url, status=answer.status)
        return target

    # -- authentication ---------------------------------------------------------------

    def _bearer(self, *, renew: bool) -> str:
        with self._lock:
            expired = self._expires_at is not None and self._clock() >= self._expires_at
            if renew or self._token is None or expired:
                self._token, self._expires_at = self._authenticate()
            return self._token

    def _token_endpoint(self) -> str:
        if self._token_url is None:
            self._token_url = self._discover() or self.auth_base_url + TOKEN_PATH
        return self._token_url

    def _discover(self) -> str | None:
        """The OpenID configuration's ``token_endpoint``, or ``None`` when the host
        publishes no usable document (then ``/auth/token``, as the spec says)."""
        answer = self._exchange("GET", self.auth_base_url + DISCOVERY_PATH, {})
        if answer.status != 200:
            return None
        try:
            document = self._json(answer)
        except InvalidResponse:
            return None
        endpoint = document.get("token_endpoint") if isinstance(document, dict) else None
        if not isinstance(endpoint, str) or not endpoint.strip():
            return None
        endpoint = urljoin(answer.url, endpoint.strip())
        _base(endpoint, "token_endpoint of the OpenID configuration", self.allow_http)
        return endpoint

    def _authenticate(self) -> tuple[str, float | None]:
        url = self._token_endpoint()
        pair = base64.b64encode(f"{self.client_id}:{self._secret}".encode()).decode("ascii")
        answer = self._exchange(
            "POST", url, {"Authorization": f"Basic {pair}",
                          "Content-Type": "application/x-www-form-urlencoded"},
            b"grant_type=client_credentials")
        if answer.status != 200:
            raise self._error(answer, oauth=True)
        body = self._json(answer)
        problems = []
        if not isinstance(body, dict):
            problems.append(Violation("$", "is not a JSON object"))
            body = {}
        token, kind, expires = (body.get(k) for k in ("access_token", "token_type",
                                                      "expires_in"))
        if not isinstance(token, str) or not token:
            problems.append(Violation("$.access_token", "must be a non-empty string"))
        if not isinstance(kind, str) or kind.lower() != "bearer":
            problems.append(Violation("$.token_type", f"must be 'bearer', not {kind!r}"))
        if isinstance(expires, str) and expires.isdigit():
            expires = int(expires)
        if expires is not None and (isinstance(expires, bool)
                                    or not isinstance(expires, int | float) or expires <= 0):
            problems.append(Violation("$.expires_in", f"must be seconds > 0, not {expires!r}"))
        if problems:
            raise InvalidResponse("the token response is not an OAuth 2.0 bearer token",
                                  url=url, status=answer.status, violations=problems)
        assert isinstance(token, str)
        expires_at = (None if expires is None
                      else self._clock() + float(expires) - TOKEN_EXPIRY_MARGIN_S)
        return token, expires_at

    def _api(self, method: str, url: str, *, body: bytes | None = None,
             content_type: str | None = None) -> _Answer:
        """One authenticated call; a 401 (expired or revoked token) renews the token once.
        Without credentials, one call without a token."""
        if self.client_id is None:
            headers = {"Content-Type": content_type} if content_type else {}
            return self._exchange(method, url, headers, body)
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self._bearer(renew=renew)}"}
            if content_type:
                headers["Content-Type"] = content_type
            answer = self._exchange(method, url, headers, body)
            if answer.status != 401:
                return answer
        raise self._error(answer, note="again after re-authenticating")

    # -- HTTP -------------------------------------------------------------------------

    def _exchange(self, method: str, url: str, headers: Mapping[str, str],
                  body: bytes | None = None) -> _Answer:
        """Send, retrying connection errors, 5xx and 429; the last answer is returned."""
        for attempt in range(self.retries + 1):
            try:
                answer = self._send(method, url, headers, body)
            except ConnectionFailed:
                if attempt == self.retries:
                    raise
                self._pause(attempt, None)
                continue
            if (answer.status == 429 or answer.status >= 500) and attempt < self.retries:
                self._pause(attempt, answer.headers.get("Retry-After"))
                continue
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * 2 ** attempt * (1 + self._random.random() / 2)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER_S))
        self._sleep(delay)

    def _send(self, method: str, url: str, headers: Mapping[str, str],
              body: bytes | None) -> _Answer:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        _scheme, host, port = _origin(url)
        try:  # resolved and checked now, and the connection goes to that address
            address = resolve(host, port, allow_private=self.allow_private_hosts)
        except HostNotAllowed as exc:
            raise InsecureUrl(str(exc), url=url) from None
        except OSError as exc:
            raise ConnectionFailed(f"{method} failed: {_UNREACHABLE}", url=url) from exc
        connection: http.client.HTTPConnection = (
            _PinnedHTTPS(host, port, address, timeout=self.timeout, context=self._tls)
            if parts.scheme == "https" else
            _PinnedHTTP(host, port, address, timeout=self.timeout))
        try:
            connection.request(method, target, body=body, headers={
                "Accept": "application/json", "User-Agent": USER_AGENT, **headers})
            response = connection.getresponse()
            data = response.read(MAX_RESPONSE_BYTES + 1)
        except ssl.SSLCertVerificationError as exc:
            raise TlsError(f"the host's certificate is not trusted: {exc.verify_message} "
                           "(for an intranet CA pass ca_file)", url=url) from exc
        except ssl.SSLError as exc:
            raise TlsError(f"the TLS handshake failed: {exc.reason or exc}", url=url) from exc
        except (OSError, http.client.HTTPException) as exc:
            # One message for refused, reset, unreachable and timed out: the difference
            # would tell a user which ports are open on the host.
            raise ConnectionFailed(f"{method} failed: {_UNREACHABLE}", url=url) from exc
        finally:
            connection.close()
        if len(data) > MAX_RESPONSE_BYTES:
            raise InvalidResponse(f"the answer is larger than {MAX_RESPONSE_BYTES} bytes",
                                  url=url, status=response.status)
        return _Answer(response.status, response.headers, data, url, method)

    # -- answers ----------------------------------------------------------------------

    def _json(self, answer: _Answer) -> Any:
        try:
            return bounded_json.loads(answer.body)
        except (UnicodeDecodeError, ValueError) as exc:
            kind = answer.headers.get("Content-Type") or "no content type"
            raise InvalidResponse(f"the answer ({kind}) is not JSON: {exc}; it starts "
                                  f"{answer.body[:80]!r}", url=answer.url,
                                  status=answer.status) from None

    def _check(self, body: Any, answer: _Answer, path: str, method: str) -> None:
        try:
            validate_response(body, self.version, path, method, 200)
        except SchemaViolation as exc:
            raise InvalidResponse(f"the answer does not match the PACT v{self.version} "
                                  f"schema of {method.upper()} {path}", url=answer.url,
                                  status=answer.status, violations=exc.violations) from None

    def _valid_json(self, answer: _Answer, path: str) -> Any:
        if answer.status != 200:
            raise self._error(answer)
        body = self._json(answer)
        self._check(body, answer, path, "get")
        return body

    def _footprint(self, raw: Any, at: str, answer: _Answer) -> SupplierPcf:
        try:
            return parse_footprint(raw)
        except SchemaViolation as exc:
            found = [Violation(at + v.path.removeprefix("$"), v.message)
                     for v in exc.violations]
            raise InvalidResponse("a footprint cannot be read", url=answer.url,
                                  status=answer.status, violations=found) from None
        except PactError as exc:
            raise InvalidResponse(f"the footprint at {at} cannot be read: {exc}",
                                  url=answer.url, status=answer.status) from None

    def _error(self, answer: _Answer, *, oauth: bool = False, note: str = "") -> HttpError:
        """The exception for an unexpected status, with the spec's ``code`` and message
        from the body when there is one (the OAuth ``error`` at the token endpoint)."""
        try:
            body = bounded_json.loads(answer.body) if answer.body.strip() else None
        except (UnicodeDecodeError, ValueError):
            body = None
        fields = ("error", "error_description") if oauth else ("code", "message")
        found = [body.get(f) if isinstance(body, dict) else None for f in fields]
        code, detail = (v if isinstance(v, str) else None for v in found)
        if detail is None and body is None and answer.body.strip():
            detail = answer.body[:200].decode("utf-8", "replace").strip()
        text = f"{answer.method} answered HTTP {answer.status}"
        text += f" {note}" if note else ""
        text += f" {code}" if code else ""
        text += f": {detail}" if detail else ""
        if 300 <= answer.status < 400:
            text += " (redirects are not followed)"
        elif answer.status < 300:
            text += " (expected 200)"
        refused = oauth and answer.status in (400, 401, 403)
        if refused:
            text = "the token endpoint refused the client credentials: " + text
        kind = AuthenticationFailed if refused or answer.status == 401 else HttpError
        return kind(text, url=answer.url, status=answer.status, code=code)
