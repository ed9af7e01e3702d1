"""Claimed green electricity against certificates, contracts and consumption."""

from __future__ import annotations

from datetime import datetime

from checks_fixtures import ALUMINIUM, YEAR, aluminium, rules_of, with_

from yuntan.checks import GreenEvidence, Period, check_green_electricity
from yuntan.electricity import Instrument, InstrumentKind

GEC = InstrumentKind.GREEN_CERTIFICATE
PPA = InstrumentKind.GREEN_POWER_TRADE
CLAIMS = (Instrument(GEC, 2_000_000, 0.0, "GEC-2025-0001~2000"),
          Instrument(PPA, 3_000_000, 0.0, "YN-GPT-2025-17"))
EVIDENCE = (GreenEvidence(GEC, "GEC-2025-0001~2000", 2000, "MWh", YEAR),
            GreenEvidence(PPA, "YN-GPT-2025-17", 3_000_000, "kWh"))
CONTRACT = with_(electricity_grid=(850, "万千瓦时"), electricity_hydro_contract=(500, "万千瓦时"))


def test_claims_backed_by_evidence_raise_nothing() -> None:
    assert check_green_electricity(aluminium(), CONTRACT, CLAIMS, EVIDENCE, YEAR) == []


def test_a_claim_without_evidence_is_high() -> None:
    found = check_green_electricity(aluminium(), ALUMINIUM, CLAIMS, EVIDENCE[:1], YEAR)
    assert rules_of(found) == [("green-unsupported", "high")]


def test_a_claim_above_its_certificates_is_high() -> None:
    short = (GreenEvidence(GEC, "GEC-2025-0001~2000", 1500, "MWh"), EVIDENCE[1])
    found = check_green_electricity(aluminium(), ALUMINIUM, CLAIMS, short, YEAR)
    assert rules_of(found) == [("green-over-evidence", "high")]
    assert found[0].numbers["evidenced_kwh"] == 1_500_000


def test_certificates_of_another_year_do_not_count() -> None:
    old = (GreenEvidence(GEC, "GEC-2025-0001~2000", 2000, "MWh",
                         Period(datetime(2023, 1, 1), datetime(2024, 1, 1))), EVIDENCE[1])
    found = check_green_electricity(aluminium(), ALUMINIUM, CLAIMS, old, YEAR)
    assert rules_of(found) == [("green-evidence-outside-period", "high"),
                               ("green-unsupported", "high")]


def test_claims_beyond_consumption_are_medium() -> None:
    found = check_green_electricity(aluminium(), with_(electricity_grid=(400, "万千瓦时")),
                                    CLAIMS, EVIDENCE, YEAR)
    assert rules_of(found) == [("green-over-consumption", "medium")]


def test_onsite_use_beyond_consumption_is_high() -> None:
    onsite = (Instrument(InstrumentKind.ONSITE_RENEWABLE, 20_000_000),)
    found = check_green_electricity(aluminium(), ALUMINIUM, onsite, (), YEAR)
    assert rules_of(found) == [("green-onsite-over-consumption", "high")]


def test_a_contract_field_above_the_evidenced_claims_is_high() -> None:
    data = with_(electricity_hydro_contract=(800, "万千瓦时"))
    found = check_green_electricity(aluminium(), data, CLAIMS, EVIDENCE, YEAR)
    assert rules_of(found) == [("green-field-over-claims", "high")]
    assert found[0].fields == ("electricity_hydro_contract",)
