"""SQLite, the default database, takes concurrent writes: 20 clients computing footprints,
pushing meter readings and posting PACT events at once against a running server get no 500
("database is locked"). The server is a real process on a SQLite file, as on a laptop."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from yuntan.pact import request_created_event

WRITERS = 20
ROUNDS = 3
CSRF = "c" * 32  # an unmasked CSRF secret: cookie and header must be equal

SETUP = r'''
import json
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from yuntan.platform.checkdata.services import create_feed
from yuntan.platform.exchange.models import Customer
from yuntan.platform.exchange.services import digest, issue_token, new_secret
from yuntan.platform.studies.models import Study

studies = []
for study in Study.objects.select_related("product").order_by("pk"):
    admin = User.objects.get(username=study.created_by.username)
    session = SessionStore()
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    studies.append([study.pk, session.session_key])
aluminium = Study.objects.filter(rule_pack_id="electrolytic-aluminium").first()
_feed, feed_token = create_feed(aluminium.product, "electricity_grid", "load test",
                                aluminium.created_by)
customer = Customer.objects.first()
secret = new_secret()
customer.secret_sha256 = digest(secret)
customer.save()
pact_token, _ = issue_token(customer.client_id, secret)
print(json.dumps({"studies": studies, "feed": feed_token, "pact": pact_token}))
'''


@dataclass(frozen=True)
class Platform:
    port: int
    database: Path
    studies: list[tuple[int, str]]
    feed_token: str
    pact_token: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data = tmp_path_factory.mktemp("sqlite-platform")
    env = {**os.environ, "YUNTAN_DATA_DIR": str(data),
           "DATABASE_URL": f"sqlite:///{data / 'yuntan.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "yuntan.platform.settings",
           "YUNTAN_PACT_REQUIRE_HTTPS": "false", "YUNTAN_JOBS_BACKEND": "inline"}
    env.pop("DATABASE_URL_FILE", None)
    manage = [sys.executable, "-m", "yuntan.cli", "manage"]
    for command in (["migrate", "--noinput"], ["load_reference_data"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True,
                          capture_output=True, text=True)
    handles = json.loads(made.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = (data / "server.log").open("wb")
    server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield Platform(port, data / "yuntan.sqlite3",
                       [(int(pk), str(key)) for pk, key in handles["studies"]],
                       handles["feed"], handles["pact"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _post(platform: Platform, path: str, body: bytes, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", platform.port, timeout=120)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _compute(platform: Platform, writer: int) -> int:
    study, session = platform.studies[writer % len(platform.studies)]
    return _post(platform, f"/studies/{study}/compute/", b"", {
        "Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF})


def _meters(platform: Platform, writer: int, round_: int) -> int:
    readings = [{"meter_id": f"LOAD-{writer}", "timestamp": f"2022-0{round_ + 1}-{day:02d}T00:00",
                 "value": 100.0 + day, "unit": "kWh", "kind": "interval"}
                for day in range(1, 29)]
    return _post(platform, "/api/meter-readings", json.dumps({"readings": readings}).encode(),
                 {"Authorization": f"Bearer {platform.feed_token}",
                  "Content-Type": "application/json"})


def _event(platform: Platform, writer: int, round_: int) -> int:
    body = request_created_event("3", {"productId": [f"urn:load:{writer}:{round_}"]},
                                 source="//buyer.example/pact")
    return _post(platform, "/3/events", json.dumps(body).encode(),
                 {"Authorization": f"Bearer {platform.pact_token}",
                  "Content-Type": "application/cloudevents+json"})


def _writer(platform: Platform, writer: int) -> list[tuple[str, int]]:
    kind = ("compute", "meters", "event")[writer % 3]
    statuses = []
    for round_ in range(ROUNDS):
        if kind == "compute":
            status = _compute(platform, writer)
        elif kind == "meters":
            status = _meters(platform, writer, round_)
        else:
            status = _event(platform, writer, round_)
        statuses.append((kind, status))
    return statuses


def test_twenty_concurrent_writers_on_sqlite_get_no_server_error(platform: Platform) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = [s for batch in pool.map(lambda w: _writer(platform, w), range(WRITERS))
                    for s in batch]
    errors = [o for o in outcomes if o[1] >= 500]
    assert not errors, f"{len(errors)} of {len(outcomes)} requests failed: {errors[:5]}"
    expected = {"compute": 302, "meters": 201, "event": 200}
    assert all(status == expected[kind] for kind, status in outcomes), outcomes


def test_the_sqlite_database_runs_in_wal_mode(platform: Platform) -> None:
    with sqlite3.connect(platform.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
