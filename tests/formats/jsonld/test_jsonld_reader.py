"""Reading packages: both schema versions, every kind of source, units, impact factors,
progress."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from jsonld_fixtures import chain_package

from yuntan.formats.jsonld import FlowKind, JsonLdImport, read_jsonld


@pytest.fixture(params=[2, 1, None], ids=["openlca2", "openlca1", "no-marker"])
def chain(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[JsonLdImport, dict[str, str]]:
    package, ids = chain_package()
    return read_jsonld(package.write(tmp_path / "chain.zip", request.param)), ids


def test_it_reads_processes_flows_and_methods_of_either_version(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, ids = chain
    assert len(imported.processes) == 4 and len(imported.flows) == 6
    assert imported.flows[ids["scrap"]].kind is FlowKind.WASTE
    assert imported.flows[ids["electricity"]].reference_unit == "MJ"
    mill = imported.processes[ids["mill"]]
    assert mill.name == "steel mill" and mill.category == "Test/Chain"
    assert mill.reference_exchange.flow == ids["steel"]
    # The 1.x input flag survives: the electricity is an input, the scrap an output.
    inputs = {imported.flows[e.flow].name: e.is_input for e in mill.exchanges}
    assert inputs == {"steel": False, "electricity": True, "Carbon dioxide, fossil": False,
                      "steel scrap": False}
    assert imported.impact_methods[ids["method"]].categories == (ids["gwp"],)


def test_it_says_which_files_it_converted(tmp_path: Path) -> None:
    package, _ = chain_package()
    v1 = read_jsonld(package.write(tmp_path / "v1.zip", 1))
    v2 = read_jsonld(package.write(tmp_path / "v2.zip", 2))
    assert (v1.package_version, v2.package_version) == (1, 2)
    assert v1.converted_files == 13 and v2.converted_files == 0
    assert any("converted" in note for note in v1.notes)
    assert v2.version_marker == "openlca.json schemaVersion=2"


def test_it_converts_every_amount_to_the_reference_unit(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, ids = chain
    amounts = {(p.name, imported.flows[e.flow].name): e.reference_amount
               for p in imported.processes.values() for e in p.exchanges}
    assert amounts[("power plant", "electricity")] == pytest.approx(3.6)  # 1 kWh in MJ
    assert amounts[("steel mill", "steel")] == pytest.approx(1000)  # 1 t in kg
    assert amounts[("steel mill", "electricity")] == pytest.approx(7200)
    assert amounts[("steel mill", "Carbon dioxide, fossil")] == pytest.approx(1800)
    assert amounts[("scrap treatment", "Methane, fossil")] == pytest.approx(0.01)  # 10 g
    assert amounts[("part maker", "steel")] == pytest.approx(1.2)  # 1200 g
    mill = imported.processes[ids["mill"]]
    assert mill.exchanges[1].amount == 2000 and mill.exchanges[1].unit == "kWh"


def test_it_converts_through_a_second_flow_property(tmp_path: Path) -> None:
    """1 kg of fuel is 50 MJ: 100 MJ of it are 2 kg, 10 kWh are 0.72 kg."""
    package, ids = chain_package()
    fuel = package.flow("fuel", also={"MJ": 50.0})
    package.process("boiler", [
        package.exchange(ids["electricity"], 1, "MJ", reference=True),
        package.exchange(fuel, 100, "MJ", is_input=True),
        package.exchange(fuel, 10, "kWh", is_input=True),
    ])
    package.process("fuel supply", [package.exchange(fuel, 1, "kg", reference=True)])
    imported = read_jsonld(package.write(tmp_path / "fuel.zip"))
    boiler = next(p for p in imported.processes.values() if p.name == "boiler")
    assert [e.reference_amount for e in boiler.exchanges[1:]] == pytest.approx([2.0, 0.72])


def test_it_gives_impact_factors_per_reference_unit(
    chain: tuple[JsonLdImport, dict[str, str]],
) -> None:
    imported, ids = chain
    category = imported.impact_categories[ids["gwp"]]
    assert category.reference_unit == "kg CO2 eq"
    assert category.factors == pytest.approx({ids["co2"]: 1.0, ids["ch4"]: 29.8})


def test_it_reads_a_directory_a_zipfile_and_a_stream(tmp_path: Path) -> None:
    package, _ = chain_package()
    path = package.write(tmp_path / "chain.zip")
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)
        from_zipfile = read_jsonld(archive)
    from_dir = read_jsonld(folder)
    from_stream = read_jsonld(io.BytesIO(path.read_bytes()))
    assert set(from_dir.processes) == set(from_zipfile.processes) == set(from_stream.processes)
    assert from_dir.package_version == 2


def test_it_reads_a_zip_of_a_folder(tmp_path: Path) -> None:
    package, _ = chain_package()
    flat = package.write(tmp_path / "flat.zip")
    nested = tmp_path / "nested.zip"
    with zipfile.ZipFile(flat) as source, zipfile.ZipFile(nested, "w") as target:
        for name in source.namelist():
            target.writestr(f"export/{name}", source.read(name))
    imported = read_jsonld(nested)
    assert imported.package_version == 2 and len(imported.processes) == 4


def test_it_skips_folders_it_does_not_use(tmp_path: Path) -> None:
    package, _ = chain_package()
    path = package.write(tmp_path / "chain.zip")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("actors/a.json", "not even JSON")
        archive.writestr("bin/processes/x/readme.json", "{}")
    assert read_jsonld(path).skipped_folders == {"actors": 1}


def test_it_reports_progress_until_done(tmp_path: Path) -> None:
    package, _ = chain_package()
    calls: list[tuple[int, int, str]] = []
    read_jsonld(package.write(tmp_path / "chain.zip"),
                progress=lambda done, total, message: calls.append((done, total, message)))
    done = [c[0] for c in calls]
    assert done == sorted(done) and calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1] == 18  # 16 files + checking + linking
    assert "linkable exchanges" in calls[-1][2]


def test_a_progress_callback_can_stop_the_import(tmp_path: Path) -> None:
    package, _ = chain_package()

    def cancel(done: int, total: int, message: str) -> None:
        if done > 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        read_jsonld(package.write(tmp_path / "chain.zip"), progress=cancel)


def test_it_notes_formulas_and_uses_the_stored_amount(tmp_path: Path) -> None:
    package, ids = chain_package()
    package.get("processes", ids["mill"])["exchanges"][2]["amountFormula"] = "1.8 * p"
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    assert imported.processes[ids["mill"]].exchanges[2].reference_amount == 1800
    assert any("amount formula" in note for note in imported.notes)


def test_early_1x_methods_with_inline_categories_are_read(tmp_path: Path) -> None:
    package, ids = chain_package()
    category = package.records["lcia_categories"].pop(ids["gwp"])
    package.get("lcia_methods", ids["method"])["impactCategories"] = [category]
    imported = read_jsonld(package.write(tmp_path / "inline.zip", 1))
    assert imported.impact_categories[ids["gwp"]].factors[ids["ch4"]] == pytest.approx(29.8)


def test_regionalised_and_repeated_factors_are_left_out_and_noted(tmp_path: Path) -> None:
    package, ids = chain_package()
    factors = package.get("lcia_categories", ids["gwp"])["impactFactors"]
    factors.append({**factors[0], "value": 5.0})
    factors.append({**factors[0], "value": 7.0, "location": {"@id": "CN"}})
    imported = read_jsonld(package.write(tmp_path / "chain.zip"))
    assert imported.impact_categories[ids["gwp"]].factors[ids["co2"]] == 1.0
    assert any("1 regionalised, 1 repeated" in note for note in imported.notes)


def test_the_marker_can_also_be_olca_schema_json(tmp_path: Path) -> None:
    package, _ = chain_package()
    path = package.write(tmp_path / "chain.zip", None)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("olca-schema.json", json.dumps({"version": 2}))
    assert read_jsonld(path).version_marker == "olca-schema.json version=2"
