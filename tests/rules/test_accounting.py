"""A study's footprint from its exact inputs: both electricity methods, placeholders flagged,
grades, and the same numbers every time the same inputs are computed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_fixtures import COMPLETE

from yuntan.accounting import (
    PinnedFactor,
    StudyInputs,
    compute,
    grade,
    material_gaps,
    needed_factors,
    outcome_as_dict,
)
from yuntan.formats.factor_csv import read_factor_files
from yuntan.rules import ElectricityMethod, FieldKind, get_pack, shipped_packs

FACTORS = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"


def shipped_factor(code: str, year: int = 2022) -> PinnedFactor:
    """The shipped version of ``code`` for ``year`` (the latest one not after it)."""
    rows = [r for r in read_factor_files(FACTORS / "datasets.csv", FACTORS / "values.csv")
            if r.fields["id"] == code]
    dated = [r for r in rows if r.fields["reference_year"]
             and int(r.fields["reference_year"]) <= year and not r.placeholder]
    row = max(dated, key=lambda r: int(r.fields["reference_year"])) if dated else rows[0]
    return PinnedFactor(
        code=code, version=row.fields["version"], unit=row.fields["unit"],
        name_zh=row.fields["name_zh"], name_en=row.fields["name_en"],
        values=tuple((v.gas, v.origin, v.amount_kg_per_unit) for v in row.values),
        placeholder=row.placeholder, gwp_set=row.fields["gwp_set"],
        default=row.conservative_default,
    )


def inputs_for(pack_id: str, activity: dict[str, tuple[float, str]],
               factors: dict[str, PinnedFactor] | None = None, *,
               version: str | None = "1.0.0", variant: str | None = None) -> StudyInputs:
    pack = get_pack(pack_id, version)
    codes = needed_factors(pack, activity, variant)
    pinned = {code: shipped_factor(code) for code in codes}
    pinned.update(factors or {})
    return StudyInputs(pack.id, pack.version, variant, activity, pinned)


def test_aluminium_with_the_shipped_factors() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    outcome = compute(pack, inputs_for(pack.id, COMPLETE[pack.id]))

    assert outcome.headline is ElectricityMethod.LOCATION_BASED
    location = outcome.results[ElectricityMethod.LOCATION_BASED]
    # Grid: 1350 万kWh per 1000 t = 13 500 kWh/t at Yunnan's 2022 factor 0.1073 kg/kWh.
    assert location.by_process["electricity-grid-average-CN-YN"] == pytest.approx(
        13_500 * 0.1073, rel=1e-9)
    assert location.factor_versions["electricity-grid-average-CN-YN"] == "2022"
    assert sum(location.by_stage.values()) == pytest.approx(location.total)
    # Alumina and anodes have no Yunnan figure: conservative defaults, counted and named.
    assert {"alumina-production-CN", "prebaked-anode-production-CN"} <= set(outcome.defaults)
    assert location.by_process["alumina-production-CN"] > 0
    assert 0 < outcome.default_share < 1
    assert outcome.complete and not outcome.material_gap
    assert outcome.grade.placeholder and outcome.grade.level is None


def test_a_placeholder_in_use_is_a_material_gap_and_unused_it_is_none() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    missing = PinnedFactor(code="alumina-production-CN", version="placeholder", unit="t",
                           placeholder=True)
    outcome = compute(pack, inputs_for(pack.id, COMPLETE[pack.id],
                                       {"alumina-production-CN": missing}))
    gap = next(g for g in outcome.gaps if g.dataset == "alumina-production-CN")
    assert gap.kind == "placeholder" and gap.amount > 0 and gap.share is None
    assert not outcome.complete and outcome.material_gap
    data = outcome_as_dict(outcome)
    assert material_gaps(data) == ["placeholder alumina-production-CN"]
    # A missing input weighs nothing in the contribution-weighted scores: rated incomplete.
    assert {r["data_quality"]["level"] for r in data["results"].values()} == {"incomplete"}
    # The same placeholder used for a zero amount stands for nothing: no gap.
    zero = {**COMPLETE[pack.id], "alumina": (0.0, "t")}
    outcome = compute(pack, inputs_for(pack.id, zero, {"alumina-production-CN": missing}))
    assert outcome.complete and material_gaps(outcome_as_dict(outcome)) == []


def test_outcomes_stored_before_completeness_count_every_placeholder() -> None:
    assert material_gaps({"placeholders": ["alumina-production-CN"]}) == [
        "placeholder alumina-production-CN"]
    assert material_gaps({"placeholders": []}) == []


def test_market_based_electricity_is_computed_beside_the_headline() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    activity = {**COMPLETE[pack.id], "electricity_grid": (350, "万千瓦时"),
                "electricity_hydro_contract": (1000, "万千瓦时")}
    hydro = PinnedFactor("electricity-hydropower-contract-CN-YN", "test", "kWh",
                         values=(("CO2", "fossil", 0.01),))  # a test value, not a real factor
    outcome = compute(pack, inputs_for(pack.id, activity,
                                       {"electricity-hydropower-contract-CN-YN": hydro}))

    location = outcome.results[ElectricityMethod.LOCATION_BASED]
    market = outcome.results[ElectricityMethod.MARKET_BASED]
    # 10 000 kWh/t under contract: grid factor (location) vs contract factor (market).
    assert location.total - market.total == pytest.approx(10_000 * (0.1073 - 0.01), rel=1e-9)


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.id)
def test_every_shipped_pack_computes_with_the_shipped_factors(pack: object) -> None:
    from yuntan.rules import RulePack

    assert isinstance(pack, RulePack)
    outcome = compute(pack, inputs_for(pack.id, COMPLETE[pack.id], version=pack.version))
    for result in outcome.results.values():
        assert result.total == pytest.approx(sum(result.by_stage.values()))
        assert result.total == pytest.approx(sum(result.by_gas.values()))
    data = outcome_as_dict(outcome)
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert data["grade"]["placeholder"] is True  # no official thresholds are public yet


def test_the_inputs_round_trip_and_recompute_identically() -> None:
    pack = get_pack("coffee", "1.0.0")
    inputs = inputs_for(pack.id, COMPLETE[pack.id])
    text = inputs.canonical_json()
    again = StudyInputs.from_dict(json.loads(text))

    assert again.canonical_json() == text and again.sha256 == inputs.sha256
    first, second = compute(pack, inputs), compute(pack, again)
    assert outcome_as_dict(first) == outcome_as_dict(second)


def test_inputs_for_another_pack_version_are_refused() -> None:
    pack = get_pack("coffee", "1.0.0")
    inputs = inputs_for(pack.id, COMPLETE[pack.id])
    stale = StudyInputs(pack.id, "0.9.0", None, inputs.activity, inputs.factors)
    with pytest.raises(ValueError, match=r"0\.9\.0"):
        compute(pack, stale)


def test_a_factor_without_a_pinned_version_is_refused() -> None:
    pack = get_pack("coffee", "1.0.0")
    inputs = inputs_for(pack.id, COMPLETE[pack.id])
    partial = dict(inputs.factors)
    del partial["electricity-grid-average-CN-YN"]
    with pytest.raises(ValueError, match="electricity-grid-average-CN-YN"):
        compute(pack, StudyInputs(pack.id, pack.version, None, inputs.activity, partial))


def test_grades_follow_the_thresholds_when_they_exist() -> None:
    pack = get_pack("coffee", "1.0.0")
    levels = (
        pack.grading.levels[0].model_copy(update={
            "upper_bound_kg_co2e_per_declared_unit": 2.0, "placeholder": False}),
        pack.grading.levels[1].model_copy(update={
            "upper_bound_kg_co2e_per_declared_unit": 5.0, "placeholder": False}),
    )
    graded = pack.model_copy(update={"grading": pack.grading.model_copy(update={
        "placeholder": False, "benchmark_kg_co2e_per_declared_unit": 5.0,
        "benchmark_source": "test", "levels": levels})})
    assert grade(graded, 1.5).level == levels[0].id
    assert grade(graded, 2.0).level == levels[0].id
    assert grade(graded, 4.0).level == levels[1].id
    assert grade(graded, 6.0).level is None and not grade(graded, 6.0).placeholder


EXTENSIVE = [f.id for f in get_pack("electrolytic-aluminium", "1.0.0").fields
             if f.kind is not FieldKind.PARAMETER and f.id in COMPLETE["electrolytic-aluminium"]]


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e3))
def test_the_footprint_per_tonne_does_not_depend_on_the_plant_size(scale: float) -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    base = COMPLETE[pack.id]
    scaled = {k: ((a * scale, u) if k in EXTENSIVE else (a, u)) for k, (a, u) in base.items()}
    one = compute(pack, inputs_for(pack.id, base)).result
    other = compute(pack, inputs_for(pack.id, scaled)).result
    assert other.total == pytest.approx(one.total, rel=1e-9)
    assert other.by_gas == pytest.approx(one.by_gas, rel=1e-9)
