"""SVG charts: well-formed for any finite input, one mark per item shown, geometry that
matches the values, text escaped, and the real upstream tree of a computed study."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import aluminium_outcome

from yuntan.formats import charts

SVG = "{http://www.w3.org/2000/svg}"

finite = st.floats(allow_nan=False, allow_infinity=False)
labelled = st.lists(st.tuples(st.text(max_size=30), finite), max_size=25)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None
    assert root.get("role") == "img"
    return root


def marks(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == cls]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


@settings(max_examples=150, deadline=None)
@given(values=labelled, max_bars=st.integers(min_value=1, max_value=15))
def test_any_finite_values_give_well_formed_bars_one_per_item_shown(
        values: list[tuple[str, float]], max_bars: int) -> None:
    root = parse(charts.bar_chart(values, title="<过程> & co", unit="kg CO2e", max_bars=max_bars))

    bars = marks(root, "rect", "bar")
    assert len(bars) == min(len(values), max_bars)
    assert all(float(b.get("width", "nan")) >= 0 for b in bars)
    assert len(marks(root, "text", "value")) == len(bars)


@settings(max_examples=100, deadline=None)
@given(values=labelled)
def test_any_finite_values_give_well_formed_shares(values: list[tuple[str, float]]) -> None:
    positive = sum(1 for _, v in values if v > 0)
    for chart in (charts.share_bar, charts.donut):
        root = parse(chart(values, title="气体 gases", unit="kg CO2e", max_segments=6))
        assert len([e for e in root.iter() if e.get("class") == "segment"]) == min(positive, 6)


@settings(max_examples=100, deadline=None)
@given(samples=st.lists(finite, min_size=1, max_size=200),
       bins=st.integers(min_value=1, max_value=40))
def test_any_finite_samples_give_a_well_formed_histogram(samples: list[float], bins: int) -> None:
    root = parse(charts.histogram(samples, title="蒙特卡洛", unit="kg CO2e", bins=bins))

    assert len(marks(root, "rect", "bin")) == bins
    assert sum(int(b.get("data-count", "0")) for b in marks(root, "rect", "bin")) == len(samples)
    for key in ("p025", "mean", "p975"):
        assert len(marks(root, "line", f"marker marker-{key}")) == 1


def tree_nodes(max_leaves: int = 12) -> st.SearchStrategy[dict[str, Any]]:
    def node(children: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.builds(lambda name, score, direct: {
            "activity": name, "name": name, "amount": 1.0, "unit": "kg", "score": score,
            "direct": direct, "below_cutoff": 0.0, "children": children,
        }, st.text(max_size=12), finite, finite)

    leaf = node([])
    return st.recursive(leaf, lambda kids: st.lists(kids, max_size=8).flatmap(node),
                        max_leaves=max_leaves)


@settings(max_examples=100, deadline=None)
@given(tree=tree_nodes(), max_depth=st.integers(min_value=0, max_value=4))
def test_any_finite_tree_gives_a_well_formed_diagram(tree: dict[str, Any],
                                                     max_depth: int) -> None:
    root = parse(charts.tree_diagram(tree, title="上游", unit="kg CO2e", max_depth=max_depth,
                                     max_children=4))

    nodes = marks(root, "rect", "node-bar")
    assert nodes and nodes[0].get("data-depth") == "0"
    assert max(int(n.get("data-depth", "0")) for n in nodes) <= max_depth


def test_bar_length_is_proportional_to_the_value_and_negatives_end_at_zero() -> None:
    root = parse(charts.bar_chart({"a": 10.0, "b": 5.0, "credit": -2.5}, title="t", unit="kg"))
    bars = {b.get("data-value"): b for b in marks(root, "rect", "bar")}
    width = {k: float(b.get("width", "nan")) for k, b in bars.items()}
    x = {k: float(b.get("x", "nan")) for k, b in bars.items()}

    assert width["10.0"] == pytest.approx(2 * width["5.0"], abs=0.02)
    assert width["10.0"] == pytest.approx(4 * width["-2.5"], abs=0.02)
    zero = x["10.0"]
    assert x["5.0"] == zero
    assert x["-2.5"] + width["-2.5"] == pytest.approx(zero, abs=0.02)
    axis = marks(root, "line", "axis")[0]
    assert float(axis.get("x1", "nan")) == pytest.approx(zero, abs=0.01)


def test_bars_are_sorted_by_value_and_the_tail_is_folded_into_others() -> None:
    values = {f"p{i}": float(i) for i in range(1, 21)}
    root = parse(charts.bar_chart(values, title="t", unit="kg", max_bars=5, language="en"))
    bars = marks(root, "rect", "bar")
    labels = [t.text for t in marks(root, "text", "label")]

    assert [float(b.get("data-value", "nan")) for b in bars] == [20, 19, 18, 17, sum(range(1, 17))]
    assert labels == ["p20", "p19", "p18", "p17", "others (16)"]
    assert "unit: kg" in texts(root)


def test_values_and_unit_are_printed_and_text_is_escaped() -> None:
    svg = charts.bar_chart({"<script>alert(1)</script>": 1234.4, "电力 & 热": 0.042},
                           title="按过程 \"by\" process", unit="kg CO₂e/t")
    root = parse(svg)

    assert "<script>" not in svg
    assert root.find(f".//{SVG}script") is None
    assert {"1,234", "0.042", "单位: kg CO₂e/t", "电力 & 热"} <= set(texts(root))


def test_control_characters_are_replaced_not_emitted() -> None:
    root = parse(charts.bar_chart({"a\x00b\x1b": 1.0}, title="\x07", unit="kg"))
    assert "a\ufffdb\ufffd" in texts(root)


def test_shares_add_up_to_the_whole_and_negatives_are_listed_outside() -> None:
    root = parse(charts.share_bar({"生产": 75.0, "原料": 25.0, "吸收 uptake": -10.0},
                                  title="阶段", unit="kg", width=640))
    segments = marks(root, "rect", "segment")
    widths = [float(s.get("width", "nan")) for s in segments]

    assert sum(widths) == pytest.approx(640 - 16, abs=0.05)
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.05)
    note = marks(root, "text", "negatives")[0].text or ""
    assert "吸收 uptake -10.0" in note


def test_a_single_share_draws_a_whole_ring() -> None:
    root = parse(charts.donut({"CO2": 3.0}, title="t", unit="kg"))
    (segment,) = marks(root, "path", "segment")
    assert segment.get("d", "").count(" A ") == 4  # two half circles, outer and inner
    assert "100.0%" in " ".join(texts(root))


def test_histogram_marks_the_mean_and_the_95_percent_interval() -> None:
    samples = np.random.default_rng(1).normal(100.0, 10.0, 5000)
    root = parse(charts.histogram(samples, title="MC", unit="kg", language="en"))
    summary = charts.summarise_samples(samples)
    marker = {key: float(marks(root, "line", f"marker marker-{key}")[0].get("data-value", "nan"))
              for key in ("p025", "mean", "p975")}

    assert marker["mean"] == pytest.approx(float(np.mean(samples)))
    assert marker["p025"] == pytest.approx(float(np.percentile(samples, 2.5)))
    assert marker["p975"] == pytest.approx(float(np.percentile(samples, 97.5)))
    assert marker["p025"] < marker["mean"] < marker["p975"]
    assert summary.count == 5000
    assert any(t.startswith("mean ") for t in texts(root))


def test_samples_must_be_finite() -> None:
    with pytest.raises(ValueError):
        charts.histogram([1.0, math.inf], title="t", unit="kg")
    with pytest.raises(ValueError):
        charts.histogram([], title="t", unit="kg")


def test_the_tree_of_a_computed_study_is_drawn_to_scale() -> None:
    result = aluminium_outcome().outcome["results"]["location_based"]
    tree = result["tree"]
    placed = charts.place_tree(tree, max_depth=2, height=300.0)
    root = parse(charts.tree_diagram(tree, title="上游树", unit="kg CO2e/t", max_depth=2))

    assert placed[0].height == 300.0 and placed[0].label == tree["name"]
    children = [n for n in placed if n.parent == 0]
    whole = abs(tree["direct"]) + abs(tree["below_cutoff"]) + sum(
        abs(c["score"]) for c in tree["children"])
    for node in children:
        assert node.height == pytest.approx(300.0 * abs(node.score) / whole)
    assert len(marks(root, "rect", "node-bar")) == len(placed)
    assert tree["name"] in texts(root)


def test_wide_trees_fold_their_smallest_children() -> None:
    leaves = [{"name": f"n{i}", "score": float(i), "direct": float(i), "below_cutoff": 0.0,
               "children": []} for i in range(1, 11)]
    tree = {"name": "root", "score": 55.0, "direct": 0.0, "below_cutoff": 0.0,
            "children": leaves}
    placed = charts.place_tree(tree, max_children=4, language="en")

    assert [n.label for n in placed[1:]] == ["n10", "n9", "n8", "others (7)"]
    assert placed[-1].others and placed[-1].score == pytest.approx(28.0)
