"""Compiling activity data under a pack into processes the engine accepts."""

from __future__ import annotations

import pytest
from rules_fixtures import COMPLETE, VARIANTS, dataset_units, stub_datasets

from yuntan.errors import DimensionMismatch
from yuntan.lca import Emission, FactorDataset, build_system, footprint
from yuntan.rules import (
    ElectricityMethod,
    IncompleteActivityData,
    RangeFinding,
    Severity,
    check_activity_data,
    compile_study,
    get_pack,
    list_packs,
)


def versions_of(pack_id: str) -> list[str]:
    return [version for shipped, version in list_packs() if shipped == pack_id]


CASES = [(pack_id, version, None, data) for pack_id, data in COMPLETE.items()
         for version in versions_of(pack_id)] + [
    (pack_id, version, variant, data) for (pack_id, variant), data in VARIANTS.items()
    for version in versions_of(pack_id)
]


@pytest.mark.parametrize("pack_id,version,variant,data", CASES,
                         ids=[f"{p}-{n}-{v or 'default'}" for p, n, v, _ in CASES])
def test_complete_activity_data_compiles_to_a_system_the_engine_solves(
    pack_id: str, version: str, variant: str | None, data: dict[str, tuple[float, str]]
) -> None:
    pack = get_pack(pack_id, version)

    compiled = compile_study(pack, data, variant=variant)
    stubs = stub_datasets(compiled, dataset_units(compiled))
    system = build_system(compiled.processes, stubs)
    result = footprint(system, dict(compiled.functional_unit))

    assert compiled.pack_version == version
    assert not [f for f in compiled.findings if f.severity is not Severity.INFO]
    assert result.total >= 0  # stubs carry no emissions: only the formulas count


def test_aluminium_direct_emissions_follow_the_formulas() -> None:
    compiled = compile_study(get_pack("electrolytic-aluminium", "1.0.0"),
                             COMPLETE["electrolytic-aluminium"])
    electrolysis = next(p for p in compiled.processes if p.id == "electrolysis")
    by_gas = {e.gas: (e.amount, e.unit) for e in electrolysis.emissions}

    # 420 t anode × 0.98 C × 44.0095/12.0107; CF4 = 0.1 × 0.1 × 1000 t; C2F6 = CF4 × 0.1
    assert by_gas["CO2"][0] == pytest.approx(420 * 0.98 * 44.0095 / 12.0107)
    assert by_gas["CO2"][1] == "t"
    assert by_gas["CF4"] == (pytest.approx(10.0), "kg")
    assert by_gas["C2F6"] == (pytest.approx(1.0), "kg")


def test_coffee_n2o_uses_the_ef1_default_per_ton_of_green_coffee() -> None:
    compiled = compile_study(get_pack("coffee", "1.0.0"), COMPLETE["coffee"])
    cultivation = next(p for p in compiled.processes if p.id == "cultivation")

    (n2o,) = [e for e in cultivation.emissions if e.gas == "N2O"]
    assert n2o.amount == pytest.approx(1200 * 0.010 * 44.013 / 28.0134)  # 18.85 kg
    assert any(f.rule == "formula-skipped" for f in compiled.findings)  # no organic N


def test_units_are_converted_to_the_field_unit() -> None:
    compiled = compile_study(get_pack("electrolytic-aluminium", "1.0.0"),
                             COMPLETE["electrolytic-aluminium"])
    electrolysis = next(p for p in compiled.processes if p.id == "electrolysis")
    grid = next(i for i in electrolysis.inputs if i.product == "electricity-grid-average-CN-YN")
    assert (grid.amount, grid.unit) == (pytest.approx(13_500_000), "kWh")  # 1350 万千瓦时


def test_a_dimension_mismatch_names_the_pack_and_field() -> None:
    data = {**COMPLETE["electrolytic-aluminium"], "electricity_grid": (13.5, "t")}
    with pytest.raises(DimensionMismatch,
                       match=r"rule pack 'electrolytic-aluminium' 1.0.0, field 'electricity_grid'"):
        compile_study(get_pack("electrolytic-aluminium", "1.0.0"), data)


def test_out_of_range_values_yield_bilingual_findings() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    data = {**COMPLETE["electrolytic-aluminium"], "alumina": (1500, "t")}

    compiled = compile_study(pack, data)

    (finding,) = [f for f in compiled.findings if isinstance(f, RangeFinding)]
    assert finding.field == "alumina" and finding.severity is Severity.WARNING
    assert finding.value == pytest.approx(1.5) and finding.minimum == pytest.approx(1.8895)
    assert not finding.range_placeholder or finding.maximum is not None
    assert "below the minimum" in finding.message_en and "低于下限" in finding.message_zh
    assert "stoichiometric" in finding.range_source or "physical bound" in finding.range_source


def test_a_placeholder_bound_says_so_in_the_finding() -> None:
    data = {**COMPLETE["coffee"], "cherry_input": (200, "t")}  # 20 kg cherry per kg green

    findings = check_activity_data(get_pack("coffee", "1.0.0"), data)

    (finding,) = [f for f in findings if isinstance(f, RangeFinding)]
    assert finding.range_placeholder and "placeholder" in finding.message_en


