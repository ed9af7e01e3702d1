"""Version detection and the openLCA 1.x → 2.x conversion (the misread-input-flag bug)."""

from __future__ import annotations

from typing import Any

import olca_schema as olca
import pytest

from yuntan.formats.jsonld.versions import (
    category_paths,
    detect_version,
    package_version,
    upgrade_v1,
)

V1_PROCESS: dict[str, Any] = {
    "@context": "http://greendelta.github.io/olca-schema/context.jsonld",
    "@type": "Process", "@id": "p", "name": "steel mill",
    "category": {"@type": "Category", "@id": "c2"},
    "infrastructureProcess": False,
    "exchanges": [
        {"input": False, "quantitativeReference": True, "amount": 1.0, "flow": {"@id": "f1"}},
        {"input": True, "amount": 2.0, "flow": {"@id": "f2"}},
        {"input": False, "avoidedProduct": True, "amount": 0.5, "flow": {"@id": "f3"}},
    ],
}


@pytest.mark.parametrize("markers,expected", [
    ({"openlca.json": {"schemaVersion": 2}}, 2),
    ({"olca-schema.json": {"version": 2}}, 2),
    ({"openlca.json": {"schemaVersion": 3}, "olca-schema.json": {"version": 2}}, 3),
    ({}, 1),  # openLCA: no marker means version 1
    ({"openlca.json": {"schemaVersion": "2"}}, 1),
    ({"openlca.json": None}, 1),
])
def test_it_reads_the_package_marker(markers: dict[str, Any], expected: int) -> None:
    assert package_version(markers)[0] == expected


def test_olca_schema_alone_misreads_a_1x_exchange_as_an_output() -> None:
    """The bug this module exists for: olca-schema 2 silently drops the 1.x flags."""
    raw = olca.Process.from_dict(V1_PROCESS)
    assert [e.is_input for e in raw.exchanges] == [None, None, None]
    assert [e.is_quantitative_reference for e in raw.exchanges] == [None, None, None]

    upgraded, renames = upgrade_v1("processes", V1_PROCESS, {"c2": "Metals/Steel"})
    process = olca.Process.from_dict(upgraded)

    assert [e.is_input for e in process.exchanges] == [False, True, False]
    assert process.exchanges[0].is_quantitative_reference is True
    assert process.exchanges[2].is_avoided_product is True
    assert process.category == "Metals/Steel"
    assert "@context" not in upgraded
    assert "exchanges[1].input→isInput" in renames


def test_the_conversion_leaves_the_input_untouched() -> None:
    upgrade_v1("processes", V1_PROCESS, {})
    assert "input" in V1_PROCESS["exchanges"][1]


@pytest.mark.parametrize("folder,data,package,expected", [
    ("processes", V1_PROCESS, 2, 1),  # 1.x names win over a version-2 marker
    ("processes", {"exchanges": [{"isInput": True}]}, 1, 2),
    ("flows", {"flowProperties": [{"referenceFlowProperty": True}]}, 2, 1),
    ("unit_groups", {"units": [{"isRefUnit": True}]}, 1, 2),
    ("lcia_categories", {"referenceUnitName": "kg CO2 eq"}, 2, 1),
    ("flows", {"name": "no flags"}, 1, 1),  # nothing to tell: the package decides
    ("flows", {"name": "no flags"}, 2, 2),
    ("flows", {"category": {"@id": "c"}}, 2, 1),
])
def test_it_detects_the_version_of_each_file(folder: str, data: dict[str, Any], package: int,
                                             expected: int) -> None:
    assert detect_version(folder, data, package) == expected


@pytest.mark.parametrize("folder,data,field,value", [
    ("unit_groups", {"units": [{"referenceUnit": True}]}, ("units", 0, "isRefUnit"), True),
    ("flows", {"flowProperties": [{"referenceFlowProperty": True}]},
     ("flowProperties", 0, "isRefFlowProperty"), True),
    ("lcia_categories", {"referenceUnitName": "kg CO2 eq"}, ("refUnit",), "kg CO2 eq"),
    ("currencies", {"referenceCurrency": {"@id": "eur"}}, ("refCurrency",), {"@id": "eur"}),
])
def test_it_renames_the_fields_of_the_change_table(folder: str, data: dict[str, Any],
                                                  field: tuple[Any, ...], value: Any) -> None:
    upgraded, _ = upgrade_v1(folder, data, {})
    found: Any = upgraded
    for step in field:
        found = found[step]
    assert found == value


def test_it_refuses_a_file_with_both_names_disagreeing() -> None:
    data = {"exchanges": [{"input": True, "isInput": False}]}
    with pytest.raises(ValueError, match=r"exchanges\[0\].input and exchanges\[0\].isInput"):
        upgrade_v1("processes", data, {})


def test_category_paths_follow_the_parents() -> None:
    paths = category_paths({
        "a": {"name": "Metals"},
        "b": {"name": "Steel", "category": {"@id": "a"}},
        "c": {"name": "Loop", "category": {"@id": "c"}},  # a broken file must not hang
    })
    assert paths == {"a": "Metals", "b": "Metals/Steel", "c": "Loop"}


def test_a_category_reference_without_the_folder_uses_its_own_path() -> None:
    data = {"category": {"@id": "x", "name": "Steel", "categoryPath": ["Metals"]}}
    upgraded, _ = upgrade_v1("processes", data, {})
    assert upgraded["category"] == "Metals/Steel"
