"""The 2.0.0 rule-pack corrections, each checked by hand against the computed result: the
life-cycle electricity factor with the MEE calibre beside it, the aluminium PFC defaults,
the steam credit reported separately, limestone neutralisation, delivered roses' boundary
and aircraft emissions, and the shipped factor versions the platform would pin."""

from __future__ import annotations

import pytest

from yuntan.accounting import StudyInputs, compute, needed_factors, outcome_as_dict
from yuntan.demo import demo_studies, study_inputs
from yuntan.factordata import shipped_factors
from yuntan.gwp import get_gwp_set
from yuntan.rules import ElectricityMethod, SystemBoundary, get_pack

LOCATION, MARKET, MEE = (ElectricityMethod.LOCATION_BASED, ElectricityMethod.MARKET_BASED,
                         ElectricityMethod.MEE_CALIBRE)


def computed(pack_id: str, activity: dict[str, tuple[float, str]], variant: str | None = None,
             version: str = "2.0.0", year: int = 2022) -> tuple[StudyInputs, object]:
    pack = get_pack(pack_id, version)
    codes = needed_factors(pack, activity, variant)
    inputs = StudyInputs(pack.id, pack.version, variant, activity, shipped_factors(codes, year))
    return inputs, compute(pack, inputs)


def factor(inputs: StudyInputs, code: str, gas: str = "CO2e") -> float:
    return sum(a for g, _origin, a in inputs.factors[code].values if g == gas)


def demo(pack_id: str) -> dict[str, tuple[float, str]]:
    return dict(next(s for s in demo_studies() if s.pack_id == pack_id).activity)


ALUMINIUM = {
    "aluminium_liquid_output": (1000, "t"), "alumina": (1920, "t"),
    "anode_net_consumption": (410, "t"), "anode_carbon_content": (0.98, "dimensionless"),
    "anode_effect_minutes": (0.1, "minute/day"), "electricity_grid": (13_400_000, "kWh"),
    "aluminium_ingot_output": (1000, "t"), "liquid_aluminium_cast": (1000, "t"),
}


def test_electricity_counts_at_the_life_cycle_factor_and_the_mee_calibre_is_shown() -> None:
    inputs, outcome = computed("electrolytic-aluminium", ALUMINIUM)
    kwh_per_t = 13_400
    life_cycle = factor(inputs, "electricity-lifecycle-CN-YN")
    mee = factor(inputs, "electricity-grid-average-CN-YN", "CO2")
    assert (life_cycle, mee) == (pytest.approx(0.1764), pytest.approx(0.1073))
    results = outcome.results  # type: ignore[attr-defined]
    assert results[LOCATION].by_process["electricity-lifecycle-CN-YN"] == pytest.approx(
        kwh_per_t * life_cycle)
    assert results[MEE].by_process["electricity-grid-average-CN-YN"] == pytest.approx(
        kwh_per_t * mee)
    # Nothing else differs between the two views.
    assert results[LOCATION].total - results[MEE].total == pytest.approx(
        kwh_per_t * (life_cycle - mee))
    assert outcome.headline is LOCATION  # type: ignore[attr-defined]


def test_the_mee_calibre_is_never_a_headline() -> None:
    pack = get_pack("electrolytic-aluminium", "2.0.0")
    with pytest.raises(ValueError, match="never"):
        type(pack).model_validate({**pack.model_dump(), "electricity_headline_method":
                                   "mee_calibre"})


def test_pfc_slope_defaults_apply_when_the_plant_measures_none() -> None:
    _inputs, outcome = computed("electrolytic-aluminium", ALUMINIUM)
    gwp = get_gwp_set("AR6")
    cf4 = 0.143 * 0.1  # kg CF4 per t Al: CWPB slope × AE minutes per cell-day
    c2f6 = cf4 * 0.121
    anode_co2 = 0.410 * 0.98 * 44.0095 / 12.0107 * 1000
    expected = anode_co2 + cf4 * gwp.factor("CF4", "fossil") + c2f6 * gwp.factor("C2F6",
                                                                                   "fossil")
    electrolysis = outcome.results[LOCATION].by_process["electrolysis"]  # type: ignore[attr-defined]
    assert electrolysis == pytest.approx(expected)
    # A measured low-voltage anode-effect CF4 adds to it.
    _inputs, measured = computed("electrolytic-aluminium",
                                {**ALUMINIUM, "lvae_cf4": (20_000, "kg")})
    lvae = measured.results[LOCATION].by_process["electrolysis"]  # type: ignore[attr-defined]
    assert lvae - electrolysis == pytest.approx(20 * gwp.factor("CF4", "fossil"))


