"""The medium-independent data collection form: units offered, requirements, entry checks."""

from __future__ import annotations

import pytest

from tests.rules.rules_fixtures import COMPLETE
from yuntan.formats.collection import (
    EVIDENCE_LABELS,
    KIND_LABELS,
    UNIT_CHOICES,
    Column,
    EntryProblem,
    Requirement,
    accepted_units,
    check_entries,
    collection_stages,
    parse_entry,
    placeholder_labels,
    requirement,
)
from yuntan.rules import (
    Dimension,
    Evidence,
    FieldKind,
    RulePack,
    Severity,
    get_pack,
    shipped_packs,
)
from yuntan.rules.schema import DIMENSION_UNITS
from yuntan.units import conversion_factor


@pytest.mark.parametrize("dimension", list(UNIT_CHOICES))
def test_every_offered_unit_is_of_its_dimension(dimension: Dimension) -> None:
    for unit in UNIT_CHOICES[dimension]:
        conversion_factor(unit, DIMENSION_UNITS[dimension])


def test_every_evidence_and_kind_has_both_labels() -> None:
    assert set(EVIDENCE_LABELS) == set(Evidence)
    assert set(KIND_LABELS) == set(FieldKind)


def test_a_field_is_offered_its_own_unit_first_and_the_others_of_its_kind() -> None:
    coffee = get_pack("coffee")
    assert accepted_units(coffee.field("cherry_input")) == ("kg", "t", "g", "吨", "千克", "公斤")
    electricity = accepted_units(coffee.field("processing_electricity"))
    assert electricity[0] == "kWh" and "万千瓦时" in electricity and "度" in electricity


def test_a_composite_unit_is_offered_alone() -> None:
    aluminium = get_pack("electrolytic-aluminium")
    assert accepted_units(aluminium.field("anode_effect_minutes")) == ("minute/day",)
    assert accepted_units(aluminium.field("anode_carbon_content")) == (
        "dimensionless", "percent")


@pytest.mark.parametrize(
    ("variant", "field_id", "expected"),
    [
        ("green", "roasted_coffee_output", Requirement.REQUIRED_IF_PROCESS),
        ("roasted", "roasted_coffee_output", Requirement.REQUIRED),
        ("roasted", "roasting_electricity", Requirement.REQUIRED),
        ("green", "green_coffee_output", Requirement.REQUIRED),
        ("green", "urea", Requirement.OPTIONAL),
        ("green", "ef1_synthetic_n", Requirement.DEFAULTED),
    ],
)
def test_the_requirement_follows_the_variant(variant: str, field_id: str,
                                             expected: Requirement) -> None:
    coffee = get_pack("coffee")
    assert requirement(coffee, coffee.field(field_id), variant) is expected


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.id)
def test_the_stages_hold_every_field_once_in_pack_order(pack: RulePack) -> None:
    stages = collection_stages(pack)
    listed = [f.spec.id for s in stages for f in s.fields]
    assert sorted(listed) == sorted(f.id for f in pack.fields)
    assert [s.stage.id for s in stages] == [s.id for s in pack.stages
                                            if any(f.stage == s.id for f in pack.fields)]


def test_an_unknown_variant_is_refused() -> None:
    with pytest.raises(KeyError):
        collection_stages(get_pack("coffee"), "decaf")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (None, "kg", None),
        ("  ", "kg", None),
        (12, "kg", (12.0, "kg")),
        ("12.5", " t ", (12.5, "t")),
        (0, "吨", (0.0, "吨")),
    ],
)
def test_an_entry_parses_to_amount_and_unit(value: object, unit: object,
                                             expected: object) -> None:
    assert parse_entry(get_pack("coffee").field("urea"), value, unit) == expected


@pytest.mark.parametrize(
    ("value", "unit", "rule", "column"),
    [
        ("twelve", "kg", "not-a-number", Column.VALUE),
        ("nan", "kg", "not-a-number", Column.VALUE),
        (float("inf"), "kg", "not-a-number", Column.VALUE),
        (True, "kg", "not-a-number", Column.VALUE),
        (-1, "kg", "negative-amount", Column.VALUE),
        (5, "", "unit-missing", Column.UNIT),
        (5, None, "unit-missing", Column.UNIT),
        (5, "furlongz", "unit-unknown", Column.UNIT),
        (5, "kWh", "unit-dimension", Column.UNIT),
    ],
)
def test_a_bad_entry_names_the_rule_and_column(value: object, unit: object, rule: str,
                                               column: Column) -> None:
    problem = parse_entry(get_pack("coffee").field("urea"), value, unit)
    assert isinstance(problem, EntryProblem)
    assert (problem.field, problem.rule, problem.column) == ("urea", rule, column)
    assert problem.message_zh and problem.message_en


def test_checking_collects_every_problem_and_returns_nothing_partial() -> None:
    coffee = get_pack("coffee")
    entries: dict[str, tuple[object, object]] = {
        **{k: v for k, v in COMPLETE["coffee"].items() if k != "cherry_input"},
        "urea": ("lots", "kg"), "farm_diesel": (3, "kWh"), "nonsense": (1, "kg"),
    }
    checked = check_entries(coffee, entries)

    assert checked.activity_data == {} and checked.findings == ()
    assert {(p.field, p.rule) for p in checked.problems} == {
        ("urea", "not-a-number"), ("farm_diesel", "unit-dimension"),
        ("nonsense", "unknown-field"), ("cherry_input", "required-missing")}


def test_a_field_with_a_bad_entry_is_not_also_reported_missing() -> None:
    coffee = get_pack("coffee")
    checked = check_entries(coffee, {**COMPLETE["coffee"], "cherry_input": ("?", "kg")})
    assert [(p.field, p.rule) for p in checked.problems] == [("cherry_input", "not-a-number")]


def test_out_of_range_values_are_warnings_with_the_data() -> None:
    coffee = get_pack("coffee")
    data = {**COMPLETE["coffee"], "cherry_input": (600, "t")}  # ten times the usual
    checked = check_entries(coffee, data)

    assert checked.problems == () and checked.activity_data == data
    assert [(f.field, f.rule, f.severity) for f in checked.findings] == [
        ("cherry_input", "plausible-range", Severity.WARNING)]


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.id)
def test_every_placeholder_has_a_label_in_both_languages(pack: RulePack) -> None:
    labels = placeholder_labels(pack)
    assert tuple(label.code for label in labels) == pack.placeholders
    assert all(label.label_zh and label.label_en for label in labels)
