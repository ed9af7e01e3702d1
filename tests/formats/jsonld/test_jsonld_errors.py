"""A bad package changes nothing and raises one error listing every problem, each naming the
file, the record (@type, @id, name) and the field."""

from __future__ import annotations

import contextlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonld_fixtures import Package, chain_package, uid, unit_ref

from yuntan.errors import YuntanLcaError
from yuntan.formats.jsonld import (
    InvalidJsonLdPackage,
    JsonLdError,
    UnknownImpactCategory,
    read_jsonld,
    to_matrix_system,
)

Ids = dict[str, str]


def _exchange(p: Package, ids: Ids, process: str, i: int) -> dict[str, Any]:
    exchanges: list[dict[str, Any]] = p.get("processes", ids[process])["exchanges"]
    return exchanges[i]


def _unknown_flow(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "mill", 1)["flow"] = {"@id": "nowhere", "name": "coke"}


def _unknown_unit(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "mill", 0)["unit"] = {"@id": "uid-furlong", "name": "furlong"}


def _unit_of_another_group(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "maker", 1)["unit"] = unit_ref("kWh")


def _string_amount(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "mill", 2)["amount"] = "1.8"


def _missing_amount(p: Package, ids: Ids) -> None:
    del _exchange(p, ids, "mill", 2)["amount"]


def _missing_exchanges(p: Package, ids: Ids) -> None:
    del p.get("processes", ids["plant"])["exchanges"]


def _no_reference(p: Package, ids: Ids) -> None:
    # Two product outputs and neither marked: no way to tell the reference (with one, it is
    # taken; see test_jsonld_real_exports.py).
    first = _exchange(p, ids, "plant", 0)
    del first["isQuantitativeReference"]
    p.get("processes", ids["plant"])["exchanges"].append({**first, "internalId": 99})


def _input_as_reference(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "plant", 0)["isInput"] = True


def _flag_as_text(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "mill", 1)["isInput"] = "true"


def _property_not_of_the_flow(p: Package, ids: Ids) -> None:
    exchange = _exchange(p, ids, "maker", 1)
    exchange["flowProperty"] = {"@id": "f6811440-ee37-11de-8a39-0800200c9a66",
                                "name": "Energy"}
    exchange["unit"] = unit_ref("MJ")


def _flow_without_reference_property(p: Package, ids: Ids) -> None:
    del p.get("flows", ids["steel"])["flowProperties"][0]["isRefFlowProperty"]


def _flow_type_unknown(p: Package, ids: Ids) -> None:
    p.get("flows", ids["steel"])["flowType"] = "GOOD_FLOW"


def _group_without_reference_unit(p: Package, ids: Ids) -> None:
    for unit in p.get("unit_groups", "93a60a57-a3c8-11da-a746-0800200c9a66")["units"]:
        unit.pop("isRefUnit", None)


def _property_without_group(p: Package, ids: Ids) -> None:
    p.get("flow_properties", "93a60a56-a3c8-11da-a746-0800200b9a66")["unitGroup"] = {
        "@id": "gone"}


def _factor_of_unknown_flow(p: Package, ids: Ids) -> None:
    p.get("lcia_categories", ids["gwp"])["impactFactors"][0]["flow"] = {"@id": "nowhere"}


def _method_with_unknown_category(p: Package, ids: Ids) -> None:
    p.get("lcia_methods", ids["method"])["impactCategories"].append({"@id": "nowhere"})


def _zero_reference(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "plant", 0)["amount"] = 0


def _nan_amount(p: Package, ids: Ids) -> None:
    _exchange(p, ids, "plant", 1)["amount"] = float("nan")


