"""Monte Carlo: seeded, reproducible, and equal to an independent solve of each sample."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse.linalg as spla
from lca_helpers import aluminium_chain, grid_factor

from benchmarks.synthetic import generate
from yuntan.gwp import get_gwp_set
from yuntan.lca import (
    Distribution,
    Emission,
    Input,
    MatrixSystem,
    Output,
    Pedigree,
    Process,
    build_system,
    footprint,
    monte_carlo,
    prepare,
)
from yuntan.lca.system import (
    LOGNORMAL,
    NO_DISTRIBUTION,
    NORMAL,
    TRIANGULAR,
    UNIFORM,
    UncertainEntries,
)
from yuntan.lca.uncertainty import PERCENTILES, sample_entries


def uncertain_smelter() -> MatrixSystem:
    """The aluminium chain with lognormal emissions only (GSD 1.2 on each)."""
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh"),),
        emissions=(Emission("CO2", 1_600, uncertainty=Distribution.lognormal(1.2)),),
    )
    grid = grid_factor()
    grid = dataclasses.replace(grid, emissions=(
        Emission("CO2", 0.1073, uncertainty=Distribution.lognormal(1.2)),))
    return build_system([smelter], [grid])


def dense_replay(system: MatrixSystem, column: int, iterations: int, seed: int) -> np.ndarray:
    """Draw the same samples as monte_carlo (per iteration: A entries, then B entries, from
    one generator) and solve each sampled system densely."""
    rng = np.random.default_rng(seed)
    base_a, base_b = system.technosphere.toarray(), system.biosphere.toarray()
    c = system.characterisation(get_gwp_set("AR6"))
    f = np.zeros(system.size)
    f[column] = 1.0
    inside = upstream_of(base_a, f)
    tech, bio = system.technosphere_uncertainty, system.biosphere_uncertainty
    tech = _subset(tech, inside[tech.rows] & inside[tech.cols])
    bio = _subset(bio, inside[bio.cols])
    out = np.empty(iterations)
    for k in range(iterations):
        a, b = base_a.copy(), base_b.copy()
        if len(tech):
            np.add.at(a, (tech.rows, tech.cols), sample_entries(tech, rng) - tech.amount)
        if len(bio):
            np.add.at(b, (bio.rows, bio.cols), sample_entries(bio, rng) - bio.amount)
        out[k] = c @ (b @ np.linalg.solve(a, f))
    return out



def upstream_of(technosphere: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Activities reachable upstream of the demand (the only ones monte_carlo samples):
    supplier i of a reached consumer j (A[i, j] != 0) is reached, until nothing changes."""
    supplies = (technosphere != 0).astype(int)
    reached = f != 0
    while True:
        wider = reached | (supplies @ reached > 0)
        if (wider == reached).all():
            return reached
        reached = wider


def _subset(entries: UncertainEntries, keep: np.ndarray) -> UncertainEntries:
    return UncertainEntries(
        rows=entries.rows[keep], cols=entries.cols[keep], amount=entries.amount[keep],
        kind=entries.kind[keep], spread=entries.spread[keep], minimum=entries.minimum[keep],
        maximum=entries.maximum[keep])


def synthetic(seed: int, n: int = 200) -> MatrixSystem:
    return generate(n=n, seed=seed).system(uncertain=True)


# --- Seeds, moments, provenance -------------------------------------------------------------


def test_it_repeats_identical_samples_with_the_same_seed() -> None:
    system = synthetic(1)

    first = monte_carlo(system, {"a0": 1.0}, iterations=20, seed=42)
    again = monte_carlo(system, {"a0": 1.0}, iterations=20, seed=42)
    other = monte_carlo(system, {"a0": 1.0}, iterations=20, seed=43)

    assert first.samples == again.samples
    assert first.seed == 42
    assert first.samples != other.samples


def test_it_reports_ordered_percentiles_and_the_sample_moments() -> None:
    result = monte_carlo(synthetic(2), {"a0": 1.0}, iterations=200, seed=3)
    samples = np.array(result.samples)

    values = [result.percentiles[p] for p in PERCENTILES]
    assert values == sorted(values)
    assert values == pytest.approx(list(np.percentile(samples, PERCENTILES)))
    assert result.mean == pytest.approx(samples.mean())
    assert result.std == pytest.approx(samples.std(ddof=1))
    assert result.std > 0
    assert result.iterations == len(result.samples) == 200


