"""Shared PACT test data: one stored result per declared unit, and facts built from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from yuntan.pact import Assurance, FootprintFacts, facts_from_outcome

DATA = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "pact"
FACT_ID = UUID("5f0b1d7e-3a52-4c1e-9d7a-2b8f6c4e1a90")


def example(name: str) -> Any:
    """A vendored example file, e.g. ``example("v3/example-1.json")``."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def result(total: float = 15_000.0, *, fossil: float = 14_990.0, biogenic: float = 0.0,
           uptake: float = 0.0, luc: float = 10.0, biogenic_co2: float = 0.0,
           gwp_set: str = "AR6") -> dict[str, Any]:
    """A stored result (``result_as_dict`` shape) whose split adds up to ``total``."""
    assert abs(fossil + biogenic + uptake + luc - total) < 1e-9 * max(abs(total), 1)
    return {
        "total": total, "gwp_set": gwp_set,
        "biogenic_split": {
            "including_biogenic": total, "excluding_biogenic_uptake": total - uptake,
            "excluding_biogenic_co2": total - biogenic_co2 - uptake, "fossil": fossil,
            "biogenic": biogenic, "biogenic_uptake": uptake, "land_use_change": luc,
        },
        "primary_data_share": 0.8,
        "data_quality": {"dqr": 2.0, "level": "very good", "technological": 2.0,
                         "geographical": 1.5, "temporal": 2.5, "reliability": 2.0,
                         "completeness": 3.0, "coverage": 0.9},
    }


DESCRIPTIVE: dict[str, Any] = {
    "id": FACT_ID,
    "created": datetime(2025, 3, 1, tzinfo=UTC),
    "company_name": "文山示例铝业有限公司 (demo)",
    "company_ids": ("urn:pact:yuntan.example:company-id:91532600DEMO0001",),
    "product_ids": ("urn:pact:yuntan.example:supplier-id:91532600DEMO0001-AL9970",),
    "product_classifications": ("urn:pact:yuntan.example:hs-code:7601.10",),
    "product_name": "Al99.70 primary aluminium ingot",
    "product_description": "Primary aluminium ingot, electrolysis, unpackaged",
    "reference_period_start": datetime(2024, 1, 1, tzinfo=UTC),
    "reference_period_end": datetime(2025, 1, 1, tzinfo=UTC),
    "geography_subdivision": "CN-YN",
    "boundary_processes_description": "Alumina, anodes, electrolysis, casting",
    "assurance": Assurance(True, "Demo Verification Co.", level="limited",
                           completed_at=datetime(2025, 2, 1, tzinfo=UTC),
                           standard_name="ISO 14064-3"),
}


def aluminium(**changes: Any) -> FootprintFacts:
    """Facts of 1 t of aluminium (PACT: 1 kilogram), built from a stored result."""
    return facts_from_outcome(
        changes.pop("result", result()), declared_unit_amount=1, declared_unit="t",
        rule_pack=("electrolytic-aluminium", "1.0.0"), biogenic_carbon_content_kg_c=0.0,
        **{**DESCRIPTIVE, **changes})


def roses(**changes: Any) -> FootprintFacts:
    """Facts of 1 stem of cut roses (PACT: 1 piece, 30 g)."""
    stem = result(0.12, fossil=0.1, biogenic=0.01, uptake=-0.005, luc=0.015,
                  biogenic_co2=0.004)
    return facts_from_outcome(
        stem, declared_unit_amount=1, declared_unit="stem",
        product_mass_kg_per_declared_unit=changes.pop("mass", 0.03),
        biogenic_carbon_content_kg_c=0.005 * 12 / 44, rule_pack=("cut-roses", "1.0.0"),
        **{**DESCRIPTIVE, "product_name": "Red rose, 60 cm stem", **changes})
