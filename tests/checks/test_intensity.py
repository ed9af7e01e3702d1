"""Intensities against the pack's ranges (through yuntan.rules) and the benchmark."""

from __future__ import annotations

from checks_fixtures import ALUMINIUM, aluminium, rules_of, with_

from yuntan.checks import check_intensity
from yuntan.rules import get_pack


def test_clean_data_only_notes_the_placeholder_benchmark() -> None:
    found = check_intensity(aluminium(), ALUMINIUM, footprint_kg_co2e_per_declared_unit=1.6e4)
    assert rules_of(found) == [("benchmark-placeholder", "low")]


def test_a_value_outside_a_placeholder_range_is_medium() -> None:
    found = check_intensity(aluminium(), with_(electricity_grid=(1900, "万千瓦时")))
    assert ("plausible-range", "medium") in rules_of(found)
    finding = next(f for f in found if f.rule == "plausible-range")
    assert finding.fields == ("electricity_grid",)
    assert finding.numbers["value"] == 19000 and finding.numbers["maximum"] == 17000


def test_a_value_below_a_physical_bound_is_high() -> None:
    # Alumina below 1.8895 t per t Al breaks stoichiometry (the pack's sourced minimum),
    # although the range's maximum is a placeholder.
    found = check_intensity(aluminium(), with_(alumina=(1500, "t")))
    assert ("plausible-range", "high") in rules_of(found)


def test_a_benchmark_far_from_the_footprint_is_medium() -> None:
    pack = get_pack("tea")
    grading = pack.grading.model_copy(update={
        "placeholder": False, "benchmark_kg_co2e_per_declared_unit": 10.0,
        "benchmark_source": "test benchmark"})
    benchmarked = pack.model_copy(update={"grading": grading})
    data = {"fresh_leaf_harvest": (20000, "kg"), "compound_fertiliser": (3000, "kg"),
            "synthetic_n_applied": (450, "kg"), "made_tea_output": (4500, "kg"),
            "fresh_leaf_input": (20000, "kg"), "processing_electricity": (9000, "kWh")}
    assert check_intensity(benchmarked, data, footprint_kg_co2e_per_declared_unit=12) == []
    found = check_intensity(benchmarked, data, footprint_kg_co2e_per_declared_unit=35)
    assert rules_of(found) == [("benchmark-far", "medium")]
    assert found[0].numbers["ratio"] == 3.5
