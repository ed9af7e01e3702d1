"""Reported energy against online energy-monitoring data (在线能源监测数据).

Meter readings come as CSV (:func:`read_meter_csv`) or through the API as
:class:`MeterReading` values. :func:`aggregate_meters` totals them over the reference
period; :func:`check_meter` compares the total with the reported field.

Conventions: an *interval* reading is the consumption of the interval that **ends** at its
timestamp and counts when ``start < timestamp <= end``. *Cumulative* readings (the register)
are differenced per meter; a step that straddles a period bound counts pro rata by time; a
reading lower than the one before is a **meter reset** (replacement or roll-over): the step
counts the new reading, as consumed since zero.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from statistics import median

from yuntan.checks.data import field_spec, field_value
from yuntan.checks.errors import CheckInputError, InvalidMeterFile
from yuntan.checks.findings import (
    CheckFinding,
    CheckSeverity,
    Period,
    deviation_severity,
    relative_deviation,
)
from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.rules import ActivityData, RulePack
from yuntan.units import conversion_factor, parse_unit

CHECK = "meter"


class ReadingKind(StrEnum):
    INTERVAL = "interval"  # consumption in the interval ending at the timestamp (区间用量)
    CUMULATIVE = "cumulative"  # register reading (表底读数)


@dataclass(frozen=True)
class MeterReading:
    timestamp: datetime
    meter_id: str
    value: float
    unit: str
    kind: ReadingKind = ReadingKind.INTERVAL


@dataclass(frozen=True)
class MeterReset:
    meter_id: str
    timestamp: datetime
    before: float
    after: float


@dataclass(frozen=True)
class MeterGap:
    meter_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MeterTotal:
    """Consumption over the period in ``unit``, per meter and in all, with what was seen."""

    total: float
    unit: str
    per_meter: dict[str, float]
    resets: tuple[MeterReset, ...]
    gaps: tuple[MeterGap, ...]
    readings_used: int


# Header spellings accepted, lower-cased and stripped.
HEADERS: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "time", "datetime", "时间", "时间戳", "采集时间", "抄表时间"),
    "meter_id": ("meter_id", "meter", "表号", "计量表", "计量表编号", "电表编号"),
    "reading": ("reading", "cumulative", "register", "读数", "表底", "表底读数", "累计读数"),
    "consumption": ("consumption", "interval", "用量", "区间用量", "消耗量", "电量"),
    "unit": ("unit", "单位"),
}
TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y年%m月%d日 %H:%M")


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in TIME_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    raise ValueError(text)


def read_meter_csv(text: str) -> list[MeterReading]:
    """Parse meter readings from CSV text (UTF-8, optional BOM, Chinese or English headers).

    Columns: timestamp, meter id, unit, and either ``reading`` (cumulative register) or
    ``consumption`` (interval). Raises :class:`InvalidMeterFile` naming line and column.
    """
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(rows, None)
    if header is None:
        raise InvalidMeterFile("line 1: the file is empty; the first line must be the header.")
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        for canonical, spellings in HEADERS.items():
            if key in spellings:
                columns[canonical] = index
    for needed in ("timestamp", "meter_id", "unit"):
        if needed not in columns:
            raise InvalidMeterFile(
                f"line 1: no {needed!r} column; accepted headers: {', '.join(HEADERS[needed])}.")
    if ("reading" in columns) == ("consumption" in columns):
        raise InvalidMeterFile(
            "line 1: give exactly one of a 'reading' (读数, cumulative) or a 'consumption' "
            "(用量, interval) column.")
    kind = ReadingKind.CUMULATIVE if "reading" in columns else ReadingKind.INTERVAL
    value_column = "reading" if kind is ReadingKind.CUMULATIVE else "consumption"
    readings: list[MeterReading] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row, line: int = line) -> str:
            index = columns[name]
            if index >= len(row) or not row[index].strip():
                raise InvalidMeterFile(f"line {line}, column {header[index]!r}: empty.")
            return row[index].strip()

        try:
            timestamp = _parse_time(cell("timestamp"))
        except ValueError:
            raise InvalidMeterFile(
                f"line {line}, column {header[columns['timestamp']]!r}: "
                f"{cell('timestamp')!r} is not a time; write e.g. 2025-01-31 23:00.") from None
        try:
            value = float(cell(value_column).replace(",", ""))
        except ValueError:
            raise InvalidMeterFile(
                f"line {line}, column {header[columns[value_column]]!r}: "
                f"{cell(value_column)!r} is not a number.") from None
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            raise InvalidMeterFile(
                f"line {line}, column {header[columns[value_column]]!r}: {value!r} must be a "
                f"finite, non-negative number.")
        unit = cell("unit")
        try:
            parse_unit(unit)
        except UnknownUnit as exc:
            raise InvalidMeterFile(
                f"line {line}, column {header[columns['unit']]!r}: {exc}") from None
        readings.append(MeterReading(timestamp, cell("meter_id"), value, unit, kind))
    return readings


def aggregate_meters(readings: Iterable[MeterReading], period: Period, unit: str,
                     gap_factor: float = 1.5) -> MeterTotal:
    """Total consumption of ``readings`` over ``period`` in ``unit`` (see the module doc).

    A gap is a step longer than ``gap_factor`` × the meter's median step, or a stretch at
    either end of the period with no reading for longer than that.
    """
    by_meter: dict[str, list[MeterReading]] = {}
    for reading in readings:
        by_meter.setdefault(reading.meter_id, []).append(reading)
    per_meter: dict[str, float] = {}
    resets: list[MeterReset] = []
    gaps: list[MeterGap] = []
    used = 0
    for meter_id in sorted(by_meter):
        _check_series(meter_id, by_meter[meter_id], period)
        series = sorted(by_meter[meter_id], key=lambda r: r.timestamp)
        values = [r.value * conversion_factor(r.unit, unit, f"meter {meter_id!r}")
                  for r in series]
        times = [r.timestamp for r in series]
        if series[0].kind is ReadingKind.INTERVAL:
            inside = [i for i, t in enumerate(times) if period.start < t <= period.end]
            per_meter[meter_id] = sum(values[i] for i in inside)
            used += len(inside)
        else:
            total, count = _difference(meter_id, times, values, period, resets)
            per_meter[meter_id] = total
            used += count
        gaps += _gaps(meter_id, times, period, gap_factor)
    return MeterTotal(sum(per_meter.values()), unit, per_meter, tuple(resets), tuple(gaps),
                      used)


def _check_series(meter_id: str, series: Sequence[MeterReading], period: Period) -> None:
    """One kind of reading per meter, and times comparable with the period's."""
    if len({r.kind for r in series}) > 1:
        raise CheckInputError(
            f"meter {meter_id!r} mixes interval and cumulative readings; upload them as two "
            f"meters or convert one kind.")
    aware = period.start.tzinfo is not None
    for reading in series:
        if (reading.timestamp.tzinfo is not None) != aware:
            raise CheckInputError(
                f"meter {meter_id!r}: reading at {reading.timestamp.isoformat()} and the "
                f"period {period} must both carry a time zone or both not.")


