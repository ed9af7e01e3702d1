"""footprint, scores, all_scores: s = A⁻¹f, h = c·B·s, with the breakdowns computed from
one factorisation."""

from __future__ import annotations

import numpy as np
import pytest
from lca_helpers import (
    aluminium_chain,
    coal_power_loop,
    phone_system,
    random_matrices,
)

from yuntan.lca import (
    Emission,
    FactorDataset,
    Input,
    Output,
    Process,
    TreeNode,
    all_scores,
    build_system,
    footprint,
    prepare,
    scores,
)


def methane_plant() -> list[Process]:
    # 1 kg fossil CH4 (gas leaks) and 1 kg biogenic CH4 (digester) per unit.
    return [Process("plant", (Output("biogas", 1, "Nm3"),),
                    emissions=(Emission("CH4", 1.0, origin="fossil"),
                               Emission("CH4", 1.0, origin="biogenic")))]


@pytest.mark.parametrize("gwp_set,fossil,biogenic", [
    ("AR6", 29.8, 27.0),
    ("AR5", 30.0, 28.0),
    ("AR4", 25.0, 25.0),
])
def test_it_characterises_fossil_and_biogenic_methane_by_gwp_set(
    gwp_set: str, fossil: float, biogenic: float
) -> None:
    result = footprint(build_system(methane_plant()), {"biogas": 1}, gwp_set=gwp_set)

    assert result.gwp_set == gwp_set
    assert result.by_gas_and_origin[("CH4", "fossil")] == pytest.approx(fossil)
    assert result.by_gas_and_origin[("CH4", "biogenic")] == pytest.approx(biogenic)
    assert result.total == pytest.approx(fossil + biogenic)


@pytest.mark.parametrize("gwp_set,sf6", [("AR6", 25_200), ("AR5", 23_500), ("AR4", 22_800)])
def test_it_characterises_sf6_by_gwp_set(gwp_set: str, sf6: float) -> None:
    switchgear = Process("switchgear", (Output("breaker", 1, "piece"),),
                         emissions=(Emission("SF6", 2, "g"),))

    result = footprint(build_system([switchgear]), {"breaker": 1}, gwp_set=gwp_set)

    assert result.total == pytest.approx(0.002 * sf6)  # 2 g in kg × GWP
    assert result.inventory_kg[("SF6", "fossil")] == pytest.approx(0.002)


def test_it_defaults_to_ar6() -> None:
    assert footprint(build_system(methane_plant()), {"biogas": 1}).gwp_set == "AR6"


def test_it_accepts_the_activity_id_or_the_product_in_the_demand() -> None:
    system = build_system(*aluminium_chain())

    by_product = footprint(system, {"aluminium": 2}).total
    by_activity = footprint(system, {"smelter": 2}).total

    assert by_product == by_activity == pytest.approx(2 * 3_343.75)


def test_it_records_the_solver_that_ran() -> None:
    system = build_system(coal_power_loop())

    assert footprint(system, {"coal": 1}).solver == "btf-superlu"
    assert footprint(system, {"coal": 1}, solver="superlu").solver == "superlu"
    assert footprint(system, {"coal": 1}, solver="superlu").total == pytest.approx(0.35)


def test_it_reuses_a_prepared_system_with_its_own_gwp_set() -> None:
    system = build_system(methane_plant())
    prepared = prepare(system, "AR5")

    result = footprint(prepared, {"biogas": 1}, gwp_set="AR6")  # ignored: already prepared

    assert result.gwp_set == "AR5"
    assert result.total == pytest.approx(58.0)


def test_it_scores_many_demands_on_one_factorisation() -> None:
    prepared = prepare(build_system(coal_power_loop()))

    totals = scores(prepared, [{"electricity": 1}, {"coal": 1}, {"electricity": 2, "coal": 1}])

    # 1.04 and 0.35 by hand (lca_helpers.coal_power_loop); the third is 2 × 1.04 + 0.35.
    assert totals == pytest.approx([1.04, 0.35, 2.43])


