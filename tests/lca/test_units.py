"""Units: pint with the Chinese units enterprises report in, converted at the boundary."""

from __future__ import annotations

import pytest

from yuntan.errors import DimensionMismatch, NonFiniteValue, UnknownUnit
from yuntan.units import conversion_factor, convert, normalise_unit_text, parse_unit

CONVERSIONS = [
    ("吨", "kg", 1_000.0),
    ("公斤", "kg", 1.0),
    ("千克", "g", 1_000.0),
    ("度", "kWh", 1.0),
    ("千瓦时", "kWh", 1.0),
    ("万千瓦时", "kWh", 10_000.0),
    ("兆瓦时", "kWh", 1_000.0),
    ("MWh", "kWh", 1_000.0),
    ("kWh", "MJ", 3.6),
    ("tce", "GJ", 29.3076),  # GB/T 2589-2020: 1 kgce = 29 307.6 kJ
    ("吨标准煤", "GJ", 29.3076),
    ("kgce", "MJ", 29.3076),
    ("万吨标准煤", "tce", 10_000.0),
    ("万Nm3", "Nm3", 10_000.0),
    ("万Nm³", "Nm3", 10_000.0),
    ("t·km", "kg*km", 1_000.0),
    ("t×km", "tkm", 1.0),
    ("吨公里", "t*km", 1.0),
    ("亩", "m**2", 10_000 / 15),
    ("公顷", "亩", 15.0),
    ("立方米", "L", 1_000.0),
    ("件", "piece", 1.0),
]


@pytest.mark.parametrize("source,target,factor", CONVERSIONS)
def test_it_converts_reported_units(source: str, target: str, factor: float) -> None:
    assert conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize("source,target,factor", CONVERSIONS)
def test_it_converts_back_with_the_inverse_factor(source: str, target: str, factor: float) -> None:
    assert conversion_factor(target, source) == pytest.approx(1 / factor, rel=1e-12)


def test_it_converts_an_amount() -> None:
    assert convert(1.2, "万千瓦时", "kWh") == pytest.approx(12_000.0)
    assert convert(0.5, "tce", "GJ") == pytest.approx(14.6538)


def test_it_returns_exactly_one_for_the_same_unit() -> None:
    assert conversion_factor("furlongz", "furlongz") == 1.0


def test_it_reads_multiplication_signs_people_type() -> None:
    assert normalise_unit_text(" t·km ") == "t*km"
    assert normalise_unit_text("t⋅km") == "t*km"
    assert normalise_unit_text("Nm³") == "Nm3"
    assert parse_unit("t·km") == parse_unit("t*km")


def test_it_keeps_normal_cubic_metres_a_dimension_of_their_own() -> None:
    with pytest.raises(DimensionMismatch, match=r"'Nm3'.*'m³'"):
        conversion_factor("Nm3", "m³")


def test_it_names_the_exchange_of_a_dimension_mismatch() -> None:
    where = "process 'smelting', input 'electricity'"

    with pytest.raises(DimensionMismatch) as caught:
        conversion_factor("kg", "kWh", where)

    assert str(caught.value).startswith(where + ": cannot convert 'kg'")


@pytest.mark.parametrize("text", ["furlongz", "*kg", "3", "", "   "])
def test_it_refuses_units_it_cannot_read(text: str) -> None:
    with pytest.raises(UnknownUnit):
        parse_unit(text)


@pytest.mark.parametrize("text", ["kg/", "kg**", "km/h/", "(kg"])
def test_it_refuses_malformed_unit_text_as_an_unknown_unit(text: str) -> None:
    with pytest.raises(UnknownUnit):
        parse_unit(text)


def test_it_refuses_a_non_finite_amount() -> None:
    with pytest.raises(NonFiniteValue, match="demand"):
        convert(float("nan"), "kg", "t", "demand")
