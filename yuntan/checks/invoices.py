"""Reported amounts against utility bills and invoices entered as evidence (票据核对).

A bill covering ``[start, end)`` counts pro rata by time for the part inside the reference
period (a bill straddling the period's start or end counts only its share).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from yuntan.checks.data import field_spec, field_value
from yuntan.checks.findings import (
    CheckFinding,
    CheckSeverity,
    Period,
    deviation_severity,
    relative_deviation,
)
from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.rules import ActivityData, RulePack
from yuntan.units import convert

CHECK = "invoice"


@dataclass(frozen=True)
class Bill:
    """One bill or invoice: what it covers, how much, from whom (supplier and number)."""

    period: Period
    quantity: float
    unit: str
    supplier: str = ""
    number: str = ""

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.supplier, self.number) if p) or str(self.period)


@dataclass(frozen=True)
class BillTotal:
    total: float
    unit: str
    bills_used: int
    prorated: tuple[str, ...]  # labels of bills that straddle the period


def sum_bills(bills: Iterable[Bill], period: Period, unit: str) -> BillTotal:
    """The billed quantity inside ``period`` in ``unit`` (pro rata for straddling bills)."""
    total, used, prorated = 0.0, 0, []
    for bill in bills:
        share = period.overlap_seconds(bill.period) / bill.period.seconds
        if share == 0:
            continue
        total += share * convert(bill.quantity, bill.unit, unit, where=f"bill {bill.label}")
        used += 1
        if share < 1:
            prorated.append(bill.label)
    return BillTotal(total, unit, used, tuple(prorated))


def check_invoices(pack: RulePack, data: ActivityData, field_id: str, bills: Iterable[Bill],
                   period: Period, tolerance: float = 0.05) -> list[CheckFinding]:
    """Compare ``field_id`` with the bills over ``period``: beyond ``tolerance`` medium,
    beyond three times it high; straddling bills are listed (low)."""
    spec = field_spec(pack, field_id)
    reported = field_value(pack, data, field_id)
    try:
        billed = sum_bills(bills, period, spec.unit)
    except (DimensionMismatch, UnknownUnit) as exc:
        return [CheckFinding(
            CHECK, "invoice-unit", CheckSeverity.HIGH,
            f"「{spec.name_zh}」的票据单位无法换算为 {spec.unit}：{exc}",
            f"A bill for {spec.name_en} cannot be converted to {spec.unit}: {exc}",
            (field_id,))]
    if billed.bills_used == 0:
        return [CheckFinding(
            CHECK, "invoice-no-data", CheckSeverity.MEDIUM,
            f"报告期 {period} 内没有「{spec.name_zh}」的票据，无法核对。",
            f"No bills for {spec.name_en} in the reference period {period}; nothing to "
            f"compare.", (field_id,))]
    findings: list[CheckFinding] = []
    if billed.prorated:
        findings.append(CheckFinding(
            CHECK, "invoice-prorated", CheckSeverity.LOW,
            f"票据 {'、'.join(billed.prorated)} 跨越报告期，按天数比例计入。",
            f"Bills {', '.join(billed.prorated)} straddle the reference period and count pro "
            f"rata by time.", (field_id,)))
    value = 0.0 if reported is None else reported
    deviation = relative_deviation(value, billed.total)
    severity = deviation_severity(deviation, tolerance)
    if severity is not None:
        findings.append(CheckFinding(
            CHECK, "invoice-deviation", severity,
            f"填报的「{spec.name_zh}」{value:.6g} {spec.unit} 与 {billed.bills_used} 张票据"
            f"合计 {billed.total:.6g} {spec.unit} 相差 {deviation:+.1%}（容差 {tolerance:.0%}）。",
            f"Reported {spec.name_en} {value:.6g} {spec.unit} differs from the "
            f"{billed.bills_used} bills' total {billed.total:.6g} {spec.unit} by "
            f"{deviation:+.1%} (tolerance {tolerance:.0%}).",
            (field_id,),
            {"reported": value, "billed": billed.total, "deviation": deviation,
             "tolerance": tolerance}))
    return findings
