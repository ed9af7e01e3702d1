"""A clean aluminium study (illustrative numbers inside the pack's ranges) and its period."""

from __future__ import annotations

from datetime import datetime

from yuntan.checks import Period
from yuntan.rules import RulePack, get_pack

YEAR = Period(datetime(2025, 1, 1), datetime(2026, 1, 1))

ALUMINIUM: dict[str, tuple[float, str]] = {
    "aluminium_liquid_output": (1000, "t"),
    "alumina": (1920, "吨"),
    "anode_net_consumption": (420, "t"),
    "anode_carbon_content": (98, "percent"),
    "anode_effect_minutes": (0.1, "minute/day"),
    "pfc_slope_cf4": (0.1, "kg*day/(t*minute)"),
    "c2f6_cf4_mass_ratio": (0.1, "dimensionless"),
    "electricity_grid": (1350, "万千瓦时"),  # 13.5 GWh
    "aluminium_ingot_output": (1000, "t"),
    "liquid_aluminium_cast": (1000, "t"),
    "casting_natural_gas": (20000, "Nm3"),
}


def aluminium() -> RulePack:
    return get_pack("electrolytic-aluminium")


def with_(**changes: tuple[float, str]) -> dict[str, tuple[float, str]]:
    """The clean aluminium data with ``changes``."""
    return {**ALUMINIUM, **changes}


def rules_of(findings: object) -> list[tuple[str, str]]:
    return [(f.rule, f.severity.value) for f in findings]  # type: ignore[attr-defined]
