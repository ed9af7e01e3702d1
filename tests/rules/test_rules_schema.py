"""The schema rejects bad packs, naming the pack, the place and the rule broken."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from yuntan.rules import InvalidRulePack, loads_pack, validate_pack


def minimal() -> dict[str, Any]:
    """A small valid pack: one process making 'widget' from grid electricity."""
    return {
        "id": "widget", "version": "0.1.0", "name_zh": "小部件", "name_en": "Widget",
        "product_category": {"name_zh": "小部件", "name_en": "Widget"},
        "declared_unit": {"amount": 1, "unit": "kg"},
        "system_boundary": "cradle_to_gate",
        "variants": [{"id": "widget", "name_zh": "小部件", "name_en": "Widget",
                      "reference_field": "widget_output"}],
        "stages": [{"id": "production", "name_zh": "生产", "name_en": "Production"}],
        "processes": [{"id": "making", "stage": "production", "name_zh": "制造",
                       "name_en": "Making", "range_basis": {"amount": 1, "unit": "kg"}}],
        "fields": [
            {"id": "widget_output", "name_zh": "产量", "name_en": "Output",
             "stage": "production", "process": "making", "kind": "output", "unit": "kg",
             "dimension": "mass", "product": "widget"},
            {"id": "electricity", "name_zh": "用电", "name_en": "Electricity",
             "stage": "production", "process": "making", "kind": "input", "unit": "kWh",
             "dimension": "energy", "factor_dataset": "electricity-grid-average-CN-YN",
             "evidence": ["meter_reading"],
             "range": {"max": {"value": 10, "source": "engineering range, to be confirmed",
                               "placeholder": True}}},
            {"id": "carbon", "name_zh": "碳", "name_en": "Carbon", "stage": "production",
             "process": "making", "kind": "parameter", "unit": "kg", "dimension": "mass"},
        ],
        "formulas": [{"id": "co2", "process": "making", "gas": "CO2", "unit": "kg",
                      "expression": "carbon * 44 / 12", "name_zh": "碳", "name_en": "C",
                      "derivation": "C to CO2, 44/12", "standard": "mass balance"}],
        "electricity_headline_method": "location_based",
        "grading": {"placeholder": True},
        "standards": [{"code": "GB/T 24067-2024", "role": "general"}],
    }


def test_the_minimal_pack_is_valid() -> None:
    pack = validate_pack(minimal())
    assert pack.field("electricity").range is not None
    assert pack.placeholders == ("field 'electricity' range max", "grading benchmark")


def _field(doc: dict[str, Any], field_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in doc["fields"] if f["id"] == field_id)
    return found


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any
         ) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        path(doc)[key] = value
    return change


def _electricity(doc: dict[str, Any]) -> dict[str, Any]:
    return _field(doc, "electricity")


def _formula(doc: dict[str, Any]) -> dict[str, Any]:
    formula: dict[str, Any] = doc["formulas"][0]
    return formula


def _root(doc: dict[str, Any]) -> dict[str, Any]:
    return doc


def _drop_output(doc: dict[str, Any]) -> None:
    doc["fields"] = [f for f in doc["fields"] if f["id"] != "widget_output"]
    doc["variants"][0]["reference_field"] = "electricity"


def _duplicate_field(doc: dict[str, Any]) -> None:
    doc["fields"].append(copy.deepcopy(_field(doc, "electricity")))


BAD = [
    # (change, where, rule)
    (_set(_electricity, "unit", "kg"), "field 'electricity'", "unit-dimension"),
    (_set(_electricity, "unit", "bananas"), "field 'electricity'", "unit-unknown"),
    (_set(_electricity, "process", "smelting"), "field 'electricity'", "unknown-process"),
    (_set(_electricity, "stage", "use"), "field 'electricity'", "unknown-stage"),
    (_set(_electricity, "factor_dataset", None), "field 'electricity'", "input-source"),
    (_set(_electricity, "from_process", "making"), "field 'electricity'", "input-source"),
    (_set(_electricity, "range", {"min": {"value": 5, "source": "x"},
                                  "max": {"value": 1, "source": "y"}}),
     "field 'electricity'", "range-order"),
    (_set(_electricity, "range", {"min": {"value": 5}}), "field 'electricity'", "missing"),
    (_set(_electricity, "evidence", ["a_photo"]), "field 'electricity'", "enum"),
    (_set(_electricity, "colour", "red"), "field 'electricity'", "extra_forbidden"),
    (_set(_electricity, "default", 3.0), "field 'electricity'", "default"),
    (_set(_electricity, "kind", "emission"), "field 'electricity'", "unknown-gas"),
    (_set(_formula, "expression", "carbon.real * 2"), "formula 'co2'", "formula-syntax"),
    (_set(_formula, "expression", "__import__('os')"), "formula 'co2'", "formula-syntax"),
    (_set(_formula, "expression", "coal * 2"), "formula 'co2'", "formula-name"),
    (_set(_formula, "expression", "electricity * 2"), "formula 'co2'", "formula-dimension"),
    (_set(_formula, "gas", "CO3"), "formula 'co2'", "unknown-gas"),
    (_set(_root, "version", "1.0"), "version", "semver"),
    (_set(_root, "system_boundary", "gate_to_gate"), "system_boundary", "enum"),
    (_set(_root, "declared_unit", {"amount": 1, "unit": "t"}), "variant 'widget'",
     "declared-unit"),
    (_set(_root, "declared_unit", {"amount": 1, "unit": "kWh"}), "variant 'widget'",
     "declared-unit"),
    (_set(_root, "grading", {"placeholder": False}), "grading", "placeholder-flag"),
    (_set(_root, "grading", {"placeholder": True, "levels": [
        {"id": "a", "name_zh": "一级", "name_en": "A", "upper_bound_kg_co2e_per_declared_unit": 5,
         "placeholder": True}]}), "grading level 'a'", "placeholder-flag"),
    (_set(_root, "cut_off", [{"id": "mass", "basis": "mass", "scope": "per_flow",
                              "standard": "x", "placeholder": False}]),
     "cut-off 'mass'", "placeholder-flag"),
    (_drop_output, "process 'making'", "one-output-per-process"),
    (_duplicate_field, "field 'electricity'", "unique-id"),
]


@pytest.mark.parametrize("change,where,rule", BAD)
def test_it_rejects_a_bad_pack_naming_pack_place_and_rule(
    change: Callable[[dict[str, Any]], None], where: str, rule: str
) -> None:
    document = minimal()
    change(document)

    with pytest.raises(InvalidRulePack) as caught:
        validate_pack(document)

    problems = caught.value.problems
    assert any(p.rule == rule and where in p.where for p in problems), problems
    assert all("'widget'" in p.pack for p in problems)
    assert f"rule pack 'widget' {document['version']}, {where}" in str(caught.value)


def test_it_reports_every_problem_at_once() -> None:
    document = minimal()
    _electricity(document)["unit"] = "kg"
    _formula(document)["gas"] = "CO3"

    with pytest.raises(InvalidRulePack) as caught:
        validate_pack(document)

    assert {p.rule for p in caught.value.problems} == {"unit-dimension", "unknown-gas"}


def test_it_names_the_file_of_a_toml_syntax_error() -> None:
    with pytest.raises(InvalidRulePack, match=r"'broken.toml', file: \[toml-syntax\]"):
        loads_pack("id = ", "broken.toml")


def test_a_validated_pack_is_frozen() -> None:
    pack = validate_pack(minimal())
    with pytest.raises(ValueError, match="frozen"):
        pack.id = "other"  # type: ignore[misc]
