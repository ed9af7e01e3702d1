"""run_all: every check with its inputs, ordered by severity; and the package is pure."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from checks_fixtures import ALUMINIUM, YEAR, aluminium, with_
from purity import run_without_django

import yuntan.checks
from yuntan.checks import (
    Bill,
    CheckFinding,
    CheckInputs,
    CheckSeverity,
    GreenEvidence,
    MeterReading,
    ReadingKind,
    blocking,
    run_all,
)
from yuntan.electricity import Instrument, InstrumentKind
from yuntan.rules import shipped_packs

CHECKOUT = Path(__file__).resolve().parents[2]
GEC = InstrumentKind.GREEN_CERTIFICATE


def clean_inputs(**changes: object) -> CheckInputs:
    register = [MeterReading(datetime(2025, 1, 1), "G", 0, "kWh", ReadingKind.CUMULATIVE),
                MeterReading(datetime(2026, 1, 1), "G", 13_600_000, "kWh",
                             ReadingKind.CUMULATIVE)]
    base: dict[str, object] = {
        "period": YEAR,
        "meter_readings": {"electricity_grid": register},
        "bills": {"casting_natural_gas": [Bill(YEAR, 20100, "Nm3", "云南燃气", "2025")]},
        "footprint_kg_co2e_per_declared_unit": 15_000.0,
        "reported_emissions": {"anode-co2": (1508, "t")},
        "previous": {"electricity_grid": 13_300.0, "footprint": 15_500.0},
        "peers": {"electricity_grid": [13_100.0, 13_350.0, 13_500.0, 13_620.0, 13_800.0]},
        "green_claims": (Instrument(GEC, 1_000_000, 0.0, "GEC-1"),),
        "green_evidence": (GreenEvidence(GEC, "GEC-1", 1000, "MWh", YEAR),),
    }
    return CheckInputs(**{**base, **changes})  # type: ignore[arg-type]


def test_clean_data_raises_no_finding_but_the_placeholder_note() -> None:
    found = run_all(aluminium(), ALUMINIUM, clean_inputs())
    assert [f.rule for f in found] == ["benchmark-placeholder"]
    assert blocking(found) == ()


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.id)
def test_every_pack_runs_with_no_inputs(pack: object) -> None:
    found = run_all(pack, {})  # type: ignore[arg-type]
    assert all(f.severity is CheckSeverity.LOW for f in found)


def test_seeded_bad_data_raises_each_check_ordered_by_severity() -> None:
    data = with_(aluminium_ingot_output=(1100, "t"), electricity_grid=(1000, "万千瓦时"),
                 alumina=(1500, "t"), casting_natural_gas=(15000, "Nm3"))
    found = run_all(aluminium(), data, clean_inputs(
        green_claims=(Instrument(GEC, 5_000_000, 0.0, "GEC-1"),)))
    checks = {f.check for f in found}
    assert {"meter", "invoice", "intensity", "mass-balance", "previous-study", "peers",
            "green-electricity"} <= checks
    order = [f.severity for f in found]
    assert order == sorted(order, key=[CheckSeverity.HIGH, CheckSeverity.MEDIUM,
                                       CheckSeverity.LOW].index)
    assert {f.check for f in blocking(found)} >= {"meter", "mass-balance",
                                                  "green-electricity"}
    stored = json.loads(json.dumps([f.to_dict() for f in found], ensure_ascii=False))
    assert tuple(CheckFinding.from_dict(d) for d in stored) == found  # storable on the study


def test_it_runs_without_django() -> None:
    out = run_without_django("""
        from yuntan.checks import run_all
        from yuntan.rules import get_pack
        print(len(run_all(get_pack("electrolytic-aluminium"), {})))
    """, timeout=60)
    assert out.splitlines()[0].isdigit()


def test_every_check_is_documented() -> None:
    doc = (CHECKOUT / "docs" / "checks.md").read_text(encoding="utf-8")
    for name in yuntan.checks.__all__:
        if name.startswith("check_") or name == "run_all":
            assert f"`{name}" in doc, name
    for module in ("meters", "invoices", "intensity", "balance", "carbon", "peers", "green"):
        source = (CHECKOUT / "yuntan" / "checks" / f"{module}.py").read_text(encoding="utf-8")
        for rule in sorted(set(_rules(source))):
            assert f"`{rule}`" in doc, rule


def _rules(source: str) -> list[str]:
    import re
    return re.findall(r'"((?:meter|invoice|plausible|benchmark|mass|carbon|previous|peers|'
                      r'green)-[a-z-]+)"', source)
