"""Real openLCA 1.x exports (``real/``, see its README) import, with what was let through
noted: allocation factors of no method, a process without a marked quantitative reference."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yuntan.formats.jsonld import InvalidJsonLdPackage, read_jsonld, to_matrix_system
from yuntan.gwp import Origin
from yuntan.lca import footprint

REAL = Path(__file__).resolve().parent / "real"
FPL = REAL / "US-FPL"
CATTLE = REAL / "beef-cattle-finishing"
BRIQUETTES = "3bd066e8-2af1-36c0-8289-4c297f2cfa21"  # no default allocation method
TORREFIED = "81e3e71d-0616-32a8-89ce-216aacc03ff5"  # causal, factors of all three types
ALFALFA = "bb4f02fd-2277-400d-92ef-0b712aef4baf"  # no exchange marked as reference
FINISHING = "1b97b691-7c00-4150-9e97-df2020bfd203"


def test_the_forest_products_export_imports_and_notes_the_factors_it_ignores() -> None:
    imported = read_jsonld(FPL)
    assert (imported.package_version, len(imported.processes), len(imported.flows)) == (1, 4, 23)
    assert imported.converted_files == 35
    torrefied = imported.processes[TORREFIED]
    assert torrefied.allocation is not None and torrefied.allocation.value == "CAUSAL_ALLOCATION"
    assert any("10 allocation factors in 2 processes apply to no allocation method" in note
               for note in imported.notes), imported.notes


def test_the_cattle_export_imports_with_its_unmarked_reference_taken() -> None:
    imported = read_jsonld(CATTLE)
    assert (len(imported.processes), len(imported.flows)) == (8, 48)
    alfalfa = imported.processes[ALFALFA]
    assert imported.flows[alfalfa.reference_exchange.flow].name.startswith("alfalfa hay")
    assert any("1 processes mark no exchange as the quantitative reference" in note
               for note in imported.notes), imported.notes


def test_the_cattle_exports_greenhouse_gases_are_recognised() -> None:
    matrices = to_matrix_system(read_jsonld(CATTLE))
    assert {(f.gas, f.origin) for f in matrices.system.flows} == {
        ("CO2", Origin.FOSSIL), ("CH4", Origin.BIOGENIC), ("N2O", Origin.FOSSIL)}
    result = footprint(matrices.system, matrices.demand_of(FINISHING))
    assert result.by_origin[Origin.BIOGENIC] > 0.5 * result.total > 0  # enteric methane
    assert "Ammonia" in matrices.uncharacterised


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "US-FPL"
    shutil.copytree(FPL, target)
    return target


def _edit_process(package: Path, uid: str, **fields: object) -> None:
    path = package / "processes" / f"{uid}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(fields)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_factors_naming_no_product_do_not_block_a_process_without_a_method(
        tmp_path: Path) -> None:
    # What openLCA 1.x wrote by the thousand: factors without a product, in processes with
    # no default allocation method, where no method uses them.
    package = _copy(tmp_path)
    _edit_process(package, BRIQUETTES, allocationFactors=[
        {"@type": "AllocationFactor", "allocationType": kind, "value": 1.0}
        for kind in ("PHYSICAL_ALLOCATION", "ECONOMIC_ALLOCATION", "CAUSAL_ALLOCATION")])
    imported = read_jsonld(package)
    assert imported.processes[BRIQUETTES].allocation is None
    assert any("13 allocation factors in 3 processes" in note and "3 of them name no product"
               in note for note in imported.notes), imported.notes


def test_a_factor_of_the_process_method_still_needs_its_product(tmp_path: Path) -> None:
    package = _copy(tmp_path)
    _edit_process(package, BRIQUETTES, defaultAllocationMethod="PHYSICAL_ALLOCATION",
                  allocationFactors=[{"@type": "AllocationFactor",
                                      "allocationType": "PHYSICAL_ALLOCATION", "value": 1.0}])
    with pytest.raises(InvalidJsonLdPackage) as caught:
        read_jsonld(package)
    assert [p.field for p in caught.value.problems] == ["allocationFactors[0].product"]