CASES: list[tuple[str, Callable[[Package, Ids], None], str, str, str, str]] = [
    # (case, mutation, file folder, record name, field, words of the message)
    ("unknown flow", _unknown_flow, "processes", "steel mill", "exchanges[1].flow",
     "unknown flow 'coke'"),
    ("unknown unit", _unknown_unit, "processes", "steel mill", "exchanges[0].unit",
     "no unit group of the package has it"),
    ("unit of another group", _unit_of_another_group, "processes", "part maker",
     "exchanges[1].unit", "it belongs to 'Units of energy'"),
    ("string amount", _string_amount, "processes", "steel mill", "exchanges[2].amount",
     "expected a finite number"),
    ("missing amount", _missing_amount, "processes", "steel mill", "exchanges[2].amount",
     "required field is missing"),
    ("missing exchanges", _missing_exchanges, "processes", "power plant", "exchanges",
     "required field is missing"),
    ("no reference", _no_reference, "processes", "power plant", "exchanges",
     "quantitative reference"),
    ("input as reference", _input_as_reference, "processes", "power plant", "exchanges[0]",
     "product output or a waste input"),
    ("flag as text", _flag_as_text, "processes", "steel mill", "exchanges[1].isInput",
     "true or false"),
    ("property not of the flow", _property_not_of_the_flow, "processes", "part maker",
     "exchanges[1].flowProperty", "has no flow property 'Energy'"),
    ("flow without reference property", _flow_without_reference_property, "flows", "steel",
     "flowProperties", "exactly one flow property must be the reference"),
    ("unknown flow type", _flow_type_unknown, "flows", "steel", "flowType", "'GOOD_FLOW'"),
    ("group without reference unit", _group_without_reference_unit, "unit_groups",
     "Units of energy", "units", "exactly one unit must be the reference unit"),
    ("property without group", _property_without_group, "flow_properties", "Mass",
     "unitGroup", "unknown unit group 'gone'"),
    ("factor of unknown flow", _factor_of_unknown_flow, "lcia_categories", "GWP100",
     "impactFactors[0].flow", "unknown flow"),
    ("method with unknown category", _method_with_unknown_category, "lcia_methods",
     "Test GWP method", "impactCategories[1]", "unknown impact category"),
    ("zero reference amount", _zero_reference, "processes", "power plant",
     "exchanges[0].amount", "greater than zero"),
    ("NaN amount", _nan_amount, "processes", "power plant", "exchanges[1].amount",
     "finite number"),
]


@pytest.mark.parametrize("case,mutate,folder,name,field,words", CASES,
                         ids=[c[0] for c in CASES])
def test_every_bad_record_is_named_with_its_field(
    tmp_path: Path, case: str, mutate: Callable[[Package, Ids], None], folder: str,
    name: str, field: str, words: str,
) -> None:
    package, ids = chain_package()
    mutate(package, ids)
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package.write(tmp_path / "bad.zip"))

    problem = caught.value.problems[0]
    assert problem.path.startswith(f"{folder}/") and problem.name == name
    assert problem.field == field and words in problem.message
    assert problem.uid and problem.uid in problem.path
    assert f"field {field!r}" in str(caught.value) and name in str(caught.value)


@pytest.mark.parametrize("version", [1, 2])
def test_the_same_checks_apply_to_1x_packages(tmp_path: Path, version: int) -> None:
    package, ids = chain_package()
    _unknown_unit(package, ids)
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package.write(tmp_path / "bad.zip", version))
    assert caught.value.problems[0].field == "exchanges[0].unit"


def test_it_lists_every_problem_at_once(tmp_path: Path) -> None:
    package, ids = chain_package()
    for mutate in (_unknown_flow, _unknown_unit, _missing_exchanges, _factor_of_unknown_flow):
        mutate(package, ids)
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package.write(tmp_path / "bad.zip"))
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["exchanges", "exchanges[0].unit", "exchanges[1].flow",
                      "impactFactors[0].flow"]
    assert "4 problems" in str(caught.value) and "nothing was imported" in str(caught.value)