def test_it_gives_every_product_its_footprint_per_unit_in_one_solve() -> None:
    prepared = prepare(build_system(coal_power_loop()))

    assert all_scores(prepared) == pytest.approx([1.04, 0.35])


@pytest.mark.parametrize("seed", range(5))
def test_it_agrees_between_all_scores_scores_and_footprint(seed: int) -> None:
    system = random_matrices(seed, 12, substitution=seed % 2 == 1)
    prepared = prepare(system)
    demands = [{a.id: 1.0} for a in system.activities]

    every = all_scores(prepared)
    many = scores(prepared, demands)
    one_by_one = [footprint(prepared, demand).total for demand in demands]

    assert every == pytest.approx(many, rel=1e-9)
    assert every == pytest.approx(one_by_one, rel=1e-9)


def test_it_splits_the_footprint_of_a_loop_by_input() -> None:
    result = footprint(build_system(coal_power_loop()), {"electricity": 1})

    # Direct 0.9; the 0.4 kg of coal carries 0.4 × 0.35 = 0.14 (its own loop share included).
    assert dict(result.by_input) == pytest.approx({"power plant (direct)": 0.9, "mine": 0.14})


# --- Stages ---------------------------------------------------------------------------------


def test_it_gives_untagged_datasets_the_stages_of_their_consumers_in_proportion() -> None:
    result = footprint(build_system(*phone_system()), {"phone life": 1})

    # Worked out in lca_helpers.phone_system.
    assert result.total == pytest.approx(28.0)
    assert dict(result.by_stage) == pytest.approx({"production": 13.0, "use": 15.0})


def test_it_puts_untagged_demand_in_the_unassigned_stage() -> None:
    result = footprint(build_system(*phone_system()), {"phone life": 1, "grid": 10})

    # Grid: 60 kWh of which 20 production, 30 use, 10 demanded directly (untagged);
    # 30 kg CO2 → 10, 15 and 5. Production also has assembly 1 + steel 2.
    assert result.total == pytest.approx(33.0)
    assert dict(result.by_stage) == pytest.approx(
        {"production": 13.0, "use": 15.0, "unassigned": 5.0})


def test_it_passes_stages_through_a_loop_of_untagged_processes() -> None:
    smelter = Process("smelter", (Output("aluminium", 1, "t"),),
                      inputs=(Input("electricity", 100, "kWh"),), stage="production")

    result = footprint(build_system([smelter, *coal_power_loop()]), {"aluminium": 1})

    assert dict(result.by_stage) == pytest.approx({"production": 104.0})


def test_it_reports_everything_unassigned_when_no_process_has_a_stage() -> None:
    result = footprint(build_system(coal_power_loop()), {"electricity": 1})

    assert dict(result.by_stage) == pytest.approx({"unassigned": 1.04})


# --- The upstream tree ----------------------------------------------------------------------


def assert_tree_adds_up(node: TreeNode) -> int:
    """score == direct + Σ children + below_cutoff at every node; returns the node count."""
    assert node.score == pytest.approx(
        node.direct + sum(child.score for child in node.children) + node.below_cutoff,
        rel=1e-9, abs=1e-12)
    return 1 + sum(assert_tree_adds_up(child) for child in node.children)


def test_it_builds_the_chain_tree_by_hand() -> None:
    tree = footprint(build_system(*aluminium_chain()), {"aluminium": 1}).tree

    assert (tree.activity, tree.amount, tree.unit) == ("smelter", 1.0, "t")
    assert tree.score == pytest.approx(3_343.75)
    assert tree.direct == pytest.approx(1_895.2)
    [grid] = tree.children
    assert (grid.activity, grid.amount, grid.unit) == ("grid", 13_500.0, "kWh")
    assert grid.score == pytest.approx(1_448.55)
    assert grid.below_cutoff == pytest.approx(0.0)