def _difference(meter_id: str, times: Sequence[datetime], values: Sequence[float],
                period: Period, resets: list[MeterReset]) -> tuple[float, int]:
    total, count = 0.0, 0
    for i in range(1, len(times)):
        step = Period(times[i - 1], times[i]) if times[i] > times[i - 1] else None
        if step is None:
            continue  # a repeated timestamp carries no consumption
        share = period.overlap_seconds(step) / step.seconds
        if share == 0:
            continue
        used = values[i] - values[i - 1]
        if used < 0:
            resets.append(MeterReset(meter_id, times[i], values[i - 1], values[i]))
            used = values[i]
        total += used * share
        count += 1
    return total, count


def _gaps(meter_id: str, times: Sequence[datetime], period: Period,
          gap_factor: float) -> list[MeterGap]:
    inside = [t for t in times if period.start <= t <= period.end]
    steps = [b - a for a, b in pairwise(times) if b > a]
    if not steps:
        return [MeterGap(meter_id, period.start, period.end)] if not inside else []
    usual = timedelta(seconds=median(s.total_seconds() for s in steps))
    limit = usual * gap_factor
    found = [MeterGap(meter_id, a, b) for a, b in pairwise(times)
             if b - a > limit and b > period.start and a < period.end]
    first, last = times[0], times[-1]
    if first - period.start > limit:
        found.insert(0, MeterGap(meter_id, period.start, min(first, period.end)))
    if period.end - last > limit:
        found.append(MeterGap(meter_id, max(last, period.start), period.end))
    return found