def test_a_broken_flow_is_reported_once_not_in_every_process(tmp_path: Path) -> None:
    package, ids = chain_package()
    _flow_type_unknown(package, ids)  # steel is used by the mill and the part maker
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package.write(tmp_path / "bad.zip"))
    assert len(caught.value.problems) == 1


def _write_raw(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "raw.zip"
    package, _ = chain_package()
    package.write(path)
    with zipfile.ZipFile(path, "a") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize("files,path,field,words", [
    ({"processes/x.json": "{not json"}, "processes/x.json", "", "is not valid JSON"),
    ({"processes/x.json": "[1, 2]"}, "processes/x.json", "", "expected a JSON object"),
    ({"processes/x.json": '{"name": "no id"}'}, "processes/x.json", "@id",
     "required field is missing"),
    ({"processes/x.json": '{"@type": "Flow", "@id": "x"}'}, "processes/x.json", "@type",
     "must be a Process"),
    ({"flows/copy.json": json.dumps({"@type": "Flow", "@id": uid("flow", "steel"),
                                     "flowType": "PRODUCT_FLOW"})}, "flows/copy.json", "@id",
     "the same @id is also used by"),
    ({"processes/x.json": b"\xff\xfe{}".decode("latin-1")}, "processes/x.json", "",
     "is not valid JSON"),
])
def test_unreadable_files_are_named(tmp_path: Path, files: dict[str, str], path: str,
                                    field: str, words: str) -> None:
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(_write_raw(tmp_path, files))
    problem = caught.value.problems[0]
    assert (problem.path, problem.field) == (path, field) and words in problem.message


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.zip"
    path.write_text("this is a PDF, honestly")
    with pytest.raises(InvalidJsonLdPackage, match="not a zip file or directory") as caught:
        read_jsonld(path)
    assert caught.value.problems[0].path == str(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidJsonLdPackage, match="does not exist"):
        read_jsonld(tmp_path / "nowhere.zip")


def test_a_zip_without_openlca_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("docs/readme.json", "{}")
    with pytest.raises(InvalidJsonLdPackage, match="no openLCA JSON-LD data"):
        read_jsonld(path)


def test_the_errors_belong_to_the_project_family() -> None:
    assert issubclass(InvalidJsonLdPackage, JsonLdError)
    assert issubclass(JsonLdError, YuntanLcaError)


def test_a_causal_factor_for_no_exchange_is_named(tmp_path: Path) -> None:
    package, ids = chain_package()
    process = package.get("processes", ids["mill"])
    process["defaultAllocationMethod"] = "CAUSAL_ALLOCATION"
    process["allocationFactors"] = [{
        "allocationType": "CAUSAL_ALLOCATION", "product": {"@id": ids["steel"]}, "value": 1.0,
        "exchange": {"internalId": [99]}}]
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package.write(tmp_path / "bad.zip"))
    problem = caught.value.problems[0]
    assert (problem.name, problem.field) == ("steel mill", "allocationFactors[0].exchange")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


CORRUPT = st.sampled_from([None, "", "x", -1, 0, 1.5, True, [], {}, [1], {"@id": 3},
                           {"@id": "nowhere"}, float("inf")])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_corrupted_field_is_imported_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
) -> None:
    package, _ = chain_package()
    folder = data.draw(st.sampled_from(sorted(package.records)))
    record = package.records[folder][data.draw(st.sampled_from(sorted(package.records[folder])))]
    path = data.draw(st.sampled_from(_paths(record)))
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = data.draw(CORRUPT)
    version = data.draw(st.sampled_from([1, 2]))
    try:
        imported = read_jsonld(package.write(tmp_path_factory.mktemp("bad") / "bad.zip",
                                             version))
    except InvalidJsonLdPackage as exc:
        assert exc.problems and all(p.path for p in exc.problems)
        return
    # What was accepted builds matrices (a renamed method is simply not found).
    to_matrix_system(imported)
    with contextlib.suppress(UnknownImpactCategory):
        to_matrix_system(imported, method="Test GWP method")