def test_a_parameter_is_checked_as_a_value() -> None:
    data = {**COMPLETE["electrolytic-aluminium"], "anode_carbon_content": (1.2, "dimensionless")}
    findings = check_activity_data(get_pack("electrolytic-aluminium", "1.0.0"), data)
    assert [f.field for f in findings if isinstance(f, RangeFinding)] == ["anode_carbon_content"]


def test_missing_required_fields_are_reported_together() -> None:
    data = dict(COMPLETE["electrolytic-aluminium"])
    del data["alumina"], data["pfc_slope_cf4"]

    with pytest.raises(IncompleteActivityData) as caught:
        compile_study(get_pack("electrolytic-aluminium", "1.0.0"), data)

    missing = {f.field for f in caught.value.findings if f.rule == "required-missing"}
    assert missing == {"alumina", "pfc_slope_cf4"}
    assert any("必填字段「氧化铝消耗量」" in f.message_zh for f in caught.value.findings)


def test_check_reports_unknown_and_negative_fields_without_raising() -> None:
    data = {**COMPLETE["tea"], "made_tea_output": (-1, "kg"), "rainfall": (3, "mm")}
    rules = {(f.rule, f.field) for f in check_activity_data(get_pack("tea", "1.0.0"), data)}
    assert {("negative-amount", "made_tea_output"), ("unknown-field", "rainfall")} <= rules


def test_the_chosen_variant_needs_its_optional_process() -> None:
    findings = check_activity_data(get_pack("coffee", "1.0.0"), COMPLETE["coffee"],
                                   variant="roasted")
    assert ("required-missing", "roasted_coffee_output") in {(f.rule, f.field) for f in findings}


def test_economic_allocation_needs_both_prices_once_a_co_product_is_reported() -> None:
    data = dict(COMPLETE["coffee"])
    del data["low_grade_price"]
    with pytest.raises(IncompleteActivityData, match="allocation key"):
        compile_study(get_pack("coffee", "1.0.0"), data)


def test_economic_allocation_shares_processing_by_value() -> None:
    compiled = compile_study(get_pack("coffee", "1.0.0"), COMPLETE["coffee"])
    processing = next(p for p in compiled.processes if p.id == "processing")
    assert processing.allocation == "economic"
    assert [o.properties["price"] for o in processing.outputs] == [40.0, 8.0]


def test_market_based_electricity_uses_the_contract_dataset() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    data = {**COMPLETE["electrolytic-aluminium"], "electricity_hydro_contract": (5e6, "kWh")}

    location = compile_study(pack, data)
    market = compile_study(pack, data, electricity_method="market_based")

    assert location.electricity_method is ElectricityMethod.LOCATION_BASED  # the headline
    assert "electricity-hydropower-contract-CN-YN" not in location.factor_dataset_ids
    assert "electricity-hydropower-contract-CN-YN" in market.factor_dataset_ids


def test_a_factor_override_replaces_the_default_dataset() -> None:
    compiled = compile_study(get_pack("tea", "1.0.0"), COMPLETE["tea"],
                             factor_overrides={"compound_fertiliser": "supplier-npk-2024"})
    assert "supplier-npk-2024" in compiled.factor_dataset_ids
    assert "compound-fertiliser-npk-production" not in compiled.factor_dataset_ids


def test_an_input_counts_under_the_stage_it_is_reported_in() -> None:
    """Cherry transport is consumed by processing but reported under the transport stage;
    the grid serves processing. By stage, each lands where it is reported."""
    data = {**COMPLETE["coffee"], "cherry_transport": (1200, "t*km")}
    compiled = compile_study(get_pack("coffee", "1.0.0"), data)
    test_factors = [  # test values, not real factors
        FactorDataset("road-freight-CN", "t*km", (Emission("CO2", 0.1),)),
        FactorDataset("electricity-grid-average-CN-YN", "kWh", (Emission("CO2", 0.5),)),
    ]
    others = [d for d in stub_datasets(compiled, dataset_units(compiled))
              if d.id not in {f.id for f in test_factors}]

    result = footprint(build_system(compiled.processes, [*test_factors, *others]),
                       dict(compiled.functional_unit))

    green_share = 10000 * 40 / (10000 * 40 + 500 * 8)  # economic allocation of processing
    per_kg = green_share / 10000
    assert result.by_stage["transport"] == pytest.approx(1200 * 0.1 * per_kg)
    assert result.by_stage["processing"] == pytest.approx(3500 * 0.5 * per_kg)
    assert sum(result.by_stage.values()) == pytest.approx(result.total)
    assert compiled.factor_dataset_stages["road-freight-CN"] == "transport"


def test_the_steam_co_product_is_credited_by_system_expansion() -> None:
    compiled = compile_study(get_pack("ammonium-phosphate", "1.0.0"),
                             COMPLETE["ammonium-phosphate"])
    acid = next(p for p in compiled.processes if p.id == "sulphuric-acid")
    assert acid.allocation == "substitution"
    assert acid.outputs[1].substitutes == "steam-production-natural-gas-boiler"


def test_rose_footprint_is_per_stem() -> None:
    compiled = compile_study(get_pack("cut-roses", "1.0.0"), COMPLETE["cut-roses"])
    assert dict(compiled.functional_unit) == {"rose-stem-packed": 1.0}
