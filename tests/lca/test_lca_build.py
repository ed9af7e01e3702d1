"""build_system: processes and factor datasets compiled into A and B, units converted at the
boundary, multi-output processes allocated or expanded, removals booked negative."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from lca_helpers import aluminium_chain, coal_power_loop, grid_factor

from yuntan.gwp import Origin
from yuntan.lca import (
    Distribution,
    Emission,
    FactorDataset,
    Input,
    MatrixSystem,
    Output,
    Pedigree,
    Process,
    build_system,
    footprint,
)
from yuntan.lca.errors import DimensionMismatch
from yuntan.lca.quality import pedigree_sigma
from yuntan.lca.system import LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM, FlowKey


def column(system: MatrixSystem, activity: str) -> dict[str, float]:
    """Column of A for ``activity`` as {activity id of the row: value}."""
    j = system.activity_index(activity)
    dense = system.technosphere[:, j].toarray().ravel()
    return {system.activities[i].id: float(dense[i]) for i in np.flatnonzero(dense)}


def emissions_of(system: MatrixSystem, activity: str) -> dict[tuple[str, str], float]:
    j = system.activity_index(activity)
    dense = system.biosphere[:, j].toarray().ravel()
    return {(system.flows[k].gas, str(system.flows[k].origin)): float(dense[k])
            for k in np.flatnonzero(dense)}


# --- The 2-process chain --------------------------------------------------------------------


def test_it_puts_production_on_the_diagonal_and_inputs_below_zero() -> None:
    processes, datasets = aluminium_chain()
    system = build_system(processes, datasets)

    assert [a.id for a in system.activities] == ["smelter", "grid"]
    assert column(system, "smelter") == {"smelter": 1.0, "grid": -13_500.0}
    assert column(system, "grid") == {"grid": 1.0}
    assert emissions_of(system, "smelter") == {("CO2", "fossil"): 1_600.0,
                                                ("CF4", "fossil"): 0.04}
    assert emissions_of(system, "grid") == {("CO2", "fossil"): 0.1073}


def test_it_computes_the_aluminium_chain_by_hand() -> None:
    processes, datasets = aluminium_chain()

    result = footprint(build_system(processes, datasets), {"aluminium": 1})

    # 13 500 × 0.1073 + 1 600 + 0.04 × 7 380 = 1 448.55 + 1 895.2 (see lca_helpers)
    assert result.total == pytest.approx(3_343.75, rel=1e-12)
    assert result.by_input["grid"] == pytest.approx(1_448.55, rel=1e-12)
    assert result.by_input["smelter (direct)"] == pytest.approx(1_895.2, rel=1e-12)


def test_it_keeps_the_factor_dataset_version_on_the_activity() -> None:
    processes, datasets = aluminium_chain()

    system = build_system(processes, datasets)

    assert system.activities[system.activity_index("grid")].version == "2023"


# --- A loop ---------------------------------------------------------------------------------


def test_it_links_a_loop_in_both_directions() -> None:
    system = build_system(coal_power_loop())

    assert column(system, "power plant") == {"power plant": 1.0, "mine": -0.4}
    assert column(system, "mine") == {"mine": 1.0, "power plant": -0.05}


def test_it_solves_the_coal_power_loop_by_hand() -> None:
    system = build_system(coal_power_loop())

    electricity = footprint(system, {"electricity": 1})
    coal = footprint(system, {"coal": 1})

    # s = A⁻¹ (1, 0) = (1/0.98, 0.4/0.98); h = (0.9 + 0.01 × 29.8 × 0.4) / 0.98 = 1.04
    assert electricity.supply["power plant"] == pytest.approx(1 / 0.98, rel=1e-12)
    assert electricity.supply["mine"] == pytest.approx(0.4 / 0.98, rel=1e-12)
    assert electricity.total == pytest.approx(1.04, rel=1e-12)
    # s = (0.05/0.98, 1/0.98); h = (0.9 × 0.05 + 0.298) / 0.98 = 0.35
    assert coal.total == pytest.approx(0.35, rel=1e-12)


# --- Allocation of a 2-output process -------------------------------------------------------
#
# A refinery makes 600 kg of A and 0.4 t of B from 500 kWh of grid electricity at 0.5 kg
# CO2/kWh (250 kg) plus 1 000 kg of direct CO2: 1 250 kg CO2e to share.
#   mass:      A 600 kg, B 400 kg                          → 0.6, 0.4
#   energy:    A 600 × 40 MJ, B 0.4 t × 10 000 MJ/t        → 24 000 : 4 000 = 6/7, 1/7
#   economic:  A 600 × 2, B 0.4 × 8 000                    → 1 200 : 3 200 = 3/11, 8/11
#   explicit:  0.7, 0.3
# Footprint per kg of A = 1 250 × share_A / 600, per t of B = 1 250 × share_B / 0.4.

ALLOCATION_CASES = [
    ("mass", 0.6, 0.4),
    ("energy", 6 / 7, 1 / 7),
    ("economic", 3 / 11, 8 / 11),
    ("explicit", 0.7, 0.3),
]


def refinery(method: str) -> tuple[list[Process], list[FactorDataset]]:
    process = Process(
        "refinery",
        (
            Output("A", 600, "kg", properties={"energy_mj": 40, "price": 2},
                   allocation_factor=0.7),
            Output("B", 0.4, "t", properties={"energy_mj": 10_000, "price": 8_000},
                   allocation_factor=0.3),
        ),
        inputs=(Input("grid", 500, "kWh"),),
        emissions=(Emission("CO2", 1_000),),
        allocation=method,  # type: ignore[arg-type]
    )
    return [process], [grid_factor(0.5)]


@pytest.mark.parametrize("method,share_a,share_b", ALLOCATION_CASES)
def test_it_allocates_each_output_its_share(method: str, share_a: float, share_b: float) -> None:
    system = build_system(*refinery(method))

    per_kg_a = footprint(system, {"A": 1}).total
    per_t_b = footprint(system, {"B": 1}).total

    assert per_kg_a == pytest.approx(1_250 * share_a / 600, rel=1e-12)
    assert per_t_b == pytest.approx(1_250 * share_b / 0.4, rel=1e-12)


@pytest.mark.parametrize("method,share_a,share_b", ALLOCATION_CASES)
def test_it_adds_allocated_burdens_back_to_the_unallocated_total(
    method: str, share_a: float, share_b: float
) -> None:
    system = build_system(*refinery(method))

    both = footprint(system, {"A": 600, "B": 0.4})

    assert both.total == pytest.approx(1_250, rel=1e-12)
    assert both.by_process["refinery"] == pytest.approx(1_000, rel=1e-12)
    assert both.by_process["grid"] == pytest.approx(250, rel=1e-12)
    assert both.allocation["refinery/A"].startswith(method)


@pytest.mark.parametrize("method,share_a,share_b", ALLOCATION_CASES)
def test_it_splits_the_process_into_one_activity_per_output(
    method: str, share_a: float, share_b: float
) -> None:
    system = build_system(*refinery(method))

    a = system.activities[system.activity_index("refinery/A")]
    b = system.activities[system.activity_index("refinery/B")]

    assert (a.process, a.product, a.allocation_method) == ("refinery", "A", method)
    assert a.allocation_factor == pytest.approx(share_a)
    assert b.allocation_factor == pytest.approx(share_b)
    # Inputs and emissions are scaled by the allocation factor; production is not.
    assert column(system, "refinery/A") == pytest.approx(
        {"refinery/A": 600.0, "grid": -500 * share_a})
    assert emissions_of(system, "refinery/B") == pytest.approx(
        {("CO2", "fossil"): 1_000 * share_b})


def test_it_uses_the_output_unit_as_mass_when_no_mass_property_is_given() -> None:
    # A is 600 kg and B is 0.4 t = 400 kg: a 0.6 / 0.4 split without any properties.
    process = Process(
        "refinery",
        (Output("A", 600, "kg"), Output("B", 0.4, "t")),
        emissions=(Emission("CO2", 1_000),),
        allocation="mass",
    )

    system = build_system([process])

    assert footprint(system, {"A": 1}).total == pytest.approx(1.0)  # 600 kg CO2 / 600 kg
    assert footprint(system, {"B": 1}).total == pytest.approx(1_000.0)  # 400 kg CO2 / 0.4 t


def test_it_links_consumers_of_a_co_product_to_its_allocated_activity() -> None:
    processes, datasets = refinery("mass")
    user = Process("blender", (Output("blend", 1, "kg"),), inputs=(Input("B", 2, "kg"),))

    system = build_system([*processes, user], datasets)

    # 2 kg of B = 0.002 t at 1 250 × 0.4 / 0.4 = 1 250 kg CO2e per t → 2.5 kg CO2e.
    assert column(system, "blender") == {"blender": 1.0, "refinery/B": -0.002}
    assert footprint(system, {"blend": 1}).total == pytest.approx(2.5)


# --- System expansion (substitution) --------------------------------------------------------


def sugar_mill(credit_ratio: float = 1.0) -> MatrixSystem:
    """A sugar mill making 1 t of sugar with 100 kg CO2, whose 0.3 MWh of bagasse power
    displaces grid electricity at 0.5 kg CO2/kWh."""
    mill = Process(
        "mill",
        (
            Output("sugar", 1, "t"),
            Output("power", 0.3, "MWh", substitutes="grid", substitution_ratio=credit_ratio),
        ),
        emissions=(Emission("CO2", 100),),
        allocation="substitution",
    )
    return build_system([mill], [grid_factor(0.5)])


def test_it_credits_the_displaced_product_with_a_positive_entry() -> None:
    system = sugar_mill()

    # 0.3 MWh = 300 kWh of grid electricity avoided: +300 in the grid row.
    assert column(system, "mill") == {"mill": 1.0, "grid": 300.0}
    assert [a.id for a in system.activities] == ["mill", "grid"]


def test_it_lets_the_credit_bring_the_total_below_the_direct_emissions() -> None:
    result = footprint(sugar_mill(), {"sugar": 1})

    # 100 − 300 kWh × 0.5 = 100 − 150 = −50 kg CO2e
    assert result.total == pytest.approx(-50.0)
    assert result.by_input["grid"] == pytest.approx(-150.0)
    assert result.by_input["mill (direct)"] == pytest.approx(100.0)
    assert result.supply["grid"] == pytest.approx(-300.0)


def test_it_scales_the_credit_by_the_substitution_ratio() -> None:
    result = footprint(sugar_mill(credit_ratio=0.5), {"sugar": 1})

    # 100 − 0.5 × 300 × 0.5 = 25
    assert result.total == pytest.approx(25.0)


# --- Biogenic uptake, recycled content, waste -----------------------------------------------


def test_it_books_biogenic_uptake_entered_positive_as_a_negative_flow() -> None:
    wood = Process(
        "forest",
        (Output("wood", 1, "kg"),),
        emissions=(Emission("CO2", 1.6, origin=Origin.BIOGENIC_UPTAKE),
                   Emission("CO2", 0.2, origin=Origin.BIOGENIC)),
    )

    system = build_system([wood])

    assert emissions_of(system, "forest") == {("CO2", "biogenic_uptake"): -1.6,
                                              ("CO2", "biogenic"): 0.2}
    assert footprint(system, {"wood": 1}).total == pytest.approx(-1.4)


def test_it_cuts_off_recycled_input_without_provider_and_lists_it() -> None:
    processes, datasets = aluminium_chain()
    remelt = Process(
        "remelter",
        (Output("ingot", 1, "t"),),
        inputs=(Input("aluminium scrap", 300, "kg", recycled=True), Input("grid", 1_000, "kWh")),
    )

    system = build_system([*processes, remelt], datasets)
    result = footprint(system, {"ingot": 1})

    assert system.cut_off == ("remelter: aluminium scrap (300 kg)",)
    assert result.cut_off == ("remelter: aluminium scrap (300 kg)",)
    assert result.total == pytest.approx(1_000 * 0.1073)  # the scrap carries no burden


def test_it_links_recycled_input_that_names_its_provider() -> None:
    processes, datasets = aluminium_chain()
    remelt = Process(
        "remelter",
        (Output("ingot", 1, "t"),),
        inputs=(Input("aluminium", 0.3, "t", provider="smelter", recycled=True),),
    )

    system = build_system([*processes, remelt], datasets)

    assert system.cut_off == ()
    assert footprint(system, {"ingot": 1}).total == pytest.approx(0.3 * 3_343.75)


def test_it_sends_waste_to_its_treatment_process() -> None:
    # 50 kg of sludge to a landfill emitting 0.05 kg biogenic CH4 per kg (27.0 under AR6):
    # 50 × 0.05 × 27.0 = 67.5 kg CO2e on top of the plant's 10 kg CO2.
    plant = Process(
        "plant",
        (Output("paper", 1, "t"),),
        inputs=(Input("sludge", 50, "kg", waste=True),),
        emissions=(Emission("CO2", 10),),
    )
    landfill = Process(
        "landfill",
        (Output("sludge", 1, "kg"),),
        emissions=(Emission("CH4", 0.05, origin="biogenic"),),
    )

    system = build_system([plant, landfill])
    result = footprint(system, {"paper": 1})

    assert column(system, "plant") == {"plant": 1.0, "landfill": -50.0}
    assert result.total == pytest.approx(77.5)
    assert result.by_input["landfill"] == pytest.approx(67.5)


# --- Units at the boundary ------------------------------------------------------------------


def test_it_converts_chinese_units_to_the_provider_reference_unit() -> None:
    # 1.2 万千瓦时 + 500 度 = 12 500 kWh; 2 吨 of coal = 2 000 kg; 0.5 tce = 14.6538 GJ;
    # 3 万Nm3 = 30 000 Nm3; 40 t·km = 40 tkm; 3 亩 = 0.2 公顷; the 0.8 吨 emission is 800 kg.
    providers = [
        FactorDataset("grid", "kWh", (Emission("CO2", 0.5),)),
        FactorDataset("coal", "kg", (Emission("CO2", 0.1),)),
        FactorDataset("heat", "GJ", (Emission("CO2", 10.0),)),
        FactorDataset("natural gas", "Nm3", (Emission("CO2", 2.0),)),
        FactorDataset("truck", "tkm", (Emission("CO2", 0.1),)),
        FactorDataset("land", "公顷", (Emission("CO2", 100.0, origin="land_use_change"),)),
    ]
    factory = Process(
        "factory",
        (Output("cement", 1, "吨"),),
        inputs=(
            Input("grid", 1.2, "万千瓦时"),
            Input("grid", 500, "度"),
            Input("coal", 2, "吨"),
            Input("heat", 0.5, "tce"),
            Input("natural gas", 3, "万Nm3"),
            Input("truck", 40, "t·km"),
            Input("land", 3, "亩"),
        ),
        emissions=(Emission("CO2", 0.8, "吨"),),
    )

    system = build_system([factory], providers)

    assert column(system, "factory") == pytest.approx({
        "factory": 1.0,
        "grid": -12_500.0,
        "coal": -2_000.0,
        "heat": -0.5 * 29.3076,
        "natural gas": -30_000.0,
        "truck": -40.0,
        "land": -0.2,
    })
    assert emissions_of(system, "factory") == {("CO2", "fossil"): 800.0}
    # 6 250 + 200 + 146.538 + 60 000 + 4 + 20 + 800
    assert footprint(system, {"cement": 1}).total == pytest.approx(67_420.538)


def test_it_converts_the_credit_of_a_co_product_to_the_displaced_unit() -> None:
    system = sugar_mill()

    assert column(system, "mill")["grid"] == pytest.approx(300.0)  # 0.3 MWh in kWh


def test_it_reports_a_dimension_mismatch_naming_the_process_and_exchange() -> None:
    smelter = Process("smelter", (Output("aluminium", 1, "t"),),
                      inputs=(Input("grid", 13_500, "kg"),))

    with pytest.raises(DimensionMismatch) as caught:
        build_system([smelter], [grid_factor()])

    message = str(caught.value)
    assert "process 'smelter'" in message
    assert "input 'grid'" in message
    assert "'kg'" in message and "'kWh'" in message


def test_it_reports_an_emission_in_a_non_mass_unit_naming_the_emission() -> None:
    process = Process("boiler", (Output("steam", 1, "t"),), emissions=(Emission("CO2", 1, "kWh"),))

    with pytest.raises(DimensionMismatch, match=r"process 'boiler', emission 'CO2'"):
        build_system([process])


def test_it_keeps_normal_cubic_metres_apart_from_geometric_ones() -> None:
    process = Process("kiln", (Output("lime", 1, "t"),), inputs=(Input("natural gas", 5, "m³"),))
    gas = FactorDataset("natural gas", "Nm3", (Emission("CO2", 2.0),))

    with pytest.raises(DimensionMismatch, match="process 'kiln', input 'natural gas'"):
        build_system([process], [gas])


# --- Background systems ---------------------------------------------------------------------


def test_it_links_inputs_to_products_of_a_background_system() -> None:
    # Background: electricity (0.6 kg CO2 per kWh) made with 0.1 kg of steel per kWh, steel
    # 2 kg CO2 per kg: 0.6 + 0.1 × 2 = 0.8 kg CO2e per kWh.
    background = MatrixSystem.from_matrices(
        sp.csc_matrix(np.array([[1.0, 0.0], [-0.1, 1.0]])),
        sp.csc_matrix(np.array([[0.6, 2.0]])),
        ["bg-electricity", "bg-steel"],
        [("CO2", "fossil")],
        products=["electricity", "steel"],
    )
    foreground = Process(
        "assembly",
        (Output("bike", 1, "piece"),),
        inputs=(Input("electricity", 10, "kWh"), Input("steel", 5, "kg")),
        emissions=(Emission("CH4", 1.0),),
    )

    system = build_system([foreground], background=background)

    assert [a.id for a in system.activities] == ["assembly", "bg-electricity", "bg-steel"]
    # 10 × 0.8 + 5 × 2 + 29.8 = 47.8
    assert footprint(system, {"bike": 1}).total == pytest.approx(47.8)
    assert system.flows == (FlowKey("CO2", Origin.FOSSIL), FlowKey("CH4", Origin.FOSSIL))


# --- Uncertainty entries --------------------------------------------------------------------


def test_it_gives_an_exchange_with_only_pedigree_a_lognormal_entry() -> None:
    scores = Pedigree(reliability=2, completeness=3, temporal=1, geographical=2, technological=4)
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh", pedigree=scores),),
    )

    system = build_system([smelter], [grid_factor()])
    entries = system.technosphere_uncertainty

    assert len(entries) == 1
    assert (entries.rows[0], entries.cols[0]) == (1, 0)
    assert entries.kind[0] == LOGNORMAL
    assert entries.amount[0] == pytest.approx(-13_500)
    # σ² = 0.0006 (basic) + 0.0006 + 0.0006 + 0 + 0.000025 + 0.04
    assert entries.spread[0] == pytest.approx(math.sqrt(0.041825))
    assert entries.spread[0] == pytest.approx(pedigree_sigma(scores, "technosphere_input"))


def test_it_applies_the_process_pedigree_to_exchanges_without_their_own() -> None:
    scores = Pedigree(1, 1, 1, 1, 1)
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh"),),
        emissions=(Emission("CH4", 2.0, origin="biogenic"),),
        pedigree=scores,
    )

    system = build_system([smelter], [grid_factor()])

    assert system.technosphere_uncertainty.spread == pytest.approx([math.sqrt(0.0006)])
    # Non-fossil CH4 uses the agricultural basic uncertainty.
    assert system.biosphere_uncertainty.spread == pytest.approx([math.sqrt(0.00830539995827002)])
    assert np.array_equal(system.pedigree[0], [1, 1, 1, 1, 1])
    assert np.isnan(system.pedigree[1]).all()  # the grid factor has no scores


def test_it_prefers_an_explicit_distribution_over_pedigree() -> None:
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh", uncertainty=Distribution.lognormal(1.2),
                      pedigree=Pedigree(5, 5, 5, 5, 5)),),
    )

    entries = build_system([smelter], [grid_factor()]).technosphere_uncertainty

    assert entries.spread == pytest.approx([math.log(1.2)])


def test_it_expresses_distributions_in_matrix_units_with_their_sign() -> None:
    # Amounts in 万千瓦时 become −10 000 × amount kWh in the matrix.
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(
            Input("grid", 1.2, "万千瓦时", uncertainty=Distribution.normal(0.1)),
            Input("grid", 1.0, "万千瓦时", uncertainty=Distribution.triangular(0.8, 1.5)),
            Input("grid", 0.5, "万千瓦时", uncertainty=Distribution.uniform(0.4, 0.6)),
        ),
    )

    entries = build_system([smelter], [grid_factor()]).technosphere_uncertainty

    assert list(entries.kind) == [NORMAL, TRIANGULAR, UNIFORM]
    assert list(entries.amount) == pytest.approx([-12_000, -10_000, -5_000])
    assert entries.spread[0] == pytest.approx(1_000)
    assert (entries.minimum[1], entries.maximum[1]) == pytest.approx((-15_000, -8_000))
    assert (entries.minimum[2], entries.maximum[2]) == pytest.approx((-6_000, -4_000))


def test_it_leaves_certain_exchanges_out_of_the_uncertainty_entries() -> None:
    processes, datasets = aluminium_chain()

    system = build_system(processes, datasets)

    assert len(system.technosphere_uncertainty) == 0
    assert len(system.biosphere_uncertainty) == 0
