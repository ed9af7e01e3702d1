"""Meter series: CSV reading, aggregation over the period, comparison with the report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from checks_fixtures import ALUMINIUM, YEAR, aluminium, rules_of, with_
from hypothesis import given
from hypothesis import strategies as st

from yuntan.checks import (
    CheckInputError,
    InvalidMeterFile,
    InvalidPeriod,
    MeterReading,
    Period,
    ReadingKind,
    aggregate_meters,
    check_meter,
    read_meter_csv,
)

DAY = Period(datetime(2025, 3, 1), datetime(2025, 3, 2))


def hourly(values: list[float], kind: ReadingKind = ReadingKind.INTERVAL,
           start: datetime = datetime(2025, 3, 1), unit: str = "kWh",
           meter: str = "M1") -> list[MeterReading]:
    return [MeterReading(start + timedelta(hours=i), meter, v, unit, kind)
            for i, v in enumerate(values)]


def monthly_register(total_kwh: float) -> list[MeterReading]:
    """Cumulative readings at each month start of 2025 and 2026-01-01 summing to total."""
    stamps = [datetime(2025, m, 1) for m in range(1, 13)] + [datetime(2026, 1, 1)]
    return [MeterReading(t, "GATE-1", 5000 + total_kwh * i / 12, "kWh",
                         ReadingKind.CUMULATIVE) for i, t in enumerate(stamps)]


def test_it_reads_chinese_headers_and_units() -> None:
    text = ("\ufeff时间,表号,用量,单位\n"
            "2025-03-01 01:00,M1,1.5,万千瓦时\n2025/03/01 02:00,M1,2,MWh\n")
    readings = read_meter_csv(text)
    assert [r.value for r in readings] == [1.5, 2.0]
    assert readings[0].kind is ReadingKind.INTERVAL and readings[0].unit == "万千瓦时"
    total = aggregate_meters(readings, DAY, "kWh")
    assert total.total == pytest.approx(15000 + 2000)


def test_it_reads_english_cumulative_readings() -> None:
    text = ("timestamp,meter_id,reading,unit\n"
            "2025-03-01T00:00,A,100,kWh\n2025-03-02T00:00,A,160,kWh\n")
    readings = read_meter_csv(text)
    assert readings[1].kind is ReadingKind.CUMULATIVE
    assert aggregate_meters(readings, DAY, "kWh").total == pytest.approx(60)


@pytest.mark.parametrize("text,where", [
    ("", "line 1"),
    ("时间,表号,单位\n", "line 1"),
    ("时间,表号,用量,读数,单位\n", "line 1"),
    ("时间,表号,用量,单位\n2025-03-01,M1,abc,kWh\n", "line 2, column '用量'"),
    ("时间,表号,用量,单位\n2025-03-01,M1,1,kWh\nyesterday,M1,1,kWh\n", "line 3, column '时间'"),
    ("time,meter,consumption,unit\n2025-03-01,M1,1,parsecs of joy\n", "line 2, column 'unit'"),
    ("time,meter,consumption,unit\n2025-03-01,,1,kWh\n", "line 2, column 'meter'"),
    ("time,meter,consumption,unit\n2025-03-01,M1,-4,kWh\n", "line 2, column 'consumption'"),
])
def test_it_names_line_and_column_of_bad_csv(text: str, where: str) -> None:
    with pytest.raises(InvalidMeterFile, match=where):
        read_meter_csv(text)


def test_it_counts_interval_readings_ending_inside_the_period() -> None:
    # 25 hourly readings from 00:00: the 00:00 one ends the previous day's last hour.
    readings = hourly([1.0] * 25)
    total = aggregate_meters(readings, DAY, "kWh")
    assert total.total == 24 and total.readings_used == 24 and total.gaps == ()


def test_it_detects_a_reset_of_a_cumulative_meter() -> None:
    readings = hourly([100, 110, 120, 3, 8], ReadingKind.CUMULATIVE)
    total = aggregate_meters(readings, DAY, "kWh")
    assert total.total == pytest.approx(10 + 10 + 3 + 5)
    assert [(r.before, r.after) for r in total.resets] == [(120, 3)]


def test_it_prorates_cumulative_steps_across_the_period_bounds() -> None:
    readings = [MeterReading(datetime(2025, 2, 28, 12), "A", 0, "kWh", ReadingKind.CUMULATIVE),
                MeterReading(datetime(2025, 3, 1, 12), "A", 100, "kWh", ReadingKind.CUMULATIVE),
                MeterReading(datetime(2025, 3, 2, 12), "A", 300, "kWh", ReadingKind.CUMULATIVE)]
    assert aggregate_meters(readings, DAY, "kWh").total == pytest.approx(50 + 100)


def test_it_reports_gaps() -> None:
    readings = [r for r in hourly([1.0] * 25) if not 5 <= r.timestamp.hour <= 9]
    total = aggregate_meters(readings, DAY, "kWh")
    assert [(g.start.hour, g.end.hour) for g in total.gaps] == [(4, 10)]


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=48))
def test_interval_aggregation_is_the_sum(values: list[float]) -> None:
    readings = hourly(values, start=datetime(2025, 3, 1, 1))
    period = Period(datetime(2025, 3, 1), datetime(2025, 3, 3))
    assert aggregate_meters(readings, period, "kWh").total == pytest.approx(sum(values))


@given(st.lists(st.floats(0, 1e5, allow_nan=False), min_size=1, max_size=48),
       st.floats(0, 1e7, allow_nan=False))
def test_cumulative_differencing_is_last_minus_first(steps: list[float], first: float) -> None:
    register = [first]
    for step in steps:
        register.append(register[-1] + step)
    readings = hourly(register, ReadingKind.CUMULATIVE)
    period = Period(datetime(2025, 3, 1), datetime(2025, 3, 3))
    total = aggregate_meters(readings, period, "kWh")
    assert total.total == pytest.approx(register[-1] - register[0], rel=1e-9, abs=1e-6)
    assert total.resets == ()


def test_matching_meter_data_raises_nothing() -> None:
    readings = monthly_register(13_500_000 * 1.02)
    assert check_meter(aluminium(), ALUMINIUM, "electricity_grid", readings, YEAR) == []


@pytest.mark.parametrize("metered_kwh,severity", [
    (13_500_000 * 1.08, "medium"),  # reported 7.4 % below the meters
    (13_500_000 * 1.30, "high"),
    (13_500_000 * 0.80, "high"),  # reported 25 % above
])
def test_it_flags_reported_energy_off_the_meters(metered_kwh: float, severity: str) -> None:
    found = check_meter(aluminium(), ALUMINIUM, "electricity_grid",
                        monthly_register(metered_kwh), YEAR)
    assert rules_of(found) == [("meter-deviation", severity)]
    assert found[0].numbers["metered"] == pytest.approx(metered_kwh)
    assert found[0].fields == ("electricity_grid",)


def test_the_tolerance_is_a_parameter() -> None:
    found = check_meter(aluminium(), ALUMINIUM, "electricity_grid",
                        monthly_register(13_500_000 * 1.08), YEAR, tolerance=0.10)
    assert found == []


def test_it_flags_metered_energy_that_is_not_reported() -> None:
    data = {k: v for k, v in ALUMINIUM.items() if k != "casting_natural_gas"}
    readings = [MeterReading(datetime(2025, 6, 1), "GAS", 100, "Nm3")]
    found = check_meter(aluminium(), data, "casting_natural_gas", readings, YEAR)
    assert rules_of(found) == [("meter-unreported", "high")]


def test_it_flags_meter_units_of_the_wrong_kind() -> None:
    readings = [MeterReading(datetime(2025, 6, 1), "M", 100, "kg")]
    found = check_meter(aluminium(), with_(), "electricity_grid", readings, YEAR)
    assert rules_of(found) == [("meter-unit", "high")]


def test_it_says_when_no_reading_falls_in_the_period() -> None:
    readings = [MeterReading(datetime(2024, 6, 1), "M", 100, "kWh")]
    found = check_meter(aluminium(), ALUMINIUM, "electricity_grid", readings, YEAR)
    assert rules_of(found) == [("meter-no-data", "medium")]


def test_gaps_and_resets_are_low_findings_beside_the_comparison() -> None:
    readings = [MeterReading(datetime(2025, 1, 1), "G", 0, "kWh", ReadingKind.CUMULATIVE),
                MeterReading(datetime(2025, 2, 1), "G", 1_000_000, "kWh",
                             ReadingKind.CUMULATIVE),
                MeterReading(datetime(2025, 3, 1), "G", 500_000, "kWh",
                             ReadingKind.CUMULATIVE),
                MeterReading(datetime(2026, 1, 1), "G", 12_500_000, "kWh",
                             ReadingKind.CUMULATIVE)]
    found = check_meter(aluminium(), ALUMINIUM, "electricity_grid", readings, YEAR)
    assert rules_of(found) == [("meter-gap", "low"), ("meter-reset", "low")]
    assert found[1].numbers == {"before": 1_000_000, "after": 500_000}


def test_a_period_must_end_after_it_starts() -> None:
    with pytest.raises(InvalidPeriod, match="after its start"):
        Period(datetime(2025, 1, 1), datetime(2025, 1, 1))


def test_it_refuses_mixed_kinds_and_mixed_time_zones() -> None:
    mixed = [*hourly([1.0, 2.0]), *hourly([5.0], ReadingKind.CUMULATIVE,
                                          start=datetime(2025, 3, 1, 5))]
    with pytest.raises(CheckInputError, match="mixes interval and cumulative"):
        aggregate_meters(mixed, DAY, "kWh")
    utc = Period(datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 2, tzinfo=UTC))
    with pytest.raises(CheckInputError, match="time zone"):
        aggregate_meters(hourly([1.0]), utc, "kWh")
