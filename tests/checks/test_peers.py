"""The previous study and the peers (modified z-score), without revealing any peer."""

from __future__ import annotations

import json

import pytest
from checks_fixtures import ALUMINIUM, aluminium, rules_of
from hypothesis import given
from hypothesis import strategies as st

from yuntan.checks import (
    Metric,
    check_peers,
    check_previous,
    field_intensity,
    modified_z,
)

ENERGY = Metric("electricity_grid", "电解用电", "electrolysis electricity", "kWh/1 t")
PEERS = [13100.0, 13350.0, 13500.0, 13620.0, 13800.0, 13990.0]


def test_field_intensity_is_per_range_basis() -> None:
    metric, value = field_intensity(aluminium(), ALUMINIUM, "electricity_grid") or (None, 0)
    assert value == pytest.approx(13500) and metric is not None
    assert metric.unit == "kWh/1 t"


def test_it_computes_iglewicz_and_hoaglin_modified_z() -> None:
    # median 3, MAD 1: M = 0.6745 × (10 − 3) / 1
    assert modified_z(10, [1, 2, 3, 4, 5]) == pytest.approx(0.6745 * 7)
    assert modified_z(4, [3, 3, 3, 3, 3]) is None


def test_a_small_change_from_the_previous_study_raises_nothing() -> None:
    assert check_previous(ENERGY, 13500, 13000) == []
    assert check_previous(ENERGY, 13500, None) == []


@pytest.mark.parametrize("previous,severity", [(10500, "medium"), (7000, "high")])
def test_it_flags_a_large_change_from_the_previous_study(previous: float,
                                                         severity: str) -> None:
    found = check_previous(ENERGY, 13500, previous)
    assert rules_of(found) == [("previous-change", severity)]


def test_a_value_among_the_peers_raises_nothing() -> None:
    assert check_peers(ENERGY, 13700, PEERS) == []


def test_an_outlier_is_flagged_without_revealing_any_peer() -> None:
    found = check_peers(ENERGY, 9000, PEERS)
    assert rules_of(found) == [("peers-outlier", "medium")]
    stored = json.dumps(found[0].to_dict(), ensure_ascii=False)
    for peer in PEERS:
        assert f"{peer:g}" not in stored and f"{peer:.4g}" not in stored
    assert sorted(found[0].numbers) == [
        "lower_bound", "modified_z", "peer_count", "upper_bound", "value"]
    assert found[0].numbers["lower_bound"] < 13560 < found[0].numbers["upper_bound"]


def test_fewer_than_five_peers_are_not_compared() -> None:
    found = check_peers(ENERGY, 1.0, PEERS[:4])
    assert rules_of(found) == [("peers-too-few", "low")]
    assert dict(found[0].numbers) == {}


@given(st.lists(st.floats(1, 1e6, allow_nan=False), min_size=5, max_size=30),
       st.floats(1, 1e6, allow_nan=False))
def test_peer_findings_carry_only_bounds_and_do_not_depend_on_order(peers: list[float],
                                                                    value: float) -> None:
    found = check_peers(ENERGY, value, peers)
    assert found == check_peers(ENERGY, value, list(reversed(peers)))
    for finding in found:
        assert set(finding.numbers) <= {"value", "modified_z", "lower_bound", "upper_bound",
                                        "peer_count"}
