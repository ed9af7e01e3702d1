"""A fake PACT host for the client tests: ``ThreadingHTTPServer`` in a thread, behind TLS
with a trustme certificate (or plain HTTP), serving discovery, tokens, ListFootprints with
Link pagination and v3 filters, GetFootprint and events. Tests queue canned replies per
route to script failures, and read back every request the host saw."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import trustme

from yuntan.pact import (
    MalformedEvent,
    error_response,
    invalid_token_response,
    matches,
    parse_event,
    parse_filters,
)

CLIENT_ID, CLIENT_SECRET = "yuntan-recipient", "s3cret:with-colon"


@dataclass(frozen=True)
class Reply:
    """A canned answer: JSON (dict/list), raw bytes or no body; ``drop`` closes the
    connection without answering."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


@dataclass(frozen=True)
class Seen:
    """One request as the host received it (``path`` without the query)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes


class FakePactHost:
    """A PACT host of ``version`` listing ``footprints`` (dicts written by ``to_v3`` /
    ``to_v2``), ``page_size`` per page unless the client asks for fewer."""

    def __init__(self, version: str, footprints: list[dict[str, Any]], *,
                 cert: trustme.LeafCert | None, subpath: str = "", discovery: bool = True,
                 page_size: int = 100) -> None:
        self.version, self.footprints, self.subpath = version, footprints, subpath
        self.discovery, self.page_size = discovery, page_size
        self.expires_in: int | None = 3600
        self.next_link_origin: str | None = None  # e.g. another host, for the refusal test
        self.queued: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self.tokens: set[str] = set()
        self._issued = 0
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            cert.configure_cert(context)
            self._server.socket = context.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False)
        self.scheme = "https" if cert is not None else "http"
        self.origin = f"{self.scheme}://127.0.0.1:{self._server.server_address[1]}"
        self.base_url = self.origin + subpath

    @contextmanager
    def running(self) -> Iterator[FakePactHost]:
        thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()

    def queue(self, route: str, *replies: Reply) -> None:
        """Answer the next requests to ``route`` (``"GET /3/footprints"``) with these."""
        self.queued.setdefault(route, []).extend(replies)

    def revoke_tokens(self) -> None:
        """Every token issued so far now gets 401 ``TokenExpired``."""
        self.tokens.clear()

    def calls(self, method: str, path: str) -> list[Seen]:
        return [s for s in self.seen if (s.method, s.path) == (method, path)]

    # -- routes (paths without the subpath) ------------------------------------------

    def answer(self, seen: Seen) -> Reply:
        path = seen.path.removeprefix(self.subpath) if self.subpath else seen.path
        with self._lock:
            self.seen.append(seen)
            canned = self.queued.get(f"{seen.method} {path}")
            if canned:
                return canned.pop(0)
        v = self.version
        if (seen.method, path) == ("GET", "/.well-known/openid-configuration"):
            if not self.discovery:
                return Reply(404, b"not found")
            return Reply(body={"issuer": self.origin,
                               "token_endpoint": f"{self.origin}{self.subpath}/oauth/token"})
        if seen.method == "POST" and path in ("/auth/token", "/oauth/token"):
            return self._token(seen)
        if not self._authorised(seen):
            status, body = error_response("TokenExpired", v)
            return Reply(status, body) if seen.headers.get("authorization") else Reply(
                *invalid_token_response(v))
        if (seen.method, path) == ("GET", f"/{v}/footprints"):
            return self._list(seen)
        if seen.method == "GET" and path.startswith(f"/{v}/footprints/"):
            wanted = path.rsplit("/", 1)[1]
            for pf in self.footprints:
                if pf["id"] == wanted:
                    return Reply(body={"data": pf})
            return Reply(*error_response("NotFound", v))
        if (seen.method, path) == ("POST", f"/{v}/events"):
            try:
                parse_event(seen.body, v)
            except MalformedEvent as exc:
                return Reply(*error_response("BadRequest", v, str(exc)))
            return Reply(200)
        return Reply(*error_response("BadRequest", v, f"no route {seen.method} {path}"))

    def _token(self, seen: Seen) -> Reply:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if (seen.headers.get("authorization") != f"Basic {expected}"
                or parse_qs(seen.body.decode()) != {"grant_type": ["client_credentials"]}):
            return Reply(401, {"error": "invalid_client",
                               "error_description": "Authentication failed"})
        with self._lock:
            self._issued += 1
            token = f"token-{self._issued}"
            self.tokens.add(token)
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return Reply(body=body)

    def _authorised(self, seen: Seen) -> bool:
        given = seen.headers.get("authorization", "")
        return given.startswith("Bearer ") and given.removeprefix("Bearer ") in self.tokens

    def _list(self, seen: Seen) -> Reply:
        query = seen.query
        chosen = self.footprints
        if self.version == "3":
            criteria = parse_filters(query)
            chosen = [pf for pf in chosen if matches(pf, criteria)]
        limit = min(int(query.get("limit", ["1000"])[0]), self.page_size)
        offset = int(query.get("offset", ["0"])[0])
        headers = {}
        if offset + limit < len(chosen):
            kept = [(k, v) for k, values in query.items() if k != "offset" for v in values]
            link = (f"{self.next_link_origin or self.origin}{seen.path}?"
                    f"{urlencode([*kept, ('offset', str(offset + limit))])}")
            headers["Link"] = f'<{link}>; rel="next"'
        return Reply(body={"data": chosen[offset:offset + limit]}, headers=headers)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # handshake failures (the wrong-CA test) and dropped connections are expected


def _handler(host: FakePactHost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def setup(self) -> None:
            super().setup()
            if isinstance(self.request, ssl.SSLSocket):
                self.request.do_handshake()

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(self.command, parts.path, parse_qs(parts.query),
                        {k.lower(): v for k, v in self.headers.items()},
                        self.rfile.read(length))
            reply = host.answer(seen)
            if reply.drop:
                self.close_connection = True
                return
            body = (reply.body if isinstance(reply.body, bytes) else b"" if reply.body is None
                    else json.dumps(reply.body).encode())
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.body is not None and not isinstance(reply.body, bytes):
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests read host.seen

    return Handler


