"""Exporting factor datasets as openLCA 2 JSON-LD, and reading them back."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from yuntan.formats.jsonld import (
    FactorDatasetRecord,
    GasAmount,
    InvalidFactorDataset,
    read_jsonld,
    to_matrix_system,
    write_factor_datasets_jsonld,
)
from yuntan.gwp import Origin
from yuntan.lca import footprint

STAMP = datetime(2024, 1, 1, tzinfo=UTC)

DATASETS = [
    FactorDatasetRecord(
        "grid-yn", "2022", "云南电网电力", "Yunnan grid electricity", "kWh",
        (GasAmount("CO2", 0.1), GasAmount("CH4", 0.0001), GasAmount("N2O", 0.00001)),
        region="CN-YN", year=2022, source="MEE 2022 grid factors", licence="public"),
    FactorDatasetRecord(
        "aluminium", "1.0", "原铝", "primary aluminium", "t",
        (GasAmount("CO2", 12000), GasAmount("CF4", 0.3), GasAmount("C2F6", 0.04)),
        gwp_set="AR5", placeholder=True, status="placeholder"),
    FactorDatasetRecord(
        "tea-leaf", "2023", "茶鲜叶", "fresh tea leaf", "kg",
        (GasAmount("CO2", 0.8), GasAmount("CO2", 0.3, Origin.BIOGENIC_UPTAKE),
         GasAmount("CH4", 0.002, Origin.BIOGENIC), GasAmount("N2O", 0.001))),
    FactorDatasetRecord("truck", "1", "", "road freight", "t*km", (GasAmount("CO2e", 0.08),)),
    FactorDatasetRecord("steam", "1", "蒸汽", "", "GJ", (GasAmount("CO2", 70),),
                        co2e_kg=70.0),
]


@pytest.fixture
def exported(tmp_path: Path) -> Any:
    return write_factor_datasets_jsonld(DATASETS, tmp_path / "factors.zip", timestamp=STAMP)


@pytest.mark.parametrize("record", DATASETS, ids=[d.key for d in DATASETS])
def test_the_round_trip_gives_each_datasets_co2e(exported: Any, record: FactorDatasetRecord,
                                                 ) -> None:
    imported = read_jsonld(exported.path)
    process = exported.process_ids[record.key]
    by_gases = to_matrix_system(imported)
    result = footprint(by_gases.system, by_gases.demand_of(process), gwp_set=record.gwp_set)
    assert result.total == pytest.approx(record.co2e())
    by_method = to_matrix_system(imported, method="Yuntan GWP100",
                                 category=f"GWP100 ({record.gwp_set}, Yuntan)")
    assert footprint(by_method.system, by_method.demand_of(process)).total == \
        pytest.approx(record.co2e())


def test_uptake_counts_negative_and_biogenic_methane_uses_its_own_gwp() -> None:
    tea = DATASETS[2]
    assert tea.co2e() == pytest.approx(0.8 - 0.3 + 0.002 * 27.0 + 0.001 * 273)


def test_the_package_is_what_openlca_2_imports(exported: Any) -> None:
    with zipfile.ZipFile(exported.path) as archive:
        names = archive.namelist()
        assert json.loads(archive.read("openlca.json")) == {"schemaVersion": 2}
        assert json.loads(archive.read("olca-schema.json")) == {"version": 2}
        processes = [json.loads(archive.read(n)) for n in names if n.startswith("processes/")]
    assert {n.split("/")[0] for n in names if "/" in n} == {
        "processes", "flows", "flow_properties", "unit_groups", "lcia_methods",
        "lcia_categories", "locations", "sources"}
    for process in processes:
        assert process["processType"] == "LCI_RESULT"
        assert process["lastChange"] == STAMP.isoformat()
        references = [e for e in process["exchanges"] if e.get("isQuantitativeReference")]
        assert len(references) == 1 and references[0]["isInput"] is False
    grid = next(p for p in processes if p["name"].startswith("云南电网电力"))
    co2 = next(e for e in grid["exchanges"] if e["flow"]["name"] == "Carbon dioxide, fossil")
    assert co2["flow"]["@id"] == "349b29d1-3e58-4c66-98b9-9d1a076efd2e"  # ecoinvent's UUID
    assert co2["unit"]["@id"] == "20aadc24-a391-41cf-b340-3e4529f44bde"  # openLCA's kg
    assert grid["location"]["name"] == "CN-YN"
    assert "Source: MEE 2022 grid factors" in grid["description"]
    assert grid["processDocumentation"]["validFrom"] == "2022-01-01"


@pytest.mark.parametrize("key,amount,unit", [
    ("grid-yn@2022", 1.0, "kWh"),  # kept in kWh (openLCA's Units of energy)
    ("aluminium@1.0", 1000.0, "kg"),  # 1 t as 1000 kg
    ("steam@1", 1000.0, "MJ"),  # 1 GJ as 1000 MJ
    ("truck@1", 1.0, "t*km"),  # a quantity of its own
])
def test_declared_units_map_to_openlca_units(exported: Any, key: str, amount: float,
                                            unit: str) -> None:
    imported = read_jsonld(exported.path)
    reference = imported.processes[exported.process_ids[key]].reference_exchange
    assert (reference.amount, reference.unit) == (pytest.approx(amount), unit)


def test_placeholders_are_tagged_and_uptake_is_an_input(exported: Any) -> None:
    with zipfile.ZipFile(exported.path) as archive:
        aluminium = json.loads(archive.read(
            f"processes/{exported.process_ids['aluminium@1.0']}.json"))
        tea = json.loads(archive.read(f"processes/{exported.process_ids['tea-leaf@2023']}.json"))
        categories = [json.loads(archive.read(n)) for n in archive.namelist()
                      if n.startswith("lcia_categories/")]
    assert "placeholder" in aluminium["tags"] and "PLACEHOLDER" in aluminium["description"]
    uptake = next(e for e in tea["exchanges"] if e["flow"]["name"] == "Carbon dioxide, in air")
    assert uptake["isInput"] is True and uptake["amount"] == 0.3
    ar6 = next(c for c in categories if c["name"] == "GWP100 (AR6, Yuntan)")
    factor = next(f for f in ar6["impactFactors"] if f["flow"]["name"] ==
                  "Carbon dioxide, in air")
    assert factor["value"] == -1  # openLCA convention for CO2 taken from air


def test_a_second_export_is_the_same_package(tmp_path: Path) -> None:
    paths = [write_factor_datasets_jsonld(DATASETS, tmp_path / f"{i}.zip", timestamp=STAMP).path
             for i in range(2)]
    contents = []
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            contents.append({n: archive.read(n) for n in archive.namelist()})
    assert contents[0] == contents[1]


def test_it_accepts_mappings(tmp_path: Path) -> None:
    exported = write_factor_datasets_jsonld([{
        "code": "diesel", "version": "1", "name_zh": "柴油", "name_en": "diesel", "unit": "kg",
        "gases": [{"gas": "CO2", "amount_kg": 3.1}],
    }], tmp_path / "diesel.zip")
    assert list(exported.process_ids) == ["diesel@1"]


def test_an_existing_file_is_replaced_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "factors.zip"
    target.write_text("old")
    write_factor_datasets_jsonld(DATASETS[:1], target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["factors.zip"]


@pytest.mark.parametrize("record,words", [
    (FactorDatasetRecord("x", "1", "x", "x", "bananas", (GasAmount("CO2", 1),)),
     "dataset 2 (x@1), field 'unit': Unknown unit 'bananas'"),
    (FactorDatasetRecord("x", "1", "x", "x", "kg", (GasAmount("H2O", 1),)),
     "field 'gases[0]': no elementary flow for H2O"),
    (FactorDatasetRecord("x", "1", "x", "x", "kg", (GasAmount("CO2", float("nan")),)),
     "field 'gases[0].amount_kg': not a finite number"),
    (FactorDatasetRecord("x", "1", "x", "x", "kg", ()), "field 'gases': at least one gas"),
    (FactorDatasetRecord("x", "1", "x", "x", "kg", (GasAmount("CO2", 1),), gwp_set="SAR"),
     "field 'gwp_set'"),
    (FactorDatasetRecord("x", "1", "x", "x", "kg", (GasAmount("CH4", 1),), co2e_kg=25.0),
     "field 'co2e_kg': 25 does not match the gases under AR6 (29.8)"),
    (FactorDatasetRecord("", "1", "x", "x", "kg", (GasAmount("CO2", 1),)),
     "field 'code'/'version'"),
])
def test_bad_datasets_are_named_and_nothing_is_written(tmp_path: Path,
                                                       record: FactorDatasetRecord,
                                                       words: str) -> None:
    target = tmp_path / "factors.zip"
    with pytest.raises(InvalidFactorDataset) as caught:
        write_factor_datasets_jsonld([*DATASETS[:1], record], target)
    assert any(words in problem for problem in caught.value.problems), caught.value.problems
    assert not target.exists()


def test_a_repeated_dataset_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidFactorDataset, match="the same code and version appear twice"):
        write_factor_datasets_jsonld([DATASETS[0], DATASETS[0]], tmp_path / "f.zip")
