"""The engine refuses or warns instead of returning a number silently: negative production
through ``from_matrices``, a loop that consumes more than it makes, a nearly singular
technosphere, negative activity levels."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from yuntan.lca import MatrixSystem, footprint, prepare
from yuntan.lca.calculate import CONDITION_LIMIT, condition_estimate
from yuntan.lca.errors import NonPositiveReferenceProduction, UnproductiveLoop
from yuntan.lca.solve import factorize

CO2 = [("CO2", "fossil")]


def _system(dense: list[list[float]], emissions: list[float]) -> MatrixSystem:
    n = len(dense)
    return MatrixSystem.from_matrices(sp.csc_matrix(np.array(dense)),
                                      sp.csc_matrix(np.array([emissions])),
                                      [f"a{j}" for j in range(n)], CO2)


def test_from_matrices_refuses_negative_production() -> None:
    with pytest.raises(NonPositiveReferenceProduction, match=r"'a1' \(-0\.5\)"):
        _system([[1.0, 0.0], [-1.0, -0.5]], [1.0, 1.0])


def test_from_matrices_refuses_zero_production() -> None:
    with pytest.raises(NonPositiveReferenceProduction, match="'a0'"):
        _system([[0.0, 0.0], [-1.0, 1.0]], [1.0, 1.0])


def test_a_loop_that_consumes_more_than_it_makes_is_refused() -> None:
    # a0 needs 0.6 of a1, a1 needs 2 of a0: the loop uses 1.2 of each unit it makes. The
    # matrix is regular and solving gives a supply of −5/−10 and a total of −15 kg CO2e.
    system = _system([[1.0, -2.0], [-0.6, 1.0]], [1.0, 1.0])
    with pytest.raises(UnproductiveLoop) as caught:
        footprint(system, {"a0": 1})
    assert caught.value.processes == ("a0", "a1")


def test_a_productive_loop_is_solved_without_warnings() -> None:
    system = _system([[1.0, -0.5], [-0.5, 1.0]], [1.0, 0.0])
    result = footprint(system, {"a0": 1})
    assert np.isclose(result.total, 4 / 3)
    assert result.warnings == ()
    assert 1 <= prepare(system).condition < 10


def test_a_nearly_singular_loop_is_solved_with_a_warning() -> None:
    # det = 1 − 0.5 · (2 − 1e-13) = 5e-14: solvable, but barely.
    system = _system([[1.0, -(2.0 - 1e-13)], [-0.5, 1.0]], [1.0, 1.0])
    prepared = prepare(system)
    assert prepared.condition > CONDITION_LIMIT
    result = footprint(prepared, {"a0": 1})
    assert len(result.warnings) == 1 and "nearly singular" in result.warnings[0]


def test_negative_levels_from_credits_are_computed_with_a_warning() -> None:
    # a0 makes its product and avoids 0.5 of a1's (a credit): a1 runs at −0.5.
    system = _system([[1.0, 0.0], [0.5, 1.0]], [1.0, 2.0])
    result = footprint(system, {"a0": 1})
    assert np.isclose(result.total, 0.0)
    assert len(result.warnings) == 1 and "a1 (-0.5)" in result.warnings[0]


@pytest.mark.parametrize("n", [3, 40, 200])
def test_the_condition_estimate_matches_the_exact_one_norm_condition_of_a_loop(n: int) -> None:
    # One loop through every activity (a cycle plus random extra inputs).
    rng = np.random.default_rng(n)
    dense = np.diag(rng.uniform(1, 1000, n)) - rng.uniform(0, 0.5 / n, (n, n)) \
        * (rng.random((n, n)) < 0.2)
    np.fill_diagonal(dense, np.abs(np.diag(dense)) + 1.0)
    dense -= 0.3 * np.eye(n, k=1) + 0.3 * np.eye(n, k=-(n - 1))
    scaled = dense / np.diag(dense)
    exact = np.linalg.norm(scaled, 1) * np.linalg.norm(np.linalg.inv(scaled), 1)
    matrix = sp.csc_matrix(dense)
    for factors in (None, factorize(matrix)):
        estimate = condition_estimate(matrix, factors)
        assert exact / 3 <= estimate <= exact * (1 + 1e-9)


def test_a_system_without_loops_has_condition_one() -> None:
    dense = np.eye(4) - 6000.0 * np.eye(4, k=-1)
    assert condition_estimate(sp.csc_matrix(dense)) == 1.0


def test_a_long_chain_of_large_amounts_is_no_loop() -> None:
    # 6 t per kg, five times over: supplies span 15 orders of magnitude, all positive.
    n = 6
    dense = np.eye(n) - 6000.0 * np.eye(n, k=-1)
    result = footprint(_system(dense.tolist(), [1.0] * n), {"a0": 1})
    assert result.total > 6000.0 ** 5 and result.warnings == ()
