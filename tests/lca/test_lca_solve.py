"""Sparse solvers: the block-triangular SuperLU default, plain SuperLU, and their failures."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
from hypothesis import given
from hypothesis import strategies as st
from lca_helpers import PROPERTY_SETTINGS, random_matrices

from benchmarks.synthetic import generate
from yuntan.lca import solve
from yuntan.lca.errors import SingularTechnosphere, YuntanLcaError
from yuntan.lca.solve import block_triangular_order, factorize


def assert_block_lower_triangular(matrix: sp.csc_matrix, order: np.ndarray) -> None:
    """In P A Pᵀ every entry linking two different loops (strong components) lies below the
    diagonal: suppliers come after their consumers."""
    _, component = csgraph.connected_components(matrix, directed=True, connection="strong")
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    coo = matrix.tocoo()
    across = component[coo.row] != component[coo.col]
    assert np.all(position[coo.row[across]] > position[coo.col[across]])


@PROPERTY_SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 30),
       substitution=st.booleans(), density=st.sampled_from([0.05, 0.15, 0.4]))
def test_it_agrees_with_a_dense_solve_for_both_solvers(
    seed: int, n: int, substitution: bool, density: float
) -> None:
    matrix = random_matrices(seed, n, substitution=substitution, density=density).technosphere
    dense = matrix.toarray()
    rhs = np.random.default_rng(seed).normal(size=n)
    expected = np.linalg.solve(dense, rhs)
    expected_t = np.linalg.solve(dense.T, rhs)

    for name in ("btf-superlu", "superlu"):
        factors = factorize(matrix, name)

        assert factors.solve(rhs) == pytest.approx(expected, rel=1e-9, abs=1e-12)
        assert factors.solve_transposed(rhs) == pytest.approx(expected_t, rel=1e-9, abs=1e-12)


def test_it_names_the_default_solver_btf_superlu() -> None:
    matrix = random_matrices(1, 10).technosphere

    assert factorize(matrix).name == "btf-superlu"
    assert factorize(matrix, "auto").name == "btf-superlu"
    assert factorize(matrix, "superlu").name == "superlu"


@PROPERTY_SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 30),
       density=st.sampled_from([0.03, 0.08, 0.2]))
def test_it_orders_consumers_before_suppliers(seed: int, n: int, density: float) -> None:
    matrix = random_matrices(seed, n, density=density).technosphere

    order, count, largest = block_triangular_order(matrix)

    assert sorted(order) == list(range(n))
    assert_block_lower_triangular(matrix, order)
    components, labels = csgraph.connected_components(matrix, directed=True,
                                                      connection="strong")
    assert count == components
    assert largest == np.bincount(labels).max()


def test_it_orders_a_synthetic_economy_block_lower_triangular() -> None:
    matrix = generate(n=400, seed=5).technosphere()

    order, count, largest = block_triangular_order(matrix)

    assert_block_lower_triangular(matrix, order)
    assert 1 < count < 400
    assert largest > 1  # the hubs form a loop


def test_it_orders_by_levels_when_component_labels_are_not_topological(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two 2-loops {0, 2} and {1, 3}, both supplying activity 4.
    dense = np.eye(5)
    dense[0, 2] = dense[2, 0] = dense[1, 3] = dense[3, 1] = -0.1
    dense[0, 4] = dense[1, 4] = -1.0
    matrix = sp.csc_matrix(dense)
    real = csgraph.connected_components

    def reversed_labels(graph, directed, connection):  # type: ignore[no-untyped-def]
        count, labels = real(graph, directed=directed, connection=connection)
        return count, count - 1 - labels  # a valid labelling, but not topological

    monkeypatch.setattr(solve.csgraph, "connected_components", reversed_labels)

    order, count, largest = block_triangular_order(matrix)
    factors = factorize(matrix)

    assert order[0] == 4  # the consumer of both loops first
    assert (count, largest) == (3, 2)
    assert_block_lower_triangular(matrix, order)
    rhs = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    assert factors.solve(rhs) == pytest.approx(np.linalg.solve(dense, rhs))


def test_it_solves_a_loop_whose_natural_pivot_is_zero() -> None:
    # Strongly connected, det = 1, but eliminating in the given order meets a zero pivot
    # (1 − (−1)(−1) = 0) — possible once credits put positive entries off the diagonal.
    dense = np.array([[1.0, -1.0, 0.0], [-1.0, 1.0, -1.0], [0.0, 1.0, 1.0]])

    factors = factorize(sp.csc_matrix(dense))

    assert factors.solve(np.array([1.0, 0.0, 0.0])) == pytest.approx([2.0, 1.0, -1.0])


@pytest.mark.parametrize("dense", [
    [[1e-14, -1.0], [-1.0, 1.0]],
    [[1e-17, 1.0, 1.0], [1.0, 1.0, 2.0], [1.0, 3.0, 1.0]],
])
def test_it_falls_back_to_pivoting_when_the_diagonal_is_tiny(dense: list[list[float]]) -> None:
    matrix = np.array(dense)
    rhs = np.arange(1.0, matrix.shape[0] + 1)

    factors = factorize(sp.csc_matrix(matrix))

    assert factors.name == "superlu"
    assert factors.solve(rhs) == pytest.approx(np.linalg.solve(matrix, rhs), rel=1e-9)


@pytest.mark.parametrize("solver", ["btf-superlu", "superlu"])
def test_it_names_only_the_members_of_a_singular_loop(solver: str) -> None:
    # Activity "consumer" buys electricity; "power" needs 0.5 kg coal per kWh and "mine"
    # 2 kWh per kg: the loop has no net output. The consumer itself is fine.
    dense = np.array([
        [1.0, 0.0, 0.0],
        [-1.0, 1.0, -2.0],
        [0.0, -0.5, 1.0],
    ])

    with pytest.raises(SingularTechnosphere) as caught:
        factorize(sp.csc_matrix(dense), solver, ["consumer", "power", "mine"])

    assert sorted(caught.value.processes) == ["mine", "power"]
    assert "power" in str(caught.value) and "mine" in str(caught.value)
    assert "consumer" not in str(caught.value)


def test_it_names_a_single_process_with_no_production() -> None:
    dense = np.array([[1.0, -1.0], [0.0, 0.0]])

    with pytest.raises(SingularTechnosphere) as caught:
        factorize(sp.csc_matrix(dense), "auto", ["kept", "empty"])

    assert caught.value.processes == ("empty",)


def test_it_refuses_an_unknown_solver() -> None:
    with pytest.raises(YuntanLcaError, match=r"'magic'.*btf-superlu"):
        factorize(sp.identity(2, format="csc"), "magic")


@pytest.mark.skipif(importlib.util.find_spec("scikits") is not None,
                    reason="scikit-umfpack is installed")
def test_it_explains_how_to_get_umfpack() -> None:
    with pytest.raises(YuntanLcaError, match="scikit-umfpack"):
        factorize(sp.identity(2, format="csc"), "umfpack")


@pytest.mark.slow  # loading MKL takes about a second
def test_it_agrees_with_pardiso_when_installed() -> None:
    pytest.importorskip("pypardiso")
    matrix = random_matrices(11, 25, substitution=True).technosphere
    rhs = np.linspace(-1.0, 1.0, 25)

    factors = factorize(matrix, "pardiso")

    assert factors.name == "pardiso"
    assert factors.solve(rhs) == pytest.approx(np.linalg.solve(matrix.toarray(), rhs), rel=1e-8)
    assert factors.solve_transposed(rhs) == pytest.approx(
        np.linalg.solve(matrix.toarray().T, rhs), rel=1e-8)
