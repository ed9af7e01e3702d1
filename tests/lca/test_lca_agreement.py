"""Reference cases: the engine agrees with an independent dense solve and with bw2calc 3.x
(Brightway) on the same matrices, to 1e-9 relative."""

from __future__ import annotations

import numpy as np
import pytest
from lca_helpers import aluminium_chain, dense_scores, grid_factor, random_matrices

from benchmarks.synthetic import generate
from yuntan.gwp import get_gwp_set
from yuntan.lca import (
    Emission,
    MatrixSystem,
    Output,
    Process,
    all_scores,
    build_system,
    footprint,
    prepare,
)

pytest.importorskip("bw2calc")
from bw2calc_reference import bw2calc_score, bw2calc_supply

RTOL = 1e-9


def synthetic(n: int, seed: int) -> MatrixSystem:
    return generate(n=n, seed=seed).system(uncertain=False)


def picks(n: int, seed: int) -> list[int]:
    """A few activities: a final good, a raw material, a hub, one at random."""
    return sorted({0, n // 2, n - 1, int(np.random.default_rng(seed).integers(n))})


# --- Dense --------------------------------------------------------------------------------


@pytest.mark.parametrize("n,seed", [(200, 1), (200, 2), (350, 3), (500, 4)])
def test_it_agrees_with_a_dense_solve_on_synthetic_systems(n: int, seed: int) -> None:
    system = synthetic(n, seed)
    prepared = prepare(system)
    dense_a = system.technosphere.toarray()
    intensity = system.characterisation(get_gwp_set("AR6")) @ system.biosphere.toarray()

    every = all_scores(prepared)

    assert every == pytest.approx(np.linalg.solve(dense_a.T, intensity), rel=RTOL)
    for j in picks(n, seed):
        f = np.zeros(n)
        f[j] = 1.0
        assert footprint(prepared, {f"a{j}": 1.0}).total == pytest.approx(
            dense_scores(system, f), rel=RTOL)


@pytest.mark.parametrize("seed", range(4))
def test_it_agrees_with_a_dense_solve_under_every_gwp_set(seed: int) -> None:
    system = random_matrices(seed, 30, substitution=True)
    f = np.linspace(0.0, 1.0, 30)
    demand = {f"a{j}": float(f[j]) for j in range(1, 30)}

    for gwp_set in ("AR4", "AR5", "AR6"):
        assert footprint(system, demand, gwp_set=gwp_set).total == pytest.approx(
            dense_scores(system, f, gwp_set), rel=RTOL)


# --- bw2calc ------------------------------------------------------------------------------


@pytest.mark.parametrize("n,seed", [(200, 11), (500, 12), (1_000, 13)])
def test_it_agrees_with_bw2calc_on_synthetic_systems(n: int, seed: int) -> None:
    system = synthetic(n, seed)
    prepared = prepare(system)

    j = picks(n, seed)[1]  # one bw2calc run per case: each costs about 0.3 s of set-up

    ours = footprint(prepared, {f"a{j}": 1.0}).total

    assert ours == pytest.approx(bw2calc_score(system, {j: 1.0}), rel=RTOL)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [21, 22])
def test_it_agrees_with_bw2calc_on_a_two_thousand_process_system(seed: int) -> None:
    system = synthetic(2_000, seed)

    ours = footprint(system, {"a7": 1.0})

    assert ours.total == pytest.approx(bw2calc_score(system, {7: 1.0}), rel=RTOL)
    supply = np.array([ours.supply.get(f"a{j}", 0.0) for j in range(2_000)])
    reference = bw2calc_supply(system, {7: 1.0})
    assert supply == pytest.approx(reference, rel=RTOL, abs=1e-12 * np.abs(reference).max())


@pytest.mark.parametrize("seed,gwp_set", [(0, "AR6"), (1, "AR5"), (2, "AR4")])
def test_it_agrees_with_bw2calc_with_credits_and_removals(seed: int, gwp_set: str) -> None:
    system = random_matrices(seed, 25, substitution=True)

    ours = footprint(system, {"a0": 1.0}, gwp_set=gwp_set).total

    assert ours == pytest.approx(bw2calc_score(system, {0: 1.0}, gwp_set), rel=RTOL)


def test_it_agrees_with_bw2calc_on_the_aluminium_chain() -> None:
    system = build_system(*aluminium_chain())

    assert bw2calc_score(system, {0: 1.0}) == pytest.approx(3_343.75, rel=RTOL)
    assert bw2calc_supply(system, {0: 1.0}) == pytest.approx([1.0, 13_500.0])


def test_it_agrees_with_bw2calc_on_substitution_and_biogenic_uptake() -> None:
    mill = Process(
        "mill",
        (Output("sugar", 1, "t"), Output("power", 0.3, "MWh", substitutes="grid")),
        emissions=(Emission("CO2", 100), Emission("CO2", 400, origin="biogenic_uptake"),
                   Emission("CH4", 0.5, origin="biogenic")),
        allocation="substitution",
    )
    system = build_system([mill], [grid_factor(0.5)])

    ours = footprint(system, {"sugar": 1}).total

    # 100 − 400 + 0.5 × 27.0 − 300 × 0.5 = −436.5
    assert ours == pytest.approx(-436.5)
    assert bw2calc_score(system, {0: 1.0}) == pytest.approx(ours, rel=RTOL)
