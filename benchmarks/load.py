"""Load benchmark of the platform: result pages under concurrent users.

``python -m benchmarks.load`` (or ``./dev bench-load``) builds a fresh platform in a
temporary data directory (SQLite unless ``--database-url`` names a PostgreSQL database):
migrations, the shipped factors and rule packs, the demo enterprises, then ``--studies``
studies (default 1,000) spread over the demo enterprises, each with a result (copies of the
demo results: the pages render the same way). It starts gunicorn (``--workers`` processes ×
``--threads`` threads) and lets ``--users`` simulated users (default 20), each signed in as
an enterprise user, request random result pages of their own enterprise back to back for
``--seconds`` seconds after a warm-up. It prints the latency percentiles and throughput and
compares p95 with the target (300 ms).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Any

TARGET_P95_MS = 300.0
ENTERPRISE_USERS = ("demo-al-admin", "demo-map-admin", "demo-coffee-admin", "demo-tea-admin",
                    "demo-rose-admin")


def _demo_passwords() -> dict[str, str]:
    text = resources.files("yuntan.data.demo").joinpath("platform.toml").read_text("utf-8")
    return {user["username"]: user["password"] for user in tomllib.loads(text)["users"]}


DEMO_PASSWORDS = _demo_passwords()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "yuntan.cli", "manage", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _populate(env: dict[str, str], studies: int) -> dict[str, list[str]]:
    """Copies of the demo studies with their results; returns result URLs per user."""
    script = f"""
import django, json
django.setup()
from django.db import transaction
from yuntan.platform.studies.models import Result, Study
originals = list(Result.objects.select_related("study").filter(study__scenario_of__isnull=True))
with transaction.atomic():
    for i in range({studies}):
        source = originals[i % len(originals)]
        study = source.study
        copy = Study.objects.create(
            product=study.product, title=f"load {{i}}", period_start=study.period_start,
            period_end=study.period_end, rule_pack_id=study.rule_pack_id,
            rule_pack_version=study.rule_pack_version, variant=study.variant,
            illustrative=True)
        Result.objects.create(
            study=copy, number=1, reason="load benchmark copy", inputs=source.inputs,
            inputs_sha256=source.inputs_sha256, outcome=source.outcome,
            total_kg_co2e=source.total_kg_co2e, headline_method=source.headline_method,
            gwp_set=source.gwp_set, engine_version=source.engine_version,
            complete=source.complete)
urls = {{}}
from yuntan.platform.accounts.models import Membership
for username in {list(ENTERPRISE_USERS)!r}:
    org = Membership.objects.get(user__username=username).organisation_id
    urls[username] = [f"/studies/{{r.study_id}}/results/{{r.number}}/"
                      for r in Result.objects.filter(study__product__organisation_id=org)]
print(json.dumps(urls))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                         capture_output=True, text=True).stdout
    import json

    return dict(json.loads(out.strip().splitlines()[-1]))


def _sign_in(port: int, username: str) -> str:
    """Session cookie of ``username`` (demo password), through the sign-in page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    response.read()
    cookies = _cookies(response)
    token = cookies["csrftoken"]
    body = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORDS[username],
                                   "csrfmiddlewaretoken": token})
    conn.request("POST", "/accounts/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}", "Referer": f"http://127.0.0.1:{port}/accounts/login/"})
    response = conn.getresponse()
    response.read()
    session = _cookies(response).get("sessionid")
    if response.status != 302 or not session:
        raise SystemExit(f"cannot sign in as {username} (HTTP {response.status})")
    return session


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            found[name] = rest.split(";", 1)[0]
    return found


def _user(port: int, session: str, urls: list[str], until: float, warm_until: float,
          latencies: list[float], errors: list[str], lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(session)
    while True:
        now = time.perf_counter()
        if now >= until:
            return
        url = rng.choice(urls)
        start = time.perf_counter()
        try:
            conn.request("GET", url, headers={"Cookie": f"sessionid={session}"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                errors.append(f"{url}: {exc}")
            continue
        elapsed = (time.perf_counter() - start) * 1000
        if start >= warm_until:
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{url}: HTTP {status}")


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL URL (default: SQLite in the temporary directory)")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="yuntan-load-"))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("YUNTAN_") and k != "DATABASE_URL"}
    env.update({"YUNTAN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE":
                "yuntan.platform.settings", "YUNTAN_ALLOWED_HOSTS": "127.0.0.1"})
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    server: subprocess.Popen[bytes] | None = None
    try:
        print(f"setting up {args.studies} studies in {data_dir} ...", flush=True)
        started = time.perf_counter()
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_reference_data")
        _manage(env, "load_demo", "--quiet")
        urls = _populate(env, args.studies)
        print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "yuntan.platform.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", str(args.threads), "--log-level", "warning"], env=env)
        _wait_for(port, server)
        sessions = {user: _sign_in(port, user) for user in ENTERPRISE_USERS}
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        begin = time.perf_counter()
        warm_until = begin + args.warmup
        until = warm_until + args.seconds
        threads = []
        for i in range(args.users):
            user = ENTERPRISE_USERS[i % len(ENTERPRISE_USERS)]
            thread = threading.Thread(target=_user, args=(
                port, sessions[user], urls[user], until, warm_until, latencies, errors, lock))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        return _report(args, latencies, errors)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


def _report(args: Any, latencies: list[float], errors: list[str]) -> int:
    if not latencies:
        print("no successful request", errors[:5])
        return 1
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    p95 = pct(95)
    print(f"result pages, {args.users} concurrent users, {args.studies} studies, "
          f"gunicorn {args.workers}×{args.threads}, {args.seconds:.0f} s:")
    print(f"  requests {len(ordered)} ({len(ordered) / args.seconds:.1f}/s), errors {len(errors)}")
    print(f"  latency ms: p50 {pct(50):.0f}  p95 {p95:.0f}  p99 {pct(99):.0f}  "
          f"max {ordered[-1]:.0f}  mean {statistics.fmean(ordered):.0f}")
    verdict = "meets" if p95 <= TARGET_P95_MS else "misses"
    print(f"  p95 {p95:.0f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms")
    for error in errors[:5]:
        print(f"  error: {error}")
    return 0 if p95 <= TARGET_P95_MS and not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
