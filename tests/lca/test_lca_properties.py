"""Properties of the engine on random systems (hypothesis draws seeds and sizes; numpy builds
the systems): linear in the demand, contributions add up, and the numbers do not depend on
the order of the processes or the units products are expressed in."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lca_helpers import PROPERTY_SETTINGS, random_matrices, random_processes

from benchmarks.synthetic import generate
from yuntan.lca import Process, TreeNode, all_scores, build_system, footprint, prepare, scores

seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(2, 30)
amounts = st.floats(0.01, 100.0, allow_nan=False)


def tree_adds_up(node: TreeNode) -> bool:
    """score == direct + Σ children + below_cutoff at every node."""
    here = node.direct + sum(child.score for child in node.children) + node.below_cutoff
    close = np.isclose(node.score, here, rtol=1e-9, atol=1e-9 * (1 + abs(node.score)))
    return bool(close) and all(tree_adds_up(child) for child in node.children)


# --- Linearity ------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes, k=amounts, substitution=st.booleans())
def test_it_scales_the_footprint_with_the_demand(
    seed: int, n: int, k: float, substitution: bool
) -> None:
    system = random_matrices(seed, n, substitution=substitution)
    target = f"p{seed % n}"

    one = footprint(system, {target: 1.0})
    scaled = footprint(system, {target: k})

    assert scaled.total == pytest.approx(k * one.total, rel=1e-9, abs=1e-12)
    for gas, value in one.by_gas.items():
        assert scaled.by_gas[gas] == pytest.approx(k * value, rel=1e-9, abs=1e-9)
    for stage, value in one.by_stage.items():
        assert scaled.by_stage[stage] == pytest.approx(k * value, rel=1e-9, abs=1e-9)


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes, a=amounts, b=amounts, substitution=st.booleans())
def test_it_adds_the_footprints_of_added_demands(
    seed: int, n: int, a: float, b: float, substitution: bool
) -> None:
    system = random_matrices(seed, n, substitution=substitution)
    first, second = "p0", f"p{n - 1}"
    prepared = prepare(system)

    together = footprint(prepared, {first: a, second: b})
    apart = scores(prepared, [{first: a}, {second: b}])

    assert together.total == pytest.approx(apart.sum(), rel=1e-9, abs=1e-9)
    only_first = footprint(prepared, {first: a}).inventory_kg
    only_second = footprint(prepared, {second: b}).inventory_kg
    for key, kg in together.inventory_kg.items():
        assert kg == pytest.approx(only_first[key] + only_second[key], rel=1e-9, abs=1e-9)


@PROPERTY_SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(100, 300))
def test_it_gives_all_scores_equal_to_each_footprint(seed: int, n: int) -> None:
    system = generate(n=n, seed=seed, inputs_per_activity=6).system(uncertain=False)
    prepared = prepare(system)
    picks = sorted({seed % n, (seed * 7 + 3) % n, n - 1})

    every = all_scores(prepared)

    for j in picks:
        assert every[j] == pytest.approx(footprint(prepared, {f"a{j}": 1.0}).total, rel=1e-9)


# --- Contributions add up -------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes, k=amounts)
def test_it_adds_every_contribution_up_to_the_total(seed: int, n: int, k: float) -> None:
    processes, datasets = random_processes(seed, n)
    system = build_system(processes, datasets)
    demand = {f"x{seed % n}": k, "power": k / 3} if seed % 2 else {f"x{seed % n}": k}

    result = footprint(system, demand)

    for name in ("by_stage", "by_process", "by_input", "by_gas", "by_origin",
                 "by_gas_and_origin"):
        parts = getattr(result, name)
        assert sum(parts.values()) == pytest.approx(result.total, rel=1e-9), name
    split = result.biogenic_split
    assert split.fossil + split.biogenic + split.biogenic_uptake + split.land_use_change == (
        pytest.approx(result.total, rel=1e-9))
    assert result.tree.score == pytest.approx(result.total, rel=1e-9)
    assert tree_adds_up(result.tree)
    if result.data_quality.coverage:
        assert 0 < result.data_quality.coverage <= 1


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes)
def test_it_adds_matrix_contributions_up_with_credits_and_negative_demand(
    seed: int, n: int
) -> None:
    system = random_matrices(seed, n, substitution=True)

    result = footprint(system, {"p0": 2.0, f"p{n - 1}": -1.0})

    for name in ("by_stage", "by_process", "by_input", "by_gas", "by_origin"):
        assert sum(getattr(result, name).values()) == pytest.approx(
            result.total, rel=1e-9, abs=1e-9 * max(1.0, abs(result.total))), name
    assert tree_adds_up(result.tree)


# --- Invariances ----------------------------------------------------------------------------


def scores_by_product(processes: list[Process], datasets: list) -> dict[str, float]:  # type: ignore[type-arg]
    system = build_system(processes, datasets)
    every = all_scores(prepare(system))
    return {a.product: float(every[j]) for j, a in enumerate(system.activities)}


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes, order_seed=seeds)
def test_it_does_not_depend_on_the_order_of_the_processes(
    seed: int, n: int, order_seed: int
) -> None:
    processes, datasets = random_processes(seed, n)
    shuffled = list(np.random.default_rng(order_seed).permutation(len(processes)))

    before = scores_by_product(processes, datasets)
    after = scores_by_product([processes[i] for i in shuffled], datasets[::-1])

    assert after.keys() == before.keys()
    for product, value in before.items():
        assert after[product] == pytest.approx(value, rel=1e-9), product


def in_grams(processes: list[Process], product: str, consumers_too: bool) -> list[Process]:
    """Express ``product`` in g instead of kg in its reference output (and, if
    ``consumers_too``, in every input of it)."""
    changed = []
    for process in processes:
        outputs = tuple(
            dataclasses.replace(o, amount=o.amount * 1_000, unit="g") if o.product == product
            else o for o in process.outputs)
        inputs = tuple(
            dataclasses.replace(i, amount=i.amount * 1_000, unit="g")
            if i.product == product and consumers_too else i for i in process.inputs)
        changed.append(dataclasses.replace(process, outputs=outputs, inputs=inputs))
    return changed


@PROPERTY_SETTINGS
@given(seed=seeds, n=sizes, pick=st.integers(0, 29), consumers_too=st.booleans())
def test_it_does_not_depend_on_the_unit_a_product_is_expressed_in(
    seed: int, n: int, pick: int, consumers_too: bool
) -> None:
    processes, datasets = random_processes(seed, n)
    product = f"x{pick % n}"

    before = scores_by_product(processes, datasets)
    after = scores_by_product(in_grams(processes, product, consumers_too), datasets)

    for name, value in before.items():
        per_unit = value / 1_000 if name == product else value  # per g instead of per kg
        assert after[name] == pytest.approx(per_unit, rel=1e-9), name