def check_meter(pack: RulePack, data: ActivityData, field_id: str,
                readings: Iterable[MeterReading], period: Period,
                tolerance: float = 0.05) -> list[CheckFinding]:
    """Compare the reported ``field_id`` with the metered total over ``period``.

    Severity: beyond ``tolerance`` (default 5 %) medium, beyond three times it high; gaps and
    resets low (they explain a difference but need the verifier's eye).
    """
    spec = field_spec(pack, field_id)
    reported = field_value(pack, data, field_id)
    try:
        metered = aggregate_meters(readings, period, spec.unit)
    except (DimensionMismatch, UnknownUnit) as exc:
        return [CheckFinding(
            CHECK, "meter-unit", CheckSeverity.HIGH,
            f"「{spec.name_zh}」的计量数据单位无法换算为 {spec.unit}：{exc}",
            f"The meter data for {spec.name_en} cannot be converted to {spec.unit}: {exc}",
            (field_id,))]
    findings: list[CheckFinding] = []
    if metered.readings_used == 0:
        findings.append(CheckFinding(
            CHECK, "meter-no-data", CheckSeverity.MEDIUM,
            f"报告期 {period} 内没有「{spec.name_zh}」的计量数据，无法比对。",
            f"No meter data for {spec.name_en} in the reference period {period}; "
            f"nothing to compare.", (field_id,)))
        return findings
    for gap in metered.gaps:
        findings.append(CheckFinding(
            CHECK, "meter-gap", CheckSeverity.LOW,
            f"计量表 {gap.meter_id} 在 {gap.start.isoformat()} 至 {gap.end.isoformat()} "
            f"之间缺少数据。",
            f"Meter {gap.meter_id} has no data from {gap.start.isoformat()} to "
            f"{gap.end.isoformat()}.",
            (field_id,), {"gap_hours": (gap.end - gap.start).total_seconds() / 3600}))
    for reset in metered.resets:
        findings.append(CheckFinding(
            CHECK, "meter-reset", CheckSeverity.LOW,
            f"计量表 {reset.meter_id} 于 {reset.timestamp.isoformat()} 读数由 "
            f"{reset.before:g} 降为 {reset.after:g}，按换表/归零处理。",
            f"Meter {reset.meter_id} fell from {reset.before:g} to {reset.after:g} at "
            f"{reset.timestamp.isoformat()}; counted as a reset (replacement or roll-over).",
            (field_id,), {"before": reset.before, "after": reset.after}))
    if reported is None:
        findings.append(CheckFinding(
            CHECK, "meter-unreported", CheckSeverity.HIGH,
            f"计量数据显示「{spec.name_zh}」为 {metered.total:.6g} {spec.unit}，但未填报。",
            f"Meters show {metered.total:.6g} {spec.unit} of {spec.name_en}, but none is "
            f"reported.", (field_id,), {"metered": metered.total}))
        return findings
    deviation = relative_deviation(reported, metered.total)
    severity = deviation_severity(deviation, tolerance)
    if severity is not None:
        findings.append(CheckFinding(
            CHECK, "meter-deviation", severity,
            f"填报的「{spec.name_zh}」{reported:.6g} {spec.unit} 与在线监测汇总 "
            f"{metered.total:.6g} {spec.unit} 相差 {deviation:+.1%}（容差 {tolerance:.0%}）。",
            f"Reported {spec.name_en} {reported:.6g} {spec.unit} differs from the metered "
            f"total {metered.total:.6g} {spec.unit} by {deviation:+.1%} (tolerance "
            f"{tolerance:.0%}).",
            (field_id,),
            {"reported": reported, "metered": metered.total, "deviation": deviation,
             "tolerance": tolerance}))
    return findings
