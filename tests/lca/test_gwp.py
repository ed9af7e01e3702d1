"""GWP100 sets (AR6 default, AR5, AR4): every value sourced, fossil and non-fossil methane."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yuntan.errors import UnknownGas, UnknownGwpSet
from yuntan.gwp import DEFAULT_GWP_SET, Origin, gases, get_gwp_set, gwp_set_names

GWP_CSV = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "gwp" / "gwp100.csv"


def rows() -> list[dict[str, str]]:
    with GWP_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_it_gives_every_value_a_source() -> None:
    table = rows()

    assert len(table) > 50
    for row in table:
        assert row["source"].strip(), f"{row['gwp_set']} {row['gas']} has no source"
        assert float(row["value"]) > 0


def test_it_covers_the_same_gases_in_ar4_ar5_and_ar6() -> None:
    covered = {name: get_gwp_set(name).gases for name in ("AR4", "AR5", "AR6")}

    assert covered["AR4"] == covered["AR5"] == covered["AR6"]
    assert covered["AR6"] == set(gases())  # and exactly the gases the platform knows


def test_it_ships_three_sets_with_ar6_as_default() -> None:
    assert gwp_set_names() == ("AR4", "AR5", "AR6")
    assert DEFAULT_GWP_SET == "AR6"


def test_it_lists_no_value_twice() -> None:
    keys = [(row["gwp_set"], row["gas"], row["applies_to"]) for row in rows()]

    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("gwp_set,origin,value", [
    ("AR6", Origin.FOSSIL, 29.8),
    ("AR6", Origin.BIOGENIC, 27.0),
    ("AR6", Origin.LAND_USE_CHANGE, 27.0),
    ("AR5", Origin.FOSSIL, 30.0),
    ("AR5", Origin.BIOGENIC, 28.0),
    ("AR4", Origin.FOSSIL, 25.0),
    ("AR4", Origin.BIOGENIC, 25.0),
])
def test_it_uses_the_methane_factor_of_the_origin(
    gwp_set: str, origin: Origin, value: float
) -> None:
    assert get_gwp_set(gwp_set).factor("CH4", origin) == value


@pytest.mark.parametrize("gas,gwp_set,value", [
    ("SF6", "AR6", 25_200),
    ("SF6", "AR5", 23_500),
    ("SF6", "AR4", 22_800),
    ("N2O", "AR6", 273),
    ("N2O", "AR5", 265),
    ("N2O", "AR4", 298),
    ("CO2", "AR6", 1),
    ("CO2e", "AR6", 1),
    ("NF3", "AR6", 17_400),
    ("HFC-134a", "AR6", 1_530),
])
def test_it_reads_gwp_values(gas: str, gwp_set: str, value: float) -> None:
    assert get_gwp_set(gwp_set).factor(gas, Origin.FOSSIL) == value
    assert get_gwp_set(gwp_set).factor(gas, "biogenic") == value  # one value for all origins


def test_it_keeps_the_source_with_each_value() -> None:
    entry = get_gwp_set("AR6").entry("SF6", "fossil")

    assert entry.value == 25_200
    assert "AR6" in entry.source
    assert "25 200" in entry.note


def test_it_accepts_a_lower_case_set_name() -> None:
    assert get_gwp_set("ar5").name == "AR5"


def test_it_refuses_an_unknown_set_listing_the_known_ones() -> None:
    with pytest.raises(UnknownGwpSet, match=r"'SAR'.*AR4, AR5, AR6"):
        get_gwp_set("SAR")


def test_it_refuses_an_unknown_gas_suggesting_co2e() -> None:
    with pytest.raises(UnknownGas, match=r"'R-22' has no GWP100 value in AR6.*CO2e"):
        get_gwp_set("AR6").factor("R-22", "fossil")


def test_it_names_each_gas_in_chinese_and_english() -> None:
    methane = gases()["CH4"]

    assert (methane.name_zh, methane.name_en) == ("甲烷", "Methane")
    assert all(gas.name_zh and gas.name_en for gas in gases().values())