def test_it_reports_the_deterministic_value_gwp_set_and_solver() -> None:
    system = synthetic(3)
    prepared = prepare(system, "AR5", "superlu")

    result = monte_carlo(prepared, {"a2": 1.0}, iterations=5)

    assert (result.gwp_set, result.solver) == ("AR5", "superlu")
    assert result.deterministic == pytest.approx(
        footprint(system, {"a2": 1.0}, gwp_set="AR5").total, rel=1e-12)


# --- Technosphere uncertainty ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_solves_each_sampled_technosphere_exactly(seed: int) -> None:
    system = synthetic(seed)

    result = monte_carlo(system, {"a0": 1.0}, iterations=25, seed=seed)

    assert result.method == "preconditioned GMRES"
    assert result.refactorisations == 0
    assert len(system.technosphere_uncertainty) > 0
    assert np.array(result.samples) == pytest.approx(dense_replay(system, 0, 25, seed),
                                                     rel=1e-8)


def test_it_refactorises_when_gmres_does_not_converge(monkeypatch: pytest.MonkeyPatch) -> None:
    system = synthetic(4, n=120)
    expected = dense_replay(system, 3, 6, 5)

    def never_converges(matrix, rhs, **kwargs):  # type: ignore[no-untyped-def]
        return kwargs["x0"], 1

    monkeypatch.setattr(spla, "gmres", never_converges)
    result = monte_carlo(system, {"a3": 1.0}, iterations=6, seed=5)

    assert result.refactorisations == 6
    assert np.array(result.samples) == pytest.approx(expected, rel=1e-9)


def test_it_samples_technosphere_uncertainty_from_pedigree_alone() -> None:
    smelter = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh", pedigree=Pedigree(3, 3, 3, 3, 3)),),
    )
    system = build_system([smelter], [grid_factor()])

    result = monte_carlo(system, {"aluminium": 1}, iterations=30, seed=2)

    assert result.method == "preconditioned GMRES"
    assert np.array(result.samples) == pytest.approx(dense_replay(system, 0, 30, 2), rel=1e-9)
    assert len(set(result.samples)) == 30


# --- Biosphere-only uncertainty -------------------------------------------------------------


def test_it_centres_lognormal_samples_on_the_deterministic_value() -> None:
    system = uncertain_smelter()

    result = monte_carlo(system, {"aluminium": 1}, iterations=2_000, seed=1)

    deterministic = footprint(system, {"aluminium": 1}).total  # 1 600 + 1 448.55
    assert result.method == "biosphere only"
    assert result.deterministic == pytest.approx(deterministic) == pytest.approx(3_048.55)
    assert result.percentiles[50.0] == pytest.approx(deterministic, rel=0.03)
    assert result.refactorisations == 0


def test_it_repeats_biosphere_only_samples_with_the_same_seed() -> None:
    system = uncertain_smelter()

    first = monte_carlo(system, {"aluminium": 1}, iterations=40, seed=9)
    again = monte_carlo(system, {"aluminium": 1}, iterations=40, seed=9)
    other = monte_carlo(system, {"aluminium": 1}, iterations=40, seed=10)

    assert first.samples == again.samples != other.samples
    assert np.array(first.samples) == pytest.approx(dense_replay(system, 0, 40, 9), rel=1e-12)


def test_it_returns_the_deterministic_value_when_nothing_is_uncertain() -> None:
    system = build_system(*aluminium_chain())

    result = monte_carlo(system, {"aluminium": 1}, iterations=5)

    assert result.samples == pytest.approx((3_343.75,) * 5)


def test_it_centres_synthetic_samples_near_the_deterministic_value() -> None:
    # Both A and B uncertain (GSD 1.05-1.5 on every exchange): the median moves a little
    # above the deterministic value (sums and products of lognormals): about 6 % here.
    system = synthetic(6)

    result = monte_carlo(system, {"a0": 1.0}, iterations=300, seed=0)

    assert result.deterministic < result.percentiles[50.0] < 1.1 * result.deterministic


# --- Sampling each distribution -------------------------------------------------------------


