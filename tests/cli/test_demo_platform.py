"""The README's run command (`./dev demo` → `yuntan demo`): it sets up a fresh database with
the shipped reference data, prints the examples and serves the web site."""

from __future__ import annotations

import csv
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from yuntan.rules import shipped_packs

CHECKOUT = Path(__file__).resolve().parents[2]
SHIPPED_VERSIONS = CHECKOUT / "yuntan" / "data" / "factors" / "datasets.csv"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _demo_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE") and not k.startswith("YUNTAN_")}
    env["YUNTAN_DATA_DIR"] = str(data_dir)  # a fresh SQLite database, as on a new machine
    return env


def _shipped_version_count() -> int:
    with SHIPPED_VERSIONS.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def test_the_demo_loads_the_reference_data_and_serves_the_site(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "yuntan.cli", "demo", "--iterations", "5",
               "--address", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=tmp_path, env=_demo_env(tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        deadline = time.monotonic() + 300  # a wait limit for slow machines, not a benchmark
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert page is not None, f"the site did not answer; exit code {process.poll()}"
        assert "云碳" in page  # Chinese first
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)

    assert "原铝锭" in output and "Primary aluminium ingot" in output
    assert f"http://127.0.0.1:{port}/" in output
    # One demo study was verified and labelled; its public page is named.
    assert "/labels/YN-CFP-" in output
    # ... and its footprint shared through PACT with a demo buyer, credentials printed once.
    assert "/exchange/footprints/" in output and "client_secret" in output
    # The demo accounts of every role are printed, above the address.
    for username in ("demo-admin", "demo-curator-1", "demo-verifier", "demo-al-admin"):
        assert any(username in line for line in output.splitlines()), username
    with sqlite3.connect(tmp_path / "yuntan.sqlite3") as db:
        versions = db.execute("SELECT COUNT(*) FROM factors_factorversion").fetchone()[0]
        packs = db.execute("SELECT COUNT(*) FROM rulepacks_rulepackversion").fetchone()[0]
        results = db.execute("SELECT COUNT(*) FROM studies_result").fetchone()[0]
        placeholders = db.execute(
            "SELECT COUNT(*) FROM factors_factorversion WHERE status = 'placeholder'"
        ).fetchone()[0]
        checks = [json.loads(row[0]) for row in db.execute(
            "SELECT checks FROM verification_snapshot ORDER BY number")]
        readings = db.execute("SELECT COUNT(*) FROM checkdata_meterreading").fetchone()[0]
    # The seeded gas invoices disagree with the first submission; the correction fixes it.
    assert len(checks) == 2 and readings == 12
    assert "invoice-deviation" in {c["rule"] for c in checks[0]}
    assert "invoice-deviation" not in {c["rule"] for c in checks[1]}
    assert "meter-deviation" not in {c["rule"] for c in checks[0]}
    assert versions == _shipped_version_count()
    assert placeholders > 0
    assert packs == len(shipped_packs())  # every shipped rule pack version
    assert results >= 10  # five demo studies and their scenarios, computed


def test_running_the_demo_twice_keeps_one_copy_of_the_data(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "yuntan.cli", "demo", "--iterations", "5", "--no-serve"]
    for _ in range(2):
        completed = subprocess.run(command, cwd=tmp_path, env=_demo_env(tmp_path),
                                   capture_output=True, text=True, timeout=300, check=False)
        assert completed.returncode == 0, completed.stderr
    assert "已存在 " in completed.stdout and "新增 0" in completed.stdout
    with sqlite3.connect(tmp_path / "yuntan.sqlite3") as db:
        versions = db.execute("SELECT COUNT(*) FROM factors_factorversion").fetchone()[0]
    assert versions == _shipped_version_count()
