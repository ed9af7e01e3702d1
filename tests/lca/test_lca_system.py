"""MatrixSystem: the matrices, what each index means, and a fingerprint of it all."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from lca_helpers import aluminium_chain

from yuntan.gwp import Origin, get_gwp_set
from yuntan.lca import MatrixSystem, build_system
from yuntan.lca.errors import InvalidDemand, YuntanLcaError
from yuntan.lca.system import FlowKey


def two_by_two(**kwargs: object) -> MatrixSystem:
    return MatrixSystem.from_matrices(
        sp.csc_matrix(np.array([[1.0, -0.5], [0.0, 2.0]])),
        sp.csc_matrix(np.array([[1.0, 3.0], [0.0, 0.1]])),
        ["a", "b"],
        [("CO2", "fossil"), ("CH4", Origin.BIOGENIC)],
        **kwargs,  # type: ignore[arg-type]
    )


def test_it_wraps_ready_matrices_with_defaults() -> None:
    system = two_by_two()

    assert system.size == 2
    assert [a.id for a in system.activities] == ["a", "b"]
    assert [a.product for a in system.activities] == ["a", "b"]
    assert [a.stage for a in system.activities] == [None, None]
    assert system.flows == (FlowKey("CO2", Origin.FOSSIL), FlowKey("CH4", Origin.BIOGENIC))
    assert np.isnan(system.pedigree).all() and system.pedigree.shape == (2, 5)
    assert len(system.technosphere_uncertainty) == 0
    assert system.cut_off == ()


def test_it_finds_an_activity_by_id_or_by_product() -> None:
    system = two_by_two(products=["steel", "coke"], stages=["production", None],
                        primary=[True, False])

    assert system.activity_index("b") == 1
    assert system.activity_index("coke") == 1
    assert system.activities[0].stage == "production"
    assert system.activities[0].primary is True


def test_it_refuses_an_unknown_activity_naming_it() -> None:
    with pytest.raises(InvalidDemand, match="'zinc'"):
        two_by_two().activity_index("zinc")


def test_it_characterises_each_flow_by_gas_and_origin() -> None:
    system = two_by_two()

    assert list(system.characterisation(get_gwp_set("AR6"))) == [1.0, 27.0]
    assert list(system.characterisation(get_gwp_set("AR5"))) == [1.0, 28.0]


def test_it_refuses_a_biosphere_of_the_wrong_shape() -> None:
    with pytest.raises(YuntanLcaError, match="3 flows and 2 activities"):
        MatrixSystem.from_matrices(sp.identity(2), sp.csc_matrix((2, 2)), ["a", "b"],
                                   [("CO2", "fossil")] * 3)


def test_it_fingerprints_the_same_data_identically() -> None:
    assert build_system(*aluminium_chain()).fingerprint() == (
        build_system(*aluminium_chain()).fingerprint())


def test_it_fingerprints_the_matrix_not_its_storage_order() -> None:
    rows, cols, values = [0, 1, 1, 1], [0, 1, 0, 0], [1.0, 1.0, -0.25, -0.25]
    one = sp.coo_matrix((values, (rows, cols)), shape=(2, 2))
    other = sp.coo_matrix((values[::-1], (rows[::-1], cols[::-1])), shape=(2, 2))
    bio = sp.csc_matrix(np.ones((1, 2)))

    first = MatrixSystem.from_matrices(one, bio, ["a", "b"], [("CO2", "fossil")])
    second = MatrixSystem.from_matrices(other, bio, ["a", "b"], [("CO2", "fossil")])

    assert first.fingerprint() == second.fingerprint()


@pytest.mark.parametrize("change", ["value", "activity id", "stage", "flow origin"])
def test_it_changes_the_fingerprint_with_anything_that_changes_a_result(change: str) -> None:
    base = two_by_two()
    changed = {
        "value": lambda: MatrixSystem.from_matrices(
            sp.csc_matrix(np.array([[1.0, -0.6], [0.0, 2.0]])), base.biosphere, ["a", "b"],
            [("CO2", "fossil"), ("CH4", "biogenic")]),
        "activity id": lambda: MatrixSystem.from_matrices(
            base.technosphere, base.biosphere, ["a", "c"],
            [("CO2", "fossil"), ("CH4", "biogenic")]),
        "stage": lambda: two_by_two(stages=["use", None]),
        "flow origin": lambda: MatrixSystem.from_matrices(
            base.technosphere, base.biosphere, ["a", "b"],
            [("CO2", "fossil"), ("CH4", "fossil")]),
    }[change]()

    assert changed.fingerprint() != base.fingerprint()