def test_it_unrolls_a_loop_in_the_tree_until_the_cutoff() -> None:
    tree = footprint(build_system(coal_power_loop()), {"electricity": 1}).tree

    # electricity (1.04) ← coal 0.4 kg (0.14) ← electricity 0.02 kWh (0.0208, 2 % ≥ 1 %)
    # ← coal 0.008 kg (0.0028, below 1 % of 1.04): folded into below_cutoff.
    assert tree.score == pytest.approx(1.04)
    [coal] = tree.children
    assert coal.amount == pytest.approx(0.4)
    assert coal.score == pytest.approx(0.14)
    assert coal.direct == pytest.approx(0.4 * 0.298)
    [electricity] = coal.children
    assert electricity.amount == pytest.approx(0.02)
    assert electricity.children == ()
    assert electricity.below_cutoff == pytest.approx(0.008 * 0.35)
    assert assert_tree_adds_up(tree) == 3


def test_it_roots_a_multi_product_demand_at_the_functional_unit() -> None:
    result = footprint(build_system(coal_power_loop()), {"electricity": 1, "coal": 2})

    assert result.tree.activity == "functional unit"
    assert result.tree.score == pytest.approx(1.04 + 0.7)
    assert [child.activity for child in result.tree.children] == ["power plant", "mine"]
    assert_tree_adds_up(result.tree)


@pytest.mark.parametrize("seed", range(6))
def test_it_keeps_the_tree_adding_up_on_random_systems(seed: int) -> None:
    system = random_matrices(seed, 25, substitution=seed % 2 == 0)

    demand = {"a0": 1.0, "a3": 2.0} if seed % 3 else {"a1": 1.0}

    result = footprint(system, demand, tree_cutoff=0.001, tree_max_nodes=60)

    assert result.tree.score == pytest.approx(result.total, rel=1e-9)
    # The budget stops the descent; every root is still shown (plus the functional-unit node
    # when there are several).
    extra = len(demand) + 1 if len(demand) > 1 else 0
    assert 1 < assert_tree_adds_up(result.tree) <= 60 + extra


# --- Provenance -----------------------------------------------------------------------------


def test_it_reports_the_primary_data_share() -> None:
    processes, datasets = aluminium_chain(primary=True)

    result = footprint(build_system(processes, datasets), {"aluminium": 1})

    # Only the smelter's own 1 895.2 of 3 343.75 kg CO2e is primary data.
    assert result.primary_data_share == pytest.approx(1_895.2 / 3_343.75)


def test_it_has_no_primary_data_share_for_a_zero_total() -> None:
    sink = Process("sink", (Output("nothing", 1, "kg"),), emissions=(Emission("CO2", 0.0),))

    assert footprint(build_system([sink]), {"nothing": 1}).primary_data_share is None


def test_it_lists_the_factor_versions_used() -> None:
    processes, datasets = aluminium_chain()
    unused = FactorDataset("old grid", "kWh", (Emission("CO2", 0.9),), version="1999")

    result = footprint(build_system(processes, [*datasets, unused]), {"aluminium": 1})

    assert dict(result.factor_versions) == {"grid": "2023"}


def test_it_records_the_demand_and_the_engine_version() -> None:
    import yuntan

    result = footprint(build_system(*aluminium_chain()), {"aluminium": 1})

    assert dict(result.demand) == {"aluminium": 1}
    assert result.engine_version == yuntan.__version__
    assert len(result.system_fingerprint) == 64


def test_it_returns_only_the_supplied_activities_in_supply() -> None:
    processes, datasets = aluminium_chain()
    idle = Process("idle", (Output("spare", 1, "kg"),), emissions=(Emission("CO2", 1),))

    result = footprint(build_system([*processes, idle], datasets), {"aluminium": 1})

    assert dict(result.supply) == pytest.approx({"smelter": 1.0, "grid": 13_500.0})
    assert "idle" not in result.by_process


def test_it_solves_with_the_dense_supply() -> None:
    system = random_matrices(7, 15)
    f = np.zeros(system.size)
    f[4] = 3.0

    result = footprint(system, {"a4": 3.0})

    expected = np.linalg.solve(system.technosphere.toarray(), f)
    got = np.array([result.supply.get(a.id, 0.0) for a in system.activities])
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