def test_captive_coal_power_counts_at_the_coal_life_cycle_factor() -> None:
    inputs, outcome = computed("electrolytic-aluminium",
                               {**ALUMINIUM, "captive_power_coal": (1_000_000, "kWh")})
    coal = factor(inputs, "electricity-lifecycle-coal-CN")
    assert coal == pytest.approx(0.9440)  # 2023 coal-power life-cycle factor (MEE 2025 No. 3)
    results = outcome.results  # type: ignore[attr-defined]
    assert results[LOCATION].by_process["electricity-lifecycle-coal-CN"] == pytest.approx(
        1000 * coal)
    fossil = factor(inputs, "electricity-fossil-CN", "CO2")
    assert results[MEE].by_process["electricity-fossil-CN"] == pytest.approx(1000 * fossil)


def test_the_steam_credit_is_reported_beside_the_footprint_never_subtracted() -> None:
    activity = demo("ammonium-phosphate")
    inputs, new = computed("ammonium-phosphate", activity, "dap")
    _old_inputs, old = computed("ammonium-phosphate", activity, "dap", version="1.0.0")
    steam = factor(inputs, "steam-production-natural-gas-boiler", "CO2") + factor(
        inputs, "steam-production-natural-gas-boiler")  # CO2 and the upstream CO2e
    steam_per_t = 930_600 / 600_000  # GJ exported per t DAP
    credit = new.separate_credit  # type: ignore[attr-defined]
    assert credit < 0
    assert credit == pytest.approx(-steam_per_t * steam, rel=0.01)  # + CH4, N2O: < 0.1 %
    assert "steam-production-natural-gas-boiler" not in new.result.by_process  # type: ignore[attr-defined]
    assert outcome_as_dict(new)["separate_credit"] == credit  # type: ignore[arg-type]
    # 1.0.0 netted it out; 2.0.0 counts the same plant without it (and life-cycle power).
    assert new.result.total > old.result.total  # type: ignore[attr-defined]
    assert new.result.total > 0  # type: ignore[attr-defined]


def test_limestone_neutralisation_releases_its_carbonate_as_co2() -> None:
    activity = {**demo("ammonium-phosphate"), "neutralisation_limestone": (10_000, "t")}
    _inputs, with_lime = computed("ammonium-phosphate", activity, "dap")
    _inputs, without = computed("ammonium-phosphate", demo("ammonium-phosphate"), "dap")
    per_t_dap = 10_000 * 44.0095 / 100.0869 * 1000 / 600_000  # kg CO2 per t DAP
    assert (with_lime.result.total - without.result.total  # type: ignore[attr-defined]
            == pytest.approx(per_t_dap))


def test_phosphogypsum_is_recorded_and_its_stack_named_as_an_exclusion() -> None:
    pack = get_pack("ammonium-phosphate", "2.0.0")
    assert [e.id for e in pack.exclusions] == ["phosphogypsum-stack"]
    _inputs, outcome = computed("ammonium-phosphate", demo("ammonium-phosphate"), "dap")
    assert outcome.complete and not outcome.material_gap  # type: ignore[attr-defined]


def test_delivered_roses_are_cradle_to_customer_with_aircraft_emissions_apart() -> None:
    pack = get_pack("cut-roses", "2.0.0")
    assert pack.boundary("delivered") is SystemBoundary.CRADLE_TO_CUSTOMER
    assert pack.boundary("farm-gate") is SystemBoundary.CRADLE_TO_GATE
    activity = demo("cut-roses")
    inputs, outcome = computed("cut-roses", activity, "delivered")
    per_stem_tkm = 829_400 / 21_170_000  # t·km of air freight per delivered stem
    expected = per_stem_tkm * factor(inputs, "air-freight")
    assert outcome.aircraft == pytest.approx(expected)  # type: ignore[attr-defined]
    assert 0 < outcome.aircraft < outcome.result.total  # type: ignore[attr-defined]


def test_every_demo_study_uses_a_current_pack_and_none_has_a_material_gap() -> None:
    for study in demo_studies():
        pack, inputs = study_inputs(study)
        outcome = compute(pack, inputs)
        assert not outcome.material_gap, (study.title, outcome.gaps)
        assert outcome.result.total > 0


def test_a_footprint_below_the_published_range_is_a_high_finding() -> None:
    from yuntan.checks.findings import CheckSeverity
    from yuntan.checks.intensity import check_intensity

    pack = get_pack("electrolytic-aluminium", "2.0.0")
    too_low = [f for f in check_intensity(pack, ALUMINIUM, None, 3077.0)
               if f.rule == "outside-published-range"]
    assert [f.severity for f in too_low] == [CheckSeverity.HIGH]
    assert "3200" in too_low[0].message_en and "IAI" in too_low[0].message_en
    inside = [f for f in check_intensity(pack, ALUMINIUM, None, 7733.0)
              if f.rule == "outside-published-range"]
    assert inside == []
    roses = get_pack("cut-roses", "2.0.0")
    # The delivered range does not apply to the farm-gate variant.
    assert not [f for f in check_intensity(roses, {}, "farm-gate", 0.01)
                if f.rule == "outside-published-range"]
    assert [f.severity for f in check_intensity(roses, {}, "delivered", 0.9)
            if f.rule == "outside-published-range"] == [CheckSeverity.MEDIUM]
