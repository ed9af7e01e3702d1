"""Cross-check data and PACT figures on a fresh platform (SQLite unless DATABASE_URL says
otherwise): storing a year of 15-minute meter readings (35,040 per meter), running the
study's cross-checks with them, and serving PACT ListFootprints pages of 100 footprints.

``python -m benchmarks.exchange`` (``./dev bench-exchange``)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="yuntan-bench-exchange-"))
    os.environ.setdefault("YUNTAN_DATA_DIR", str(data_dir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuntan.platform.settings"
    os.environ["YUNTAN_JOBS_BACKEND"] = "inline"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo", "--quiet", verbosity=0)
    from yuntan.checks import MeterReading, ReadingKind
    from yuntan.platform.checkdata.services import store_readings
    from yuntan.platform.exchange.models import SharedFootprint
    from yuntan.platform.exchange.services import create_customer
    from yuntan.platform.studies.models import Study
    from yuntan.platform.verification.crosschecks import study_checks

    study = Study.objects.filter(rule_pack_id="electrolytic-aluminium",
                                 scenario_of__isnull=True).order_by("pk").first()
    assert study is not None
    user = study.created_by
    zone = timezone.get_default_timezone()
    start = datetime(study.period_start.year, 1, 1, tzinfo=zone)
    steps = 365 * 96
    readings = [MeterReading(start + timedelta(minutes=15 * (i + 1)), "GATE-2", 130_000.0,
                             "kWh", ReadingKind.INTERVAL) for i in range(steps)]
    began = time.perf_counter()
    batch = store_readings(study.product, "electricity_grid", readings, source="api",
                           raw=b"benchmark", user=user)
    stored = time.perf_counter() - began
    began = time.perf_counter()
    checks = study_checks(study, study.latest_result())
    checked = time.perf_counter() - began
    print(f"meter readings stored: {batch.stored:,} in {stored:.2f} s "
          f"({batch.stored / stored:,.0f} per s)")
    print(f"cross-checks of the study with them: {checked * 1000:.0f} ms "
          f"({len(checks)} findings)")

    from yuntan.platform.exchange.demo import share_demo
    from yuntan.platform.studies.management.commands.load_demo import _demo_label

    label = _demo_label()  # the demo's verified aluminium study and its label
    footprint, _buyer, _secret = share_demo(label.verification.study, user)
    customer, secret = create_customer(footprint.organisation, "bench", user)
    copies = [SharedFootprint(organisation=footprint.organisation, study=footprint.study,
                              result=footprint.result, document_v3=footprint.document_v3,
                              document_v2=footprint.document_v2, created_by=user,
                              created_at=footprint.created_at) for _ in range(999)]
    SharedFootprint.objects.bulk_create(copies)
    customer.footprints.set(SharedFootprint.objects.all())
    client = Client()
    token = client.post("/auth/token", {"grant_type": "client_credentials"}, secure=True,
                        HTTP_AUTHORIZATION="Basic " + __import__("base64").b64encode(
                            f"{customer.client_id}:{secret}".encode()).decode()
                        ).json()["access_token"]
    times = []
    for offset in range(0, 1000, 100):
        began = time.perf_counter()
        response = client.get(f"/3/footprints?limit=100&offset={offset}", secure=True,
                              HTTP_AUTHORIZATION=f"Bearer {token}")
        times.append(time.perf_counter() - began)
        assert response.status_code == 200 and len(response.json()["data"]) == 100
    print(f"PACT /3/footprints, 1,000 granted, pages of 100: median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"({len(response.content):,} bytes a page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
