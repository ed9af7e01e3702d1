"""Matrices from an import, solved by the engine, against hand calculations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonld_fixtures import PART_PER_KG, STEEL_PER_KG, Package, chain_package, ref, uid

from yuntan.formats.jsonld import (
    JsonLdImport,
    UnknownImpactCategory,
    read_jsonld,
    to_matrix_system,
)
from yuntan.lca import footprint

PER_MJ = 0.5 / 3.6  # kg CO2 per MJ of electricity


@pytest.fixture(params=[2, 1], ids=["openlca2", "openlca1"])
def chain(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[JsonLdImport, dict[str, str]]:
    package, ids = chain_package()
    return read_jsonld(package.write(tmp_path / "chain.zip", request.param)), ids


@pytest.mark.parametrize("characterise", [{"method": "Test GWP method"},
                                          {"category": "GWP100"}, {}],
                         ids=["method", "category", "gwp-set"])
def test_the_chain_matches_the_hand_calculation(
    chain: tuple[JsonLdImport, dict[str, str]], characterise: dict[str, str],
) -> None:
    imported, ids = chain
    matrices = to_matrix_system(imported, **characterise)
    per_kg = {name: footprint(matrices.system, {ids[name]: 1}, gwp_set="AR6").total
              for name in ("maker", "mill", "treatment")}
    assert per_kg["maker"] == pytest.approx(PART_PER_KG)  # 4.0902…
    assert per_kg["mill"] == pytest.approx(STEEL_PER_KG)  # per kg of steel
    assert per_kg["treatment"] == pytest.approx(0.01 * 29.8)  # per kg of scrap treated
    # Per stored quantitative reference: 1 t of steel, 1 kWh of electricity.
    per_t = footprint(matrices.system, matrices.demand_of(ids["mill"])).total
    assert per_t == pytest.approx(1000 * STEEL_PER_KG)
    assert footprint(matrices.system, matrices.demand_of(ids["plant"])).total == \
        pytest.approx(0.5)


def test_the_technosphere_holds_openlca_signs_with_waste_reversed(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, ids = chain
    matrices = to_matrix_system(imported, method="Test GWP method")
    col = {t.process: i for i, t in enumerate(matrices.tech_flows)}
    a = matrices.technosphere.toarray()
    plant, mill, treat, maker = (col[ids[k]] for k in ("plant", "mill", "treatment", "maker"))
    assert np.diag(a)[[plant, mill, treat, maker]] == pytest.approx([3.6, 1000, 1, 1])
    assert a[plant, mill] == pytest.approx(-7200)  # 2000 kWh
    assert a[treat, mill] == pytest.approx(-100)  # scrap sent to treatment
    assert a[mill, maker] == pytest.approx(-1.2)
    assert a[plant, maker] == pytest.approx(-5)
    assert np.count_nonzero(a) == 8
    rows = {(e.name, e.is_input): i for i, e in enumerate(matrices.envi_flows)}
    b = matrices.intervention.toarray()
    assert b[rows[("Carbon dioxide, fossil", False)], mill] == pytest.approx(1800)
    assert b[rows[("Methane, fossil", False)], treat] == pytest.approx(0.01)
    assert matrices.characterisation is not None
    assert matrices.characterisation[rows[("Methane, fossil", False)]] == pytest.approx(29.8)
    assert matrices.unit == "kg CO2 eq"
    assert matrices.tech_flows[treat].waste and matrices.tech_flows[treat].unit == "kg"


def test_the_category_result_does_not_depend_on_the_gwp_set(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, ids = chain
    by_category = to_matrix_system(imported, category="GWP100").system
    by_gases = to_matrix_system(imported).system
    ar5 = {"maker": footprint(by_category, {ids["maker"]: 1}, gwp_set="AR5").total}
    assert ar5["maker"] == pytest.approx(PART_PER_KG)
    # With the gas mapping the GWP set decides: AR5 fossil methane is 30, not 29.8.
    with_ar5 = footprint(by_gases, {ids["treatment"]: 1}, gwp_set="AR5")
    assert with_ar5.total == pytest.approx(0.01 * 30)
    assert with_ar5.by_gas["CH4"] == pytest.approx(0.3)


def test_an_unlinked_input_is_left_out_and_listed(tmp_path: Path) -> None:
    package, ids = chain_package()
    package.get("processes", ids["maker"])["exchanges"].append(
        package.exchange(package.flow("paint"), 0.1, is_input=True))
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    matrices = to_matrix_system(imported)
    result = footprint(matrices.system, {ids["maker"]: 1})
    assert result.total == pytest.approx(PART_PER_KG)
    assert matrices.cut_off == (
        f"part maker ({ids['maker']}): paint 0.1 kg, no producer in the package",)
    assert result.cut_off == matrices.cut_off


def test_an_avoided_product_credits_its_provider(tmp_path: Path) -> None:
    package, ids = chain_package()
    ids["recycler"] = package.process("recycler", [
        package.exchange(package.flow("recycled steel"), 1, reference=True),
        package.exchange(ids["steel"], 0.9, avoided=True),
        package.exchange(ids["co2"], 0.4),
    ])
    matrices = to_matrix_system(read_jsonld(package.write(tmp_path / "chain.zip")))
    col = {t.process: i for i, t in enumerate(matrices.tech_flows)}
    assert matrices.technosphere[col[ids["mill"]], col[ids["recycler"]]] == pytest.approx(0.9)
    total = footprint(matrices.system, {ids["recycler"]: 1}).total
    assert total == pytest.approx(0.4 - 0.9 * STEEL_PER_KG)


def _refinery(package: Package, ids: dict[str, str], **extra: Any) -> None:
    """1 kg A and 3 kg B from 8 kg CO2 and 4 MJ electricity; B is used by a blender."""
    ids["a"], ids["b"] = package.flow("product A"), package.flow("product B")
    ids["refinery"] = package.process("refinery", [
        package.exchange(ids["a"], 1, reference=True),
        package.exchange(ids["b"], 3),
        package.exchange(ids["co2"], 8),
        package.exchange(ids["electricity"], 4, "MJ", is_input=True),
    ], **extra)
    ids["blender"] = package.process("blender", [
        package.exchange(package.flow("blend"), 1, reference=True),
        package.exchange(ids["b"], 2, is_input=True),
    ])


def _factor(kind: str, product: str, value: float, exchange: int | None = None
            ) -> dict[str, Any]:
    factor: dict[str, Any] = {"@type": "AllocationFactor", "allocationType": kind,
                              "product": ref("Flow", product), "value": value}
    if exchange is not None:
        factor["exchange"] = {"@type": "ExchangeRef", "internalId": exchange}
    return factor


def test_physical_allocation_splits_a_multi_output_process(tmp_path: Path) -> None:
    package, ids = chain_package()
    _refinery(package, ids, defaultAllocationMethod="PHYSICAL_ALLOCATION", allocationFactors=[
        _factor("PHYSICAL_ALLOCATION", uid("flow", "product A"), 0.25),
        _factor("PHYSICAL_ALLOCATION", uid("flow", "product B"), 0.75),
        _factor("ECONOMIC_ALLOCATION", uid("flow", "product A"), 0.9),  # not the default
    ])
    imported = read_jsonld(package.write(tmp_path / "refinery.zip"))
    matrices = to_matrix_system(imported)
    per_a = footprint(matrices.system, {ids["refinery"]: 1}).total
    per_b = footprint(matrices.system, {f"{ids['refinery']}/{ids['b']}": 1}).total
    burden = 8 + 4 * PER_MJ
    assert per_a == pytest.approx(0.25 * burden / 1)
    assert per_b == pytest.approx(0.75 * burden / 3)
    # The blender's input of B links to the refinery's B column.
    assert footprint(matrices.system, {ids["blender"]: 1}).total == pytest.approx(2 * per_b)
    assert per_a * 1 + per_b * 3 == pytest.approx(burden)  # nothing lost, nothing doubled
    result = footprint(matrices.system, {ids["refinery"]: 1})
    assert result.allocation[ids["refinery"]] == "PHYSICAL_ALLOCATION (0.25)"


def test_causal_allocation_uses_factors_per_exchange(tmp_path: Path) -> None:
    package, ids = chain_package()
    a, b = uid("flow", "product A"), uid("flow", "product B")
    _refinery(package, ids, defaultAllocationMethod="CAUSAL_ALLOCATION", allocationFactors=[
        _factor("CAUSAL_ALLOCATION", a, 1.0, exchange=3),  # all CO2 to A
        _factor("CAUSAL_ALLOCATION", b, 0.0, exchange=3),
        _factor("CAUSAL_ALLOCATION", a, 0.5, exchange=4),  # electricity half and half
        _factor("CAUSAL_ALLOCATION", b, 0.5, exchange=4),
    ])
    matrices = to_matrix_system(read_jsonld(package.write(tmp_path / "refinery.zip")))
    per_a = footprint(matrices.system, {ids["refinery"]: 1}).total
    per_b = footprint(matrices.system, {f"{ids['refinery']}/{ids['b']}": 1}).total
    assert per_a == pytest.approx(8 + 2 * PER_MJ)
    assert per_b == pytest.approx(2 * PER_MJ / 3)


def test_without_an_allocation_method_co_products_are_not_providers(tmp_path: Path) -> None:
    package, ids = chain_package()
    _refinery(package, ids)
    imported = read_jsonld(package.write(tmp_path / "refinery.zip"))
    assert imported.processes[ids["refinery"]].unallocated == (ids["b"],)
    assert "co-products 'product B' are not allocated" in imported.linking.unallocated[0]
    blender = next(lk for lk in imported.linking.links if lk.process_name == "blender")
    assert blender.reason == f"produced only as an unallocated co-product of 'refinery' " \
                             f"({ids['refinery']})"
    matrices = to_matrix_system(imported)
    per_a = footprint(matrices.system, {ids["refinery"]: 1}).total
    assert per_a == pytest.approx(8 + 4 * PER_MJ)  # the reference product carries all
    assert len(matrices.tech_flows) == 6


def test_a_method_or_category_must_name_one_category(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, _ = chain
    with pytest.raises(UnknownImpactCategory, match="'Test GWP method'"):
        to_matrix_system(imported, method="ReCiPe")
    with pytest.raises(UnknownImpactCategory, match="'GWP100'"):
        to_matrix_system(imported, category="Acidification")


def test_flows_without_factor_are_listed(tmp_path: Path) -> None:
    package, ids = chain_package()
    dust = package.flow("Particulates, < 2.5 um", kind="ELEMENTARY_FLOW",
                        category="Elementary flows/Emission to air/unspecified")
    package.get("processes", ids["plant"])["exchanges"].append(package.exchange(dust, 0.001))
    imported = read_jsonld(package.write(tmp_path / "dust.zip"))
    assert to_matrix_system(imported).uncharacterised == ("Particulates, < 2.5 um",)
    assert to_matrix_system(imported, category="GWP100").uncharacterised == (
        "Particulates, < 2.5 um",)


def _chain_of(package: Package, steps: list[tuple[float, str, float]]) -> list[str]:
    """Process k makes 1 kg of product k from ``amount`` (in ``unit``) of product k−1 and
    emits ``co2`` kg."""
    co2 = package.flow("Carbon dioxide, fossil", kind="ELEMENTARY_FLOW", cas="124-38-9")
    processes = []
    previous = None
    for k, (amount, unit, emitted) in enumerate(steps):
        product = package.flow(f"product {k}")
        exchanges = [package.exchange(product, 1, reference=True),
                     package.exchange(co2, emitted)]
        if previous is not None:
            exchanges.append(package.exchange(previous, amount, unit, is_input=True))
        processes.append(package.process(f"step {k}", exchanges))
        previous = product
    return processes


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 10), st.sampled_from(["kg", "g", "t"]),
                          st.floats(0, 100)), min_size=1, max_size=6),
       st.sampled_from([1, 2]))
def test_random_chains_give_the_analytical_footprint(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[float, str, float]],
    version: int,
) -> None:
    package = Package()
    processes = _chain_of(package, steps)
    path = package.write(tmp_path_factory.mktemp("chain") / "chain.zip", version)
    imported = read_jsonld(path)
    expected = 0.0
    for amount, unit, emitted in steps:
        kg = amount * {"kg": 1.0, "g": 0.001, "t": 1000.0}[unit]
        expected = emitted + kg * expected  # the first step has no input: expected is 0
    total = footprint(to_matrix_system(imported).system, {processes[-1]: 1}).total
    assert total == pytest.approx(expected, rel=1e-9, abs=1e-9)
