"""Complete aluminium activity data for one year (illustrative test inputs, inside the
pack's plausible ranges)."""

from __future__ import annotations

ALUMINIUM: dict[str, tuple[float, str]] = {
    "aluminium_liquid_output": (1000, "t"),
    "alumina": (1920, "t"),
    "anode_net_consumption": (420, "t"),
    "anode_carbon_content": (98, "percent"),
    "anode_effect_minutes": (0.1, "minute/day"),
    "pfc_slope_cf4": (0.1, "kg*day/(t*minute)"),
    "c2f6_cf4_mass_ratio": (0.1, "dimensionless"),
    "electricity_grid": (1350, "万千瓦时"),
    "aluminium_ingot_output": (1000, "t"),
    "liquid_aluminium_cast": (1000, "t"),
    "casting_natural_gas": (20000, "Nm3"),
}
