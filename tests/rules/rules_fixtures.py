"""Complete activity data for every shipped pack, and zero-emission stub factor datasets.

The amounts are illustrative test inputs (inside each pack's ranges), not statistics.
"""

from __future__ import annotations

from yuntan.lca import FactorDataset
from yuntan.rules import CompiledStudy
from yuntan.units import parse_unit

COMPLETE: dict[str, dict[str, tuple[float, str]]] = {
    "electrolytic-aluminium": {
        "aluminium_liquid_output": (1000, "t"),
        "alumina": (1920, "吨"),
        "anode_net_consumption": (420, "t"),
        "anode_carbon_content": (98, "percent"),
        "anode_effect_minutes": (0.1, "minute/day"),
        "pfc_slope_cf4": (0.1, "kg*day/(t*minute)"),
        "c2f6_cf4_mass_ratio": (0.1, "dimensionless"),
        "electricity_grid": (1350, "万千瓦时"),
        "aluminium_ingot_output": (1000, "t"),
        "liquid_aluminium_cast": (1000, "t"),
        "casting_natural_gas": (20000, "Nm3"),
    },
    "ammonium-phosphate": {
        "sulphuric_acid_output": (1000, "t"),
        "sulphur": (330, "t"),
        "exported_steam": (1500, "GJ"),
        "phosphoric_acid_output": (400, "t"),
        "phosphate_rock": (1300, "t"),
        "rock_co2_mass_fraction": (3, "percent"),
        "sulphuric_acid_own": (1000, "t"),
        "phosphoric_acid_electricity": (60000, "kWh"),
        "ammonium_phosphate_output": (800, "t"),
        "phosphoric_acid_used": (400, "t"),
        "ammonia": (110, "t"),
        "granulation_electricity": (30000, "kWh"),
    },
    "coffee": {
        "cherry_harvest": (60, "t"),
        "urea": (2600, "kg"),
        "synthetic_n_applied": (1200, "kg"),
        "green_coffee_output": (10000, "kg"),
        "cherry_input": (60, "t"),
        "processing_electricity": (3500, "kWh"),
        "low_grade_beans": (500, "kg"),
        "green_coffee_price": (40, "1/kg"),
        "low_grade_price": (8, "1/kg"),
    },
    "tea": {
        "fresh_leaf_harvest": (20000, "kg"),
        "compound_fertiliser": (3000, "kg"),
        "synthetic_n_applied": (450, "kg"),
        "made_tea_output": (4500, "kg"),
        "fresh_leaf_input": (20000, "kg"),
        "processing_electricity": (9000, "kWh"),
    },
    "cut-roses": {
        "harvested_stems": (1_000_000, "piece"),
        "greenhouse_electricity": (50000, "kWh"),
        "synthetic_n_applied": (800, "kg"),
        "packed_stems": (900_000, "piece"),
        "stems_graded": (1_000_000, "piece"),
        "cold_store_electricity": (20000, "kWh"),
    },
}

# Data that also runs the optional processes (roasting, pressing, distribution).
VARIANTS: dict[tuple[str, str], dict[str, tuple[float, str]]] = {
    ("coffee", "roasted"): {
        **COMPLETE["coffee"],
        "roasted_coffee_output": (800, "kg"),
        "green_coffee_roasted": (1000, "kg"),
        "roasting_electricity": (300, "kWh"),
    },
    ("tea", "puer-pressed"): {
        **COMPLETE["tea"],
        "pressed_tea_output": (1000, "kg"),
        "made_tea_pressed": (1000, "kg"),
    },
    ("cut-roses", "delivered"): {
        **COMPLETE["cut-roses"],
        "delivered_stems": (880_000, "piece"),
        "stems_shipped": (900_000, "piece"),
        "air_freight": (40000, "t*km"),
    },
}


def stub_datasets(compiled: CompiledStudy, unit_of: dict[str, str]) -> list[FactorDataset]:
    """TEST STUBS: one zero-emission factor dataset per id the study needs, in the unit of
    the inputs that use it. Real datasets come from the factor database."""
    return [
        FactorDataset(id=dataset_id, unit=unit_of[dataset_id], emissions=(),
                      name=f"TEST STUB {dataset_id}", version="test-stub")
        for dataset_id in sorted(compiled.factor_dataset_ids)
    ]


def dataset_units(compiled: CompiledStudy) -> dict[str, str]:
    units: dict[str, str] = {}
    produced = {o.product for p in compiled.processes for o in p.outputs}
    for process in compiled.processes:
        for exchange in process.inputs:
            if exchange.provider is None and exchange.product not in produced:
                units.setdefault(exchange.product, exchange.unit)
        for output in process.outputs[1:]:
            if output.substitutes is not None:
                units.setdefault(output.substitutes, output.unit)
    for dataset_id, unit in units.items():
        parse_unit(unit)  # every unit the stubs get is a real unit
        assert dataset_id in compiled.factor_dataset_ids
    return units