def entries(kind: int, amount: float, spread: float = 0.0, low: float = 0.0,
            high: float = 0.0, count: int = 20_000) -> UncertainEntries:
    return UncertainEntries(
        rows=np.zeros(count, dtype=np.int64), cols=np.zeros(count, dtype=np.int64),
        amount=np.full(count, amount), kind=np.full(count, kind, dtype=np.int8),
        spread=np.full(count, spread), minimum=np.full(count, low), maximum=np.full(count, high),
    )


def test_it_samples_lognormal_around_the_median() -> None:
    values = sample_entries(entries(LOGNORMAL, -5.0, spread=np.log(1.5)),
                            np.random.default_rng(0))

    assert (values < 0).all()  # the sign of an input is kept
    assert np.median(values) == pytest.approx(-5.0, rel=0.02)
    assert np.log(-values).std() == pytest.approx(np.log(1.5), rel=0.03)


def test_it_samples_normal_with_its_sd() -> None:
    values = sample_entries(entries(NORMAL, 10.0, spread=2.0), np.random.default_rng(0))

    assert values.mean() == pytest.approx(10.0, abs=0.05)
    assert values.std() == pytest.approx(2.0, rel=0.03)


def test_it_samples_uniform_between_its_bounds() -> None:
    values = sample_entries(entries(UNIFORM, 3.0, low=2.0, high=6.0), np.random.default_rng(0))

    assert values.min() >= 2.0 and values.max() <= 6.0
    assert values.mean() == pytest.approx(4.0, abs=0.05)


def test_it_samples_triangular_with_the_amount_as_mode() -> None:
    values = sample_entries(entries(TRIANGULAR, 3.0, low=2.0, high=6.0),
                            np.random.default_rng(0))

    assert values.min() >= 2.0 and values.max() <= 6.0
    assert values.mean() == pytest.approx((2.0 + 3.0 + 6.0) / 3, abs=0.05)
    # P(X < mode) = (c − a) / (b − a) = 1/4
    assert (values < 3.0).mean() == pytest.approx(0.25, abs=0.01)


def test_it_returns_a_degenerate_triangular_as_its_amount() -> None:
    values = sample_entries(entries(TRIANGULAR, 3.0, low=3.0, high=3.0, count=10),
                            np.random.default_rng(0))

    assert (values == 3.0).all()


def test_it_leaves_entries_without_distribution_unchanged() -> None:
    values = sample_entries(entries(NO_DISTRIBUTION, 7.0, count=5), np.random.default_rng(0))

    assert (values == 7.0).all()


def test_it_samples_only_the_supply_chain_of_the_demand() -> None:
    system = synthetic(5, n=300)
    f = np.zeros(system.size)
    f[0] = 1.0
    upstream = upstream_of(system.technosphere.toarray(), f)

    result = monte_carlo(system, {"a0": 1.0}, iterations=3)

    assert result.activities_sampled == int(upstream.sum())
    assert result.activities_sampled < system.size


def test_it_is_not_affected_by_uncertain_activities_outside_the_supply_chain() -> None:
    chain = build_system([
        Process("power", (Output("electricity", 1, "kWh"),),
                emissions=(Emission("CO2", 0.5, uncertainty=Distribution.lognormal(1.2)),)),
        Process("smelter", (Output("aluminium", 1, "t"),),
                inputs=(Input("electricity", 13_000, "kWh",
                              uncertainty=Distribution.lognormal(1.1)),)),
    ])
    unrelated = Process("dairy", (Output("milk", 1, "kg"),),
                        emissions=(Emission("CH4", 0.02, origin="biogenic",
                                            uncertainty=Distribution.lognormal(1.5)),))
    wider = build_system([unrelated, *[
        Process("power", (Output("electricity", 1, "kWh"),),
                emissions=(Emission("CO2", 0.5, uncertainty=Distribution.lognormal(1.2)),)),
        Process("smelter", (Output("aluminium", 1, "t"),),
                inputs=(Input("electricity", 13_000, "kWh",
                              uncertainty=Distribution.lognormal(1.1)),)),
    ]])

    alone = monte_carlo(chain, {"aluminium": 1}, iterations=50, seed=9)
    beside = monte_carlo(wider, {"aluminium": 1}, iterations=50, seed=9)

    assert beside.samples == pytest.approx(alone.samples, rel=1e-12)
    assert beside.activities_sampled == 2
