"""Cross-check data in the platform: meter readings (CSV upload and API push, nothing lost,
nothing overwritten), bills and green electricity documents, and the findings they raise on
seeded bad data — in the page before submission and on the verifier's snapshot."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from world_fixtures import World

from tests.studies.studies_data import ALUMINIUM
from yuntan.checks import CheckInputs, run_all
from yuntan.platform.checkdata.models import Bill, MeterBatch, MeterFeed, MeterReading
from yuntan.platform.checkdata.services import CheckDataError, add_bill, add_green_document
from yuntan.platform.ledger.actions import verify_ledger
from yuntan.platform.ledger.models import LedgerEntry
from yuntan.platform.studies.models import Product, Study
from yuntan.platform.studies.services import StudyError, compute_result, set_activity
from yuntan.platform.verification.actions import assign, submit
from yuntan.rules import get_pack

REPORTED_KWH = 13_500_000  # ALUMINIUM's electricity_grid: 1350 万千瓦时


def monthly_csv(total_kwh: float, meter: str = "M1", months: int = 12) -> bytes:
    """Interval readings of 2022, one per month (at the end of each month)."""
    lines = ["时间,表号,用量,单位"]
    for month in range(1, months + 1):
        end = datetime.date(2022 + month // 12, month % 12 + 1, 1)
        lines.append(f"{end.isoformat()} 00:00,{meter},{total_kwh / 12:.3f},kWh")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def computed(study: Study, world: World) -> Study:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    compute_result(study, world.users["admin_a"], "compute")
    return study


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _act(client: Client, study: Study, data: dict[str, Any]) -> Any:
    return client.post(reverse("checkdata:act", args=[study.pk]), data)


def _upload(client: Client, study: Study, content: bytes, name: str = "meters.csv") -> Any:
    return _act(client, study, {"action": "upload_meters", "meter-field_id": "electricity_grid",
                                "meter-file": SimpleUploadedFile(name, content, "text/csv")})


def _rules(checks: list[dict[str, Any]]) -> dict[str, str]:
    return {c["rule"]: c["severity"] for c in checks}


@pytest.mark.django_db
def test_meter_readings_that_disagree_are_found_before_and_at_submission(
        computed: Study, world: World) -> None:
    client = _client(world, "admin_a")
    response = _upload(client, computed, monthly_csv(REPORTED_KWH * 1.10))  # 10 % more metered
    assert response.status_code == 302
    assert MeterReading.objects.filter(product=computed.product).count() == 12
    page = client.get(reverse("checkdata:page", args=[computed.pk]))
    assert page.status_code == 200
    assert "meter-deviation" in page.content.decode()
    assert "14850000" in page.content.decode()  # the metered total over the period
    submit(computed, world.users["admin_a"])
    checks = computed.snapshots.get().checks
    assert _rules(checks)["meter-deviation"] == "medium"
    deviation = next(c for c in checks if c["rule"] == "meter-deviation")
    assert deviation["fields"] == ["electricity_grid"]
    assert deviation["numbers"]["metered"] == pytest.approx(REPORTED_KWH * 1.10, rel=1e-9)


@pytest.mark.django_db
def test_matching_meter_data_raise_nothing_and_a_repeated_upload_stores_nothing(
        computed: Study, world: World) -> None:
    client = _client(world, "admin_a")
    assert _upload(client, computed, monthly_csv(REPORTED_KWH)).status_code == 302
    assert _upload(client, computed, monthly_csv(REPORTED_KWH), "again.csv").status_code == 302
    assert MeterReading.objects.count() == 12
    assert list(MeterBatch.objects.order_by("pk").values_list("stored", "skipped")) == [
        (12, 0), (0, 12)]
    submit(computed, world.users["admin_a"])
    assert not [c for c in computed.snapshots.get().checks if c["check"] == "meter"]
    entries = LedgerEntry.objects.filter(kind="meters.received")
    assert entries.count() == 2
    assert entries.first().payload["sha256"] == hashlib.sha256(
        monthly_csv(REPORTED_KWH)).hexdigest()
    assert verify_ledger().ok


@pytest.mark.django_db
def test_a_reading_is_never_overwritten(computed: Study, world: World) -> None:
    client = _client(world, "admin_a")
    _upload(client, computed, monthly_csv(REPORTED_KWH))
    changed = monthly_csv(REPORTED_KWH * 2)
    response = _upload(client, computed, changed, "changed.csv")
    assert response.status_code == 400
    assert "never overwritten" in response.content.decode() or "覆盖" in \
        response.content.decode()
    assert MeterBatch.objects.count() == 1 and MeterReading.objects.count() == 12


@pytest.mark.django_db
def test_a_bad_csv_is_refused_naming_line_and_column(computed: Study, world: World) -> None:
    client = _client(world, "admin_a")
    bad = "时间,表号,用量,单位\n2022-02-01 00:00,M1,abc,kWh\n".encode()
    response = _upload(client, computed, bad, "bad.csv")
    assert response.status_code == 400
    text = response.content.decode()
    assert "line 2" in text and "abc" in text
    response = _upload(client, computed, "时间,表号,用量,单位\n2022-02-01,M1,5,kg\n".encode())
    assert response.status_code == 400 and "kWh" in response.content.decode()
    assert MeterReading.objects.count() == 0


@pytest.mark.django_db
def test_a_monitoring_system_pushes_readings_with_its_feed_token(computed: Study,
                                                                  world: World) -> None:
    client = _client(world, "admin_a")
    response = _act(client, computed, {"action": "create_feed",
                                       "feed-field_id": "electricity_grid",
                                       "feed-name": "EMS"})
    assert response.status_code == 200
    token = response.context["new_token"]
    feed = MeterFeed.objects.get()
    assert token.startswith("ytm_") and token not in json.dumps(list(
        MeterFeed.objects.values()), default=str)  # only its hash is kept
    assert feed.token_sha256 == hashlib.sha256(token.encode()).hexdigest()

    api = Client()
    url = "/api/meter-readings"
    readings = [{"meter_id": "EMS-1", "timestamp": f"2022-{m:02d}-01T00:00:00+08:00",
                 "value": 1_000_000 * (m - 1), "unit": "kWh", "kind": "cumulative"}
                for m in range(1, 13)] + [
        {"meter_id": "EMS-1", "timestamp": "2023-01-01T00:00:00+08:00",
         "value": 12_000_000, "unit": "kWh", "kind": "cumulative"}]
    body = json.dumps({"readings": readings})
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    pushed = api.post(url, body, content_type="application/json", **auth)
    assert pushed.status_code == 201, pushed.content
    assert pushed.json()["stored"] == 13
    assert api.post(url, body, content_type="application/json").status_code == 401
    assert api.post(url, body, content_type="application/json",
                    HTTP_AUTHORIZATION="Bearer ytm_not-a-token").status_code == 401
    malformed = api.post(url, json.dumps({"readings": [{"meter_id": "x"}]}),
                         content_type="application/json", **auth)
    assert malformed.status_code == 400
    assert malformed.json()["problems"][0]["field"] == "readings[0]"
    assert api.post(url, "not json", content_type="application/json", **auth).status_code \
        == 400
    csv = api.post(url, monthly_csv(1200, meter="EMS-2"), content_type="text/csv", **auth)
    assert csv.status_code == 201 and csv.json()["stored"] == 12

    submit(computed, world.users["admin_a"])
    checks = computed.snapshots.get().checks
    deviation = next(c for c in checks if c["rule"] == "meter-deviation")
    # 12,000,000 kWh on the register plus 1,200 kWh on the second meter.
    assert deviation["numbers"]["metered"] == pytest.approx(12_001_200)

    _act(client, computed, {"action": "revoke_feed", "feed": feed.pk})
    assert api.post(url, body, content_type="application/json", **auth).status_code == 401


@pytest.mark.django_db
def test_bills_that_do_not_add_up_raise_a_finding(computed: Study, world: World) -> None:
    client = _client(world, "admin_a")
    for number, (start, end) in enumerate(((datetime.date(2022, 1, 1),
                                            datetime.date(2022, 6, 30)),
                                           (datetime.date(2022, 7, 1),
                                            datetime.date(2022, 12, 31))), start=1):
        response = _act(client, computed, {
            "action": "add_bill", "bill-field_id": "casting_natural_gas",
            "bill-supplier": "云南燃气", "bill-number": f"INV-{number}",
            "bill-period_start": start.isoformat(), "bill-period_end": end.isoformat(),
            "bill-quantity": "8000", "bill-unit": "Nm3"})
        assert response.status_code == 302, response.content
    # Reported 20,000 Nm3; billed 16,000: 25 % more reported than billed.
    submit(computed, world.users["admin_a"])
    checks = computed.snapshots.get().checks
    assert _rules(checks)["invoice-deviation"] == "high"
    assert [e.kind for e in LedgerEntry.objects.filter(kind__startswith="bill.")] == [
        "bill.added", "bill.added"]
    with pytest.raises(StudyError):  # the study is with the verifiers now
        add_bill(computed, world.users["admin_a"], field_id="casting_natural_gas",
                 supplier="s", number="n", period_start=datetime.date(2022, 1, 1),
                 period_end=datetime.date(2022, 1, 31), quantity=1, unit="Nm3")


@pytest.mark.django_db
def test_bad_bills_are_refused(computed: Study, world: World) -> None:
    user = world.users["admin_a"]
    common: dict[str, Any] = {"field_id": "casting_natural_gas", "supplier": "s",
                              "number": "n", "period_start": datetime.date(2022, 1, 1),
                              "period_end": datetime.date(2022, 1, 31), "quantity": 1.0,
                              "unit": "Nm3"}
    for bad in ({"unit": "kWh"}, {"field_id": "nonsense"}, {"quantity": float("nan")},
                {"period_end": datetime.date(2021, 12, 1)}):
        with pytest.raises(CheckDataError):
            add_bill(computed, user, **{**common, **bad})
    assert Bill.objects.count() == 0
    removed = add_bill(computed, user, **common)
    client = _client(world, "admin_a")
    assert _act(client, computed, {"action": "remove_bill", "bill": removed.pk}
                ).status_code == 302
    assert Bill.objects.count() == 0
    assert LedgerEntry.objects.filter(kind="bill.removed").count() == 1


@pytest.mark.django_db
def test_claimed_contract_electricity_needs_certificates_of_the_period(
        study: Study, world: World) -> None:
    user = world.users["admin_a"]
    set_activity(study, {**ALUMINIUM, "electricity_grid": (850, "万千瓦时"),
                         "electricity_hydro_contract": (500, "万千瓦时")}, user, "form")
    compute_result(study, user, "compute")
    from yuntan.platform.verification.crosschecks import study_checks

    assert _rules(study_checks(study, study.latest_result()))["green-field-over-claims"] == \
        "high"
    add_green_document(study, user, kind="green_certificate", reference="GEC-2021-001",
                       quantity=5000, unit="MWh", period_start=datetime.date(2021, 1, 1),
                       period_end=datetime.date(2021, 12, 31))
    found = _rules(study_checks(study, study.latest_result()))
    assert found["green-evidence-outside-period"] == "high"
    assert found["green-field-over-claims"] == "high"
    add_green_document(study, user, kind="green_power_trade", reference="YN-GPT-2022-07",
                       quantity=5000, unit="MWh", period_start=datetime.date(2022, 1, 1),
                       period_end=datetime.date(2022, 12, 31))
    found = _rules(study_checks(study, study.latest_result()))
    assert "green-field-over-claims" not in found
    with pytest.raises(CheckDataError):
        add_green_document(study, user, kind="green_certificate", reference="x",
                           quantity=1, unit="t", period_start=datetime.date(2022, 1, 1),
                           period_end=datetime.date(2022, 1, 2))


def test_the_core_checks_a_contract_claim_without_any_evidence() -> None:
    pack = get_pack("electrolytic-aluminium")
    data = {**ALUMINIUM, "electricity_hydro_contract": (500, "万千瓦时")}
    found = {f.rule for f in run_all(pack, data, CheckInputs())}
    assert "green-field-over-claims" in found
    assert "green-field-over-claims" not in {f.rule for f in run_all(pack, ALUMINIUM)}


@pytest.mark.django_db
def test_the_assigned_verifier_reads_the_data_but_changes_nothing(computed: Study,
                                                                   world: World) -> None:
    _upload(_client(world, "admin_a"), computed, monthly_csv(REPORTED_KWH))
    verification = submit(computed, world.users["admin_a"])
    assign(verification, world.users["verifier"], world.users["certifier"])
    verifier = _client(world, "verifier")
    page = verifier.get(reverse("checkdata:page", args=[computed.pk]))
    assert page.status_code == 200 and "M1" in page.content.decode()
    assert "meter-upload" not in page.content.decode()
    assert _upload(verifier, computed, monthly_csv(1, "X")).status_code == 403
    other = Study.objects.create(
        product=Product.objects.create(organisation=world.orgs["enterprise_a"], name_zh="另一",
                                       rule_pack_id="electrolytic-aluminium", variant="ingot"),
        period_start=computed.period_start, period_end=computed.period_end,
        rule_pack_id="electrolytic-aluminium", rule_pack_version="1.0.0", variant="ingot",
        created_by=world.users["admin_a"])
    assert verifier.get(reverse("checkdata:page", args=[other.pk])).status_code == 404
    assert _client(world, "admin_b").get(
        reverse("checkdata:page", args=[computed.pk])).status_code == 404
