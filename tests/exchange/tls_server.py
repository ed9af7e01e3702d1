"""The platform served over HTTPS by a live server thread with a self-signed certificate
(trustme): what the PACT tests talk to over TLS, as a deployment would be."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler


@dataclass(frozen=True)
class TlsServer:
    url: str  # https://localhost:<port>
    host: str  # localhost:<port>
    ca_file: Path  # the CA that signed the server's certificate


class _TlsThread(LiveServerThread):
    context: ssl.SSLContext

    def _create_server(self, connections_override: Any = None) -> Any:
        server = super()._create_server(connections_override)
        server.socket = self.context.wrap_socket(server.socket, server_side=True)
        server.base_environ["HTTPS"] = "on"  # request.is_secure(): the scheme is https
        return server


@pytest.fixture
def tls_server(transactional_db: None, tmp_path: Path, settings: Any) -> Iterator[TlsServer]:
    # The local host is on loopback and an arbitrary port: allowed by the setting for it.
    settings.YUNTAN_PACT_ALLOW_PRIVATE_HOSTS = True
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    # An in-memory SQLite test database exists only on this thread's connection: the
    # server thread shares it (as Django's LiveServerTestCase does).
    shared = {conn.alias: conn for conn in connections.all()
              if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = _TlsThread("localhost", _StaticFilesHandler, connections_override=shared, port=0)
    thread.context = context
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield TlsServer(f"https://localhost:{thread.port}", f"localhost:{thread.port}",
                        ca_file)
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
