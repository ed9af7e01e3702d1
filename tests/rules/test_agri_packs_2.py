"""Coffee and tea rule packs 2.0.0 (issue 10): every correction checked by hand.

Each test computes a small study whose only emission source is the correction under test,
works the expected figure out by hand from the pack's defaults and the shipped factors, and
compares it with the process contributions of :func:`yuntan.accounting.compute`. The 1.0.0
packs stay as they were: studies accounted with them recompute identically.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from test_accounting import inputs_for, shipped_factor

from yuntan.accounting import compute
from yuntan.formats.factor_csv import read_factor_files
from yuntan.lca import FootprintResult
from yuntan.rules import (
    ElectricityMethod,
    FieldKind,
    IncompleteActivityData,
    check_activity_data,
    get_pack,
    shipped_packs,
)
from yuntan.units import conversion_factor

CHECKOUT = Path(__file__).resolve().parents[2]
FACTORS = CHECKOUT / "yuntan" / "data" / "factors"
N2O_PER_N2O_N = 44.013 / 28.0134  # kg N2O per kg N2O-N, as the packs' formulas write it
GWP_N2O, GWP_CH4_NON_FOSSIL = 273.0, 27.0  # AR6 (yuntan/data/gwp/gwp100.csv)

# One hectare-scale coffee farm and wet mill, sized so one kg of green coffee carries
# 1/1000 of the farm and the mill (6 kg cherry per kg green coffee, all cherries milled).
# Every emission source is off (zero) unless a test turns it on.
COFFEE = {
    "cherry_harvest": (6000, "kg"),
    "synthetic_n_applied": (0, "kg"),
    "green_coffee_output": (1000, "kg"),
    "cherry_input": (6000, "kg"),
    "processing_electricity": (0, "kWh"),
    # Asked for although no co-product is reported (the allocation rule names the output);
    # with one output nothing is allocated.
    "green_coffee_price": (40, "1/kg"),
}
TEA = {
    "fresh_leaf_harvest": (4000, "kg"),
    "synthetic_n_applied": (0, "kg"),
    "made_tea_output": (1000, "kg"),
    "fresh_leaf_input": (4000, "kg"),
    "processing_electricity": (0, "kWh"),
}
PER_KG = 1 / 1000  # share of the farm and the mill in one kg of product


def result_of(pack_id: str, activity: dict[str, tuple[float, str]], version: str = "2.0.0",
              method: ElectricityMethod | None = None,
              variant: str | None = None) -> FootprintResult:
    pack = get_pack(pack_id, version)
    outcome = compute(pack, inputs_for(pack_id, activity, version=version, variant=variant))
    return outcome.results[method] if method else outcome.result


def default(pack_id: str, field_id: str) -> float:
    value = get_pack(pack_id, "2.0.0").field(field_id).default
    assert value is not None
    return value


def factor_kg(code: str, gas: str) -> float:
    (amount,) = [a for g, _, a in shipped_factor(code).values if g == gas]
    return amount


# -- the packs --------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", ["coffee", "tea"])
def test_version_2_loads_beside_version_1(pack_id: str) -> None:
    new, old = get_pack(pack_id, "2.0.0"), get_pack(pack_id, "1.0.0")
    assert (new.id, new.version, old.version) == (pack_id, "2.0.0", "1.0.0")
    assert get_pack(pack_id) is new  # the latest release
    # Ids of unchanged meaning are kept, so 1.0.0 activity data still fits.
    kept = {f.id for f in old.fields} - {"ef1_direct_n2o"}
    assert kept <= {f.id for f in new.fields}
    assert [v.id for v in new.variants] == [v.id for v in old.variants]
    assert new.grading == old.grading  # the grading placeholders are unchanged


@pytest.mark.parametrize("pack_id", ["coffee", "tea"])
def test_every_parameter_default_names_its_source(pack_id: str) -> None:
    pack = get_pack(pack_id, "2.0.0")
    defaults = {f.id: f for f in pack.fields if f.default is not None}
    assert {"ef1_synthetic_n", "ef1_organic_n", "frac_gasf", "frac_gasm",
            "ef4_volatilisation", "frac_leach", "ef5_leaching"} <= set(defaults)
    for spec in defaults.values():
        assert "IPCC" in spec.default_source and "Table" in spec.default_source, spec.id
    # The wet-climate values of IPCC 2019 Tables 11.1 and 11.3, the conservative choice.
    assert (defaults["ef1_synthetic_n"].default, defaults["ef1_organic_n"].default,
            defaults["ef4_volatilisation"].default, defaults["frac_leach"].default) == (
        0.016, 0.006, 0.014, 0.24)


def test_ripe_puer_pile_fermentation_is_named_as_a_gap_without_a_number() -> None:
    tea = get_pack("tea", "2.0.0")
    assert "渥堆" in tea.description_zh and "pile fermentation" in tea.description_en
    assert tea.exclusions == ()  # no published share estimate: no number is invented


def _shipped_units() -> dict[str, set[str]]:
    units: dict[str, set[str]] = {}
    for row in read_factor_files(FACTORS / "datasets.csv", FACTORS / "values.csv"):
        units.setdefault(row.fields["id"], set()).add(row.fields["unit"])
    return units


@pytest.mark.parametrize("pack", [p for p in shipped_packs() if p.version == "2.0.0"],
                         ids=lambda p: p.id)
def test_every_dataset_a_version_2_pack_links_is_shipped(pack: object) -> None:
    from yuntan.rules import RulePack

    assert isinstance(pack, RulePack)
    units = _shipped_units()
    for spec in pack.fields:
        for dataset in (spec.factor_dataset, spec.market_based_factor_dataset,
                        spec.mee_calibre_factor_dataset, spec.substitutes):
            if dataset is not None:
                assert dataset in units, f"{spec.id} names {dataset}"
                for dataset_unit in units[dataset]:
                    assert conversion_factor(spec.unit, dataset_unit) > 0


# -- electricity ------------------------------------------------------------------------


@pytest.mark.parametrize("pack_id", ["coffee", "tea"])
def test_electricity_is_the_life_cycle_factor_with_the_mee_calibre_beside_it(
        pack_id: str) -> None:
    electricity = [f for f in get_pack(pack_id, "2.0.0").fields
                   if f.kind is FieldKind.INPUT and f.unit == "kWh"]
    assert len(electricity) == 3
    for spec in electricity:
        assert spec.factor_dataset == "electricity-lifecycle-CN-YN"
        assert spec.mee_calibre_factor_dataset == "electricity-grid-average-CN-YN"


def test_the_mill_electricity_is_counted_with_both_factors() -> None:
    activity = {**COFFEE, "processing_electricity": (2000, "kWh")}
    location = result_of("coffee", activity)
    mee = result_of("coffee", activity, method=ElectricityMethod.MEE_CALIBRE)

    lifecycle = factor_kg("electricity-lifecycle-CN-YN", "CO2e")  # 0.1764 kg CO2e/kWh
    grid = factor_kg("electricity-grid-average-CN-YN", "CO2")  # 0.1073 kg CO2/kWh (2022)
    assert location.by_process["electricity-lifecycle-CN-YN"] == pytest.approx(
        2000 * 0.1764 * PER_KG, rel=1e-9)
    assert lifecycle == 0.1764 and grid == 0.1073
    assert mee.by_process["electricity-grid-average-CN-YN"] == pytest.approx(
        2000 * 0.1073 * PER_KG, rel=1e-9)


# -- field N2O --------------------------------------------------------------------------


def test_direct_n2o_uses_the_wet_climate_ef1_of_each_n_input() -> None:
    activity = {**COFFEE, "synthetic_n_applied": (100, "kg"), "organic_n_applied": (50, "kg"),
                # indirect N2O off, to see the direct part alone
                "frac_gasf": (0, "dimensionless"), "frac_gasm": (0, "dimensionless"),
                "frac_leach": (0, "dimensionless")}
    result = result_of("coffee", activity)

    # 100 kg N × 0.016 + 50 kg N × 0.006 = 1.9 kg N2O-N (IPCC 2019 Table 11.1, wet)
    n2o_n = 100 * 0.016 + 50 * 0.006
    assert result.by_process["cultivation"] == pytest.approx(
        n2o_n * N2O_PER_N2O_N * GWP_N2O * PER_KG, rel=1e-9)
    # Version 1.0.0 applied the aggregated 0.010 to both: 1.5 kg N2O-N.
    old = {k: v for k, v in activity.items() if not k.startswith("frac_")}
    assert result_of("coffee", old, version="1.0.0").by_process["cultivation"] == pytest.approx(
        150 * 0.010 * N2O_PER_N2O_N * GWP_N2O * PER_KG, rel=1e-9)


def test_a_dry_climate_ef1_entered_with_evidence_replaces_the_wet_default() -> None:
    activity = {**COFFEE, "synthetic_n_applied": (100, "kg"),
                "ef1_synthetic_n": (0.005, "dimensionless"),
                "frac_gasf": (0, "dimensionless"), "frac_leach": (0, "dimensionless")}
    assert result_of("coffee", activity).by_process["cultivation"] == pytest.approx(
        100 * 0.005 * N2O_PER_N2O_N * GWP_N2O * PER_KG, rel=1e-9)


@pytest.mark.parametrize("pack_id,activity", [("coffee", COFFEE), ("tea", TEA)])
def test_indirect_n2o_from_volatilisation_and_leaching(
        pack_id: str, activity: dict[str, tuple[float, str]]) -> None:
    data = {**activity, "synthetic_n_applied": (100, "kg"), "organic_n_applied": (50, "kg"),
            # direct N2O off, to see the indirect part alone
            "ef1_synthetic_n": (0, "dimensionless"), "ef1_organic_n": (0, "dimensionless")}
    result = result_of(pack_id, data)

    # IPCC 2019 Eq. 11.9: 100 × 0.11 × 0.014 + 50 × 0.21 × 0.014 = 0.154 + 0.147 kg N2O-N
    volatilised = 100 * 0.11 * 0.014 + 50 * 0.21 * 0.014
    # Eq. 11.10: (100 + 50) × 0.24 × 0.011 = 0.396 kg N2O-N
    leached = (100 + 50) * 0.24 * 0.011
    assert (default(pack_id, "frac_gasf"), default(pack_id, "frac_gasm"),
            default(pack_id, "ef4_volatilisation"), default(pack_id, "frac_leach"),
            default(pack_id, "ef5_leaching")) == (0.11, 0.21, 0.014, 0.24, 0.011)
    assert result.by_process["cultivation"] == pytest.approx(
        (volatilised + leached) * N2O_PER_N2O_N * GWP_N2O * PER_KG, rel=1e-9)
    # Field N2O is land-management non-CO2 (PACT landManagementFossilGhgEmissions), in full.
    assert result.by_gas["N2O"] == pytest.approx(result.by_process["cultivation"], rel=1e-9)


# -- urea, liming, pesticides -----------------------------------------------------------


@pytest.mark.parametrize("pack_id,activity", [("coffee", COFFEE), ("tea", TEA)])
def test_urea_counts_its_manufacture_and_its_co2_in_the_field(
        pack_id: str, activity: dict[str, tuple[float, str]]) -> None:
    result = result_of(pack_id, {**activity, "urea": (300, "kg")})

    # IPCC 2006 Eq. 11.13: 300 kg × 0.20 kg C/kg × 44/12 = 220 kg CO2, fossil
    assert result.by_process["cultivation"] == pytest.approx(300 * 0.20 * 44 / 12 * PER_KG,
                                                             rel=1e-9)
    assert result.by_gas_and_origin[("CO2", "fossil")] == pytest.approx(220 * PER_KG)
    # Chen et al. 2015's 3490.87 kg CO2e per t urea counts the carbon fixed in urea as
    # emitted at the plant; 2.0.0 takes the net factor (− 732.83 kg CO2 per t), so the field
    # CO2 is counted once and production plus application equal the published figure.
    assert result.by_process["urea-production-net-of-fixed-co2-CN"] == pytest.approx(
        0.3 * 2758.04 * PER_KG, rel=1e-9)
    assert (result.by_process["urea-production-net-of-fixed-co2-CN"]
            + result.by_process["cultivation"]) == pytest.approx(0.3 * 3490.87 * PER_KG,
                                                                 rel=2e-4)  # 44/12 vs M
    # Version 1.0.0 counted the manufacture only, which is why the platform and the
    # command-line demo (which adds 0.733 kg CO2 per kg urea) disagreed.
    if pack_id == "coffee":
        old = result_of(pack_id, {**activity, "urea": (300, "kg")}, version="1.0.0")
        assert "cultivation" not in old.by_process
        assert old.total == pytest.approx(0.3 * 3490.87 * PER_KG, rel=1e-9)


def test_liming_and_pesticides_are_optional_inputs() -> None:
    bare = result_of("coffee", COFFEE)
    assert bare.total == 0
    result = result_of("coffee", {**COFFEE, "limestone": (1000, "kg"), "dolomite": (600, "kg"),
                                  "pesticides": (2, "kg")})

    # 0.12 and 0.13 kg C per kg × 44/12; Lal 2004 herbicides 6.3 kg C per kg a.i. × 44/12
    assert result.by_process["limestone-application-co2-IPCC2006"] == pytest.approx(
        1000 * 0.44 * PER_KG, rel=1e-6)
    assert result.by_process["dolomite-application-co2-IPCC2006"] == pytest.approx(
        600 * 0.13 * 44 / 12 * PER_KG, rel=1e-6)
    assert result.by_process["pesticide-production"] == pytest.approx(2 * 23.1 * PER_KG,
                                                                      rel=1e-9)


# -- wastewater -------------------------------------------------------------------------


def test_wastewater_ch4_follows_the_cod_load_and_the_mcf_of_its_treatment() -> None:
    result = result_of("coffee", {**COFFEE, "wastewater_cod": (500, "kg")})

    # 500 kg COD × Bo 0.25 kg CH4/kg COD × MCF 0.8 (deep anaerobic lagoon) = 100 kg CH4,
    # biogenic, AR6 non-fossil GWP 27.0
    assert default("coffee", "wastewater_mcf") == 0.8
    assert result.by_process["processing"] == pytest.approx(
        500 * 0.25 * 0.8 * GWP_CH4_NON_FOSSIL * PER_KG, rel=1e-9)
    assert result.by_gas_and_origin[("CH4", "biogenic")] == pytest.approx(
        result.by_process["processing"], rel=1e-9)
    shallow = result_of("coffee", {**COFFEE, "wastewater_cod": (500, "kg"),
                                   "wastewater_mcf": (0.2, "dimensionless")})
    assert shallow.by_process["processing"] == pytest.approx(
        500 * 0.25 * 0.2 * GWP_CH4_NON_FOSSIL * PER_KG, rel=1e-9)


def test_the_municipal_wastewater_factor_stays_for_water_sent_to_a_municipal_plant() -> None:
    result = result_of("coffee", {**COFFEE, "wastewater": (100, "m3")})
    # Zhang et al. 2025, AAO plants: 0.439 kg CO2e per m3
    assert result.by_process["wastewater-treatment-CN"] == pytest.approx(100 * 0.439 * PER_KG,
                                                                         rel=1e-9)


# -- direct land-use change -------------------------------------------------------------


@pytest.mark.parametrize("pack_id,activity", [("coffee", COFFEE), ("tea", TEA)])
def test_land_use_change_is_the_stock_loss_spread_over_20_years(
        pack_id: str, activity: dict[str, tuple[float, str]]) -> None:
    # 3 ha converted 8 years ago from forest at 104.9 t C/ha to plantation at 24.9 t C/ha
    # (illustrative stocks): 314.7 - 74.7 = 240 t C
    data = {**activity, "luc_carbon_stock_before": (314.7, "t"),
            "luc_carbon_stock_after": (74.7, "t"), "luc_converted_area": (45, "亩"),
            "luc_years_since_conversion": (8, "year")}
    result = result_of(pack_id, data)

    per_year_kg = (314.7 - 74.7) * 1000 * 44 / 12 / 20  # 44,000 kg CO2 a year
    assert result.by_process["cultivation"] == pytest.approx(per_year_kg * PER_KG, rel=1e-9)
    assert result.biogenic_split.land_use_change == pytest.approx(per_year_kg * PER_KG,
                                                                  rel=1e-9)


def test_a_carbon_stock_gain_is_not_credited() -> None:
    data = {**COFFEE, "luc_carbon_stock_before": (20, "t"),
            "luc_carbon_stock_after": (60, "t")}
    with pytest.raises(IncompleteActivityData) as caught:
        result_of("coffee", data)
    assert [f.rule for f in caught.value.findings] == ["formula-negative"]


# -- firewood ---------------------------------------------------------------------------


def test_firewood_splits_into_documented_sustainable_and_other_wood() -> None:
    result = result_of("tea", {**TEA, "processing_firewood": (300, "kg"),
                               "processing_firewood_sustainable": (100, "kg")})

    co2, ch4, n2o = 1.7472, 0.00468, 0.0000624  # kg per kg wood, IPCC 2006 (shipped rows)
    per_kg_wood = co2 + ch4 * GWP_CH4_NON_FOSSIL + n2o * GWP_N2O
    assert result.by_process["firewood-combustion-nonrenewable"] == pytest.approx(
        300 * per_kg_wood * PER_KG, rel=1e-6)
    # Undocumented wood: fossil-equivalent CO2 (fNRB = 1). Documented wood: biogenic CO2
    # matched by the uptake of the wood as it grew, so only its CH4 and N2O remain.
    assert result.by_gas_and_origin[("CO2", "fossil")] == pytest.approx(300 * co2 * PER_KG,
                                                                       rel=1e-6)
    assert result.by_gas_and_origin[("CO2", "biogenic")] == pytest.approx(100 * co2 * PER_KG,
                                                                         rel=1e-6)
    assert result.biogenic_split.biogenic_uptake == pytest.approx(-100 * co2 * PER_KG,
                                                                  rel=1e-6)
    non_co2 = ch4 * GWP_CH4_NON_FOSSIL + n2o * GWP_N2O
    assert result.by_process["firewood-combustion"] == pytest.approx(
        100 * non_co2 * PER_KG, rel=1e-6)


def test_puer_steaming_firewood_is_split_the_same_way() -> None:
    pressing = {"pressed_tea_output": (1000, "kg"), "made_tea_pressed": (1000, "kg"),
                "pressing_steam_fuel": (50, "kg"),
                "pressing_steam_fuel_sustainable": (20, "kg")}
    result = result_of("tea", {**TEA, **pressing}, variant="puer-pressed")
    assert result.by_gas_and_origin[("CO2", "fossil")] == pytest.approx(50 * 1.7472 * PER_KG,
                                                                       rel=1e-6)
    assert result.by_gas_and_origin[("CO2", "biogenic")] == pytest.approx(
        20 * 1.7472 * PER_KG, rel=1e-6)


# -- the demo studies -------------------------------------------------------------------


def _demo_studies() -> list[dict[str, object]]:
    with (CHECKOUT / "yuntan" / "data" / "demo" / "platform.toml").open("rb") as handle:
        studies = tomllib.load(handle)["studies"]
    return [s for s in studies if s["rule_pack"] in ("coffee", "tea")]


def _activity(study: dict[str, object]) -> dict[str, tuple[float, str]]:
    table = study["activity"]
    assert isinstance(table, dict)
    return {k: (float(v["amount"]), str(v["unit"])) for k, v in table.items()}


@pytest.mark.parametrize("study", _demo_studies(), ids=lambda s: str(s["rule_pack"]))
def test_the_demo_studies_compute_under_version_2(study: dict[str, object]) -> None:
    pack_id, variant = str(study["rule_pack"]), str(study["variant"])
    activity = _activity(study)
    assert study["rule_pack_version"] == "2.0.0"  # the demo pins its version
    new = get_pack(pack_id, "2.0.0")

    assert check_activity_data(new, activity, variant) == []
    # The fields 1.0.0 also has: 2.0.0 adds urea CO2, indirect N2O and the wet-climate EF1,
    # and prices electricity at its life-cycle factor: the same data can only give more.
    old_pack = get_pack(pack_id, "1.0.0")
    shared = {k: v for k, v in activity.items() if k in {f.id for f in old_pack.fields}}
    old_total = result_of(pack_id, shared, version="1.0.0", variant=variant).total
    new_total = result_of(pack_id, shared, variant=variant).total
    assert new_total > old_total > 0
    assert result_of(pack_id, activity, variant=variant).total >= new_total


@pytest.mark.parametrize("pack_id", ["coffee", "tea"])
def test_field_n2o_is_land_management_not_biogenic(pack_id: str) -> None:
    pack = get_pack(pack_id, "2.0.0")
    n2o = [f for f in pack.formulas if f.gas == "N2O"]
    assert n2o and {str(f.origin) for f in n2o} == {"land_management"}
