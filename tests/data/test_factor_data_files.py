"""The shipped factor data files (yuntan/data/factors/*.csv) are well formed and sourced."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from functools import cache
from importlib import resources

import pytest

from yuntan.units import parse_unit

DATASET_HEADER = [
    "id", "version", "name_zh", "name_en", "category", "unit", "region", "reference_year",
    "valid_from", "valid_to", "method", "status", "gwp_set", "source_publisher",
    "source_document", "source_year", "source_url", "source_quality", "licence",
    "uncertainty_gsd", "pedigree_reliability", "pedigree_completeness", "pedigree_temporal",
    "pedigree_geographical", "pedigree_technological", "note", "conservative_default",
]
UNCERTAINTY_FIELDS = DATASET_HEADER[DATASET_HEADER.index("uncertainty_gsd"):-2]
PEDIGREE_FIELDS = UNCERTAINTY_FIELDS[1:]
VALUE_HEADER = ["id", "version", "gas", "origin", "amount_kg_per_unit", "source_note"]

CATEGORIES = {"energy", "material", "transport", "waste_treatment", "service",
              "fuel_combustion", "process_emission"}
METHODS = {"grid_average_location_based", "grid_average_excluding_market_nonfossil",
           "fossil_electricity", "combustion_only", "cradle_to_gate", "process_default",
           "market_based"}
STATUSES = {"published", "placeholder"}
QUALITIES = {"primary", "secondary", "unverified"}
GWP_SETS = {"", "AR4", "AR5", "AR6"}
GASES = {"CO2", "CH4", "N2O", "SF6", "NF3", "CF4", "C2F6", "CO2e"}
ORIGINS = {"fossil", "biogenic", "biogenic_uptake", "land_use_change"}
GRIDS = {"NORTH", "NORTHEAST", "EAST", "CENTRAL", "NORTHWEST", "SOUTH", "SOUTHWEST"}
# ISO 3166-2:CN subdivisions of the mainland (31 provinces, autonomous regions, municipalities).
PROVINCES = {"BJ", "TJ", "HE", "SX", "NM", "LN", "JL", "HL", "SH", "JS", "ZJ", "AH", "FJ", "JX",
             "SD", "HA", "HB", "HN", "GD", "GX", "HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS",
             "QH", "NX", "XJ"}


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = resources.files("yuntan.data.factors").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@cache
def datasets() -> tuple[list[str], list[dict[str, str]]]:
    return _read("datasets.csv")


@cache
def values() -> tuple[list[str], list[dict[str, str]]]:
    return _read("values.csv")


def _by_key() -> dict[tuple[str, str], dict[str, str]]:
    return {(r["id"], r["version"]): r for r in datasets()[1]}


def _values_of(id_: str, version: str) -> list[dict[str, str]]:
    return [v for v in values()[1] if (v["id"], v["version"]) == (id_, version)]


def _amount(id_: str, version: str, gas: str = "CO2") -> float:
    rows = [v for v in _values_of(id_, version) if v["gas"] == gas]
    assert len(rows) == 1, f"expected one {gas} row for {id_} {version}, got {len(rows)}"
    return float(rows[0]["amount_kg_per_unit"])


# ------------------------------------------------------------------ structure


def test_headers_are_exact() -> None:
    assert datasets()[0] == DATASET_HEADER
    assert values()[0] == VALUE_HEADER


def test_files_parse_and_are_not_empty() -> None:
    assert len(datasets()[1]) > 0
    assert len(values()[1]) > 0
    for row in datasets()[1] + values()[1]:
        assert None not in row, f"row has more cells than the header: {row}"
        assert all(v is not None for v in row.values()), f"row has too few cells: {row}"


def test_dataset_keys_are_unique() -> None:
    keys = Counter((r["id"], r["version"]) for r in datasets()[1])
    assert [k for k, n in keys.items() if n > 1] == []


def test_ids_are_ascii_and_stable_shaped() -> None:
    for r in datasets()[1]:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", r["id"]), r["id"]
        assert r["version"].strip() == r["version"] and r["version"], r["id"]


def test_value_keys_are_unique() -> None:
    keys = Counter((v["id"], v["version"], v["gas"], v["origin"]) for v in values()[1])
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_value_belongs_to_a_dataset() -> None:
    known = _by_key()
    orphans = [(v["id"], v["version"]) for v in values()[1] if (v["id"], v["version"]) not in known]
    assert orphans == []


# ------------------------------------------------------------------ vocabularies


@pytest.mark.parametrize("row", datasets()[1], ids=lambda r: f"{r['id']}@{r['version']}")
def test_dataset_fields_use_the_vocabularies(row: dict[str, str]) -> None:
    assert row["category"] in CATEGORIES
    assert row["method"] in METHODS
    assert row["status"] in STATUSES
    assert row["source_quality"] in QUALITIES
    assert row["gwp_set"] in GWP_SETS
    assert row["name_zh"] and row["name_en"]
    region = row["region"]
    if region.startswith("CN-GRID-"):
        assert region.removeprefix("CN-GRID-") in GRIDS
    elif region.startswith("CN-"):
        assert region.removeprefix("CN-") in PROVINCES
    else:  # China, the IPCC's GLOBAL defaults, or another country's data used as a proxy
        assert region in {"CN", "GLOBAL"} or re.fullmatch(r"[A-Z]{2}", region), region
        if region not in {"CN", "GLOBAL"}:
            assert row["conservative_default"] == "true", "foreign data is a default here"
    for year_field in ("reference_year", "source_year"):
        if row[year_field]:
            assert re.fullmatch(r"(19|20)\d\d", row[year_field]), (year_field, row[year_field])
    for date_field in ("valid_from", "valid_to"):
        if row[date_field]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row[date_field]), (date_field, row[date_field])


@pytest.mark.parametrize("unit", sorted({r["unit"] for r in datasets()[1]}))
def test_units_parse_with_pint(unit: str) -> None:
    parse_unit(unit)


def test_gases_and_origins_are_valid() -> None:
    for v in values()[1]:
        assert v["gas"] in GASES, v
        assert v["origin"] in ORIGINS, v
        assert v["source_note"].strip(), v


def test_amounts_are_finite_and_positive() -> None:
    for v in values()[1]:
        amount = float(v["amount_kg_per_unit"])
        assert math.isfinite(amount), v
        if v["origin"] == "biogenic_uptake":
            assert amount != 0, v  # stored as a positive mass; the engine applies the sign
        else:
            assert amount > 0, v


# ------------------------------------------------------------------ provenance rules


@pytest.mark.parametrize(
    "row", [r for r in datasets()[1] if r["status"] == "published"],
    ids=lambda r: f"{r['id']}@{r['version']}",
)
def test_published_datasets_have_values_and_a_source(row: dict[str, str]) -> None:
    assert _values_of(row["id"], row["version"]), "a published dataset needs at least one value"
    for field in ("source_publisher", "source_document"):
        assert row[field].strip(), field
    assert row["source_year"].strip() or "year" in row["note"].lower(), "source year"
    # No shipped figure was read in an issuing body's own document; nothing may claim it was.
    assert row["source_quality"] in {"primary", "secondary"}


@pytest.mark.parametrize(
    "row", [r for r in datasets()[1] if r["status"] == "placeholder"],
    ids=lambda r: f"{r['id']}@{r['version']}",
)
def test_placeholders_have_no_values_and_a_note(row: dict[str, str]) -> None:
    assert _values_of(row["id"], row["version"]) == []
    assert row["note"].strip()
    assert "no public figure found" in row["note"].lower()
    assert row["source_quality"] == "unverified"


def test_pedigree_scores_are_justified_in_the_note() -> None:
    # Scores are an assessment of the source, not a figure from it: each scored row says why.
    scored = [r for r in datasets()[1] if any(r[field] for field in PEDIGREE_FIELDS)]
    assert len(PEDIGREE_FIELDS) == 5
    for row in scored:
        assert all(row[field] in {"1", "2", "3", "4", "5"} for field in PEDIGREE_FIELDS), row["id"]
        assert "pedigree" in row["note"].lower() or "reliability" in row["note"].lower(), row["id"]


def test_conservative_defaults_say_so_in_their_names() -> None:
    defaults = [r for r in datasets()[1] if r["conservative_default"] == "true"]
    assert defaults, "the shipped data has conservative defaults where no local figure exists"
    for row in defaults:
        assert row["status"] == "published", row["id"]
        text = f"{row['name_zh']} {row['name_en']} {row['note']}".lower()
        assert "default" in text or "缺省" in text or "proxy" in text, row["id"]
    assert {r["conservative_default"] for r in datasets()[1]} <= {"", "true"}


# Every number the platform ships, with where it was read: a reviewer checks this list.
@pytest.mark.parametrize("value", values()[1], ids=lambda v: f"{v['id']}@{v['version']}:{v['gas']}")
def test_every_shipped_number_names_its_source(value: dict[str, str]) -> None:
    dataset = _by_key()[(value["id"], value["version"])]
    assert value["source_note"].strip(), "say where the number was read"
    assert dataset["source_publisher"].strip() and dataset["source_document"].strip()
    assert dataset["source_quality"] in {"primary", "secondary"}
    note = dataset["note"].lower()
    assert dataset["source_url"].strip() or "code file" in note or "read in" in note or (
        "repository" in note), "where the figure was actually read"


def test_characterised_values_name_their_gwp_set_or_say_why_not() -> None:
    keys = {(v["id"], v["version"]) for v in values()[1] if v["gas"] == "CO2e"}
    for key in keys:
        row = _by_key()[key]
        assert row["gwp_set"] or "gwp" in row["note"].lower(), key


def test_pure_gas_datasets_have_no_gwp_set() -> None:
    for key, row in _by_key().items():
        gases = {v["gas"] for v in _values_of(*key)}
        if gases and "CO2e" not in gases:
            assert row["gwp_set"] == "", key


# ------------------------------------------------------------------ spot checks
# Numbers from shared/data/reference-factors.md (MEE / NBS electricity CO2 factors, kg CO2/kWh).


@pytest.mark.parametrize(("id_", "version", "expected"), [
    ("electricity-grid-average-CN-YN", "2022", 0.1073),
    ("electricity-grid-average-CN-YN", "2021", 0.1235),
    ("electricity-grid-average-CN-HE", "2022", 0.7252),
    ("electricity-grid-average-CN", "2021", 0.5568),
    ("electricity-grid-average-CN", "2022", 0.5366),
    ("electricity-grid-average-CN", "2023", 0.5306),
    ("electricity-grid-average-excl-market-nonfossil-CN", "2022", 0.5856),
    ("electricity-grid-average-excl-market-nonfossil-CN", "2023", 0.6096),
    ("electricity-fossil-CN", "2022", 0.8325),
    ("electricity-grid-average-CN-GRID-SOUTHWEST", "2023", 0.2472),
    ("electricity-grid-average-CN-GRID-SOUTHWEST", "2022", 0.2268),
    ("electricity-grid-average-CN-GRID-SOUTH", "2022", 0.3869),
    ("electricity-grid-average-CN-YN", "2023", 0.1333),
    ("electricity-grid-average-excl-market-nonfossil-CN", "2021", 0.5942),
])
def test_key_electricity_numbers(id_: str, version: str, expected: float) -> None:
    assert _amount(id_, version) == pytest.approx(expected, abs=5e-5)
    assert _by_key()[(id_, version)]["unit"] == "kWh"


def test_electricity_coverage() -> None:
    keys = _by_key()
    for year in ("2021", "2022", "2023"):
        assert keys[("electricity-grid-average-CN", year)]["status"] == "published"
        assert keys[("electricity-fossil-CN", year)]["status"] == "published"
        for grid in GRIDS:
            assert keys[(f"electricity-grid-average-CN-GRID-{grid}", year)]["status"] == "published"
    excl_2021 = keys[("electricity-grid-average-excl-market-nonfossil-CN", "2021")]
    assert excl_2021["status"] == "published"
    provincial = {k for k in keys if re.fullmatch(r"electricity-grid-average-CN-[A-Z]{2}", k[0])}
    published = {k for k in provincial if keys[k]["status"] == "published"}
    assert {v for _, v in published} == {"2021", "2022", "2023"}
    assert len(published) == 90  # 30 provinces (no Tibet in the MEE lists) × 2021–2023
    assert published == provincial
    for id_, version in provincial:
        assert keys[(id_, version)]["region"] == id_.removeprefix("electricity-grid-average-")


def test_yunnan_note_names_its_codes() -> None:
    note = _by_key()[("electricity-grid-average-CN-YN", "2022")]["note"]
    assert "CN-YN" in note and "GB/T 2260" in note and "53" in note


def test_grid_average_ordering_matches_the_source() -> None:
    # Yunnan had the lowest provincial factor in 2022 (新京报 report).
    keys = _by_key()
    provincial_2022 = {
        k[0]: _amount(*k) for k in keys
        if re.fullmatch(r"electricity-grid-average-CN-[A-Z]{2}", k[0]) and k[1] == "2022"
    }
    assert min(provincial_2022, key=provincial_2022.__getitem__) == "electricity-grid-average-CN-YN"


def test_natural_gas_equals_the_documented_formula() -> None:
    ncv_gj_per_nm3 = 389.31 / 1e4  # 389.31 GJ per 10^4 Nm3
    carbon_kg_c_per_gj = 15.3  # 15.3 t C/TJ
    oxidation = 0.99  # chosen over 0.995, see the dataset note
    expected = ncv_gj_per_nm3 * carbon_kg_c_per_gj * oxidation * 44 / 12
    key = ("natural-gas-combustion-CN-default", "GBT32151-default")
    assert _amount(*key) == pytest.approx(expected, rel=1e-6)
    row = _by_key()[key]
    assert row["unit"] == "Nm3" and row["source_quality"] == "secondary"
    assert "0.995" in row["note"]  # the conflict is documented


@pytest.mark.parametrize(("fuel", "ncv", "co2_per_tj", "ch4_per_tj", "n2o_per_tj"), [
    ("diesel", 43.0, 74100, 3, 0.6),
    ("gasoline", 44.3, 69300, 3, 0.6),
    ("lpg", 47.3, 63100, 1, 0.1),
    ("residual-fuel-oil", 40.4, 77400, 3, 0.6),
])
def test_ipcc_fuel_factors_follow_ncv_times_ef(
    fuel: str, ncv: float, co2_per_tj: float, ch4_per_tj: float, n2o_per_tj: float
) -> None:
    key = (f"{fuel}-stationary-combustion-IPCC2006", "IPCC-2006")
    tj_per_kg = ncv / 1e6
    assert _amount(*key, gas="CO2") == pytest.approx(co2_per_tj * tj_per_kg, rel=1e-6)
    assert _amount(*key, gas="CH4") == pytest.approx(ch4_per_tj * tj_per_kg, rel=1e-6)
    assert _amount(*key, gas="N2O") == pytest.approx(n2o_per_tj * tj_per_kg, rel=1e-6)
    assert _by_key()[key]["unit"] == "kg"


def test_diesel_co2_is_the_documented_3_1863() -> None:
    assert _amount("diesel-stationary-combustion-IPCC2006", "IPCC-2006") == pytest.approx(3.1863)


def test_aluminium_process_defaults() -> None:
    assert _amount("aluminium-electrolysis-anode-consumption-CN-default", "2024-draft") == 1424
    pfc = ("aluminium-electrolysis-anode-effect-pfc-CN-default", "2024-draft")
    assert _amount(*pfc, gas="CO2e") == pytest.approx(145.4)
    assert {v["gas"] for v in _values_of(*pfc)} == {"CO2e"}


def test_agriculture_defaults() -> None:
    n2o = _values_of("soil-n2o-direct-n-input-IPCC2019-EF1", "IPCC-2019")
    assert len(n2o) == 1 and n2o[0]["gas"] == "N2O" and n2o[0]["origin"] == "biogenic"
    assert float(n2o[0]["amount_kg_per_unit"]) == pytest.approx(0.010 * 44 / 28, rel=1e-5)
    assert _amount("urea-application-co2-IPCC2006", "IPCC-2006") == pytest.approx(
        0.20 * 44 / 12, rel=1e-5
    )


@pytest.mark.parametrize(("id_", "version", "expected"), [
    # MEE/NBS/NEA 公告2025年第3号 (2023) and the 2024 attachment: life-cycle factors.
    ("electricity-lifecycle-CN", "2023", 0.6205),
    ("electricity-lifecycle-CN", "2024", 0.5777),
    ("electricity-lifecycle-hydro-CN", "2023", 0.0143),
    ("electricity-lifecycle-coal-CN", "2023", 0.9440),
    ("electricity-lifecycle-CN-YN", "CPCD-2020", 0.1764),
    # 0.0143 hydro + 0.0036 transmission and distribution (2023).
    ("electricity-hydropower-contract-CN-YN", "MEE-2025-3", 0.0179),
])
def test_life_cycle_electricity_factors(id_: str, version: str, expected: float) -> None:
    assert _amount(id_, version, gas="CO2e") == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(("id_", "ncv_gj_per_t", "carbon_t_per_tj", "oxidation"), [
    ("coke-combustion-CN-default", 28.435, 29.5, 0.93),
    ("fuel-oil-combustion-CN-default", 41.816, 21.1, 0.98),
    ("lpg-combustion-CN-default", 50.179, 17.2, 0.98),
    ("diesel-combustion-CN-default", 42.652, 20.2, 0.98),
])
def test_chinese_fuel_defaults_follow_ncv_carbon_content_and_oxidation(
        id_: str, ncv_gj_per_t: float, carbon_t_per_tj: float, oxidation: float) -> None:
    version = next(r["version"] for r in datasets()[1] if r["id"] == id_)
    expected = ncv_gj_per_t * carbon_t_per_tj * oxidation * 44 / 12  # kg CO2 per t
    assert _amount(id_, version) == pytest.approx(expected, rel=2e-4)


def test_every_version_label_fits_in_a_web_address() -> None:
    """Version labels are path segments of the factor pages (review, publish, ...)."""
    from pathlib import Path

    from yuntan.formats.factor_csv import read_factor_files

    folder = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"
    rows = read_factor_files(folder / "datasets.csv", folder / "values.csv")
    assert not [row.key for row in rows if "/" in row.fields["version"]]


def test_one_published_version_per_dataset_and_year() -> None:
    # A study picks the version of its year; two of the same year would make the choice
    # depend on load order, and recomputation could differ between deployments.
    seen = Counter((r["id"], r["reference_year"]) for r in datasets()[1]
                   if r["status"] == "published")
    assert [key for key, count in seen.items() if count > 1] == []
