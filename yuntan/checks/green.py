"""Claimed green electricity against certificates and contracts (绿电/绿证核对).

Claims are :class:`yuntan.electricity.Instrument` values (what the market-based method will
use); evidence records are what the certificates (绿证: one certificate = 1 MWh) and
contracts say. A claim is matched to evidence by kind and reference (the claim's
``evidence`` text equals the record's ``reference``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yuntan.checks.data import field_value
from yuntan.checks.findings import CheckFinding, CheckSeverity, Period
from yuntan.electricity import Instrument, InstrumentKind
from yuntan.rules import ActivityData, Dimension, Evidence, FieldKind, RulePack
from yuntan.units import convert

CHECK = "green-electricity"
ROUNDING = 1e-6  # relative slack for rounding in certificate quantities


@dataclass(frozen=True)
class GreenEvidence:
    """A certificate batch or contract: its reference, quantity and generation period."""

    kind: InstrumentKind
    reference: str
    quantity: float
    unit: str = "kWh"
    period: Period | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", InstrumentKind(self.kind))

    @property
    def kwh(self) -> float:
        return convert(self.quantity, self.unit, "kWh", where=f"evidence {self.reference}")


def electricity_fields(pack: RulePack) -> tuple[str, ...]:
    """Input fields of energy dimension linked to an electricity factor dataset."""
    return tuple(f.id for f in pack.fields if f.kind is FieldKind.INPUT
                 and f.dimension is Dimension.ENERGY
                 and (f.factor_dataset or "").startswith("electricity"))


def contract_fields(pack: RulePack) -> tuple[str, ...]:
    """Electricity fields that are contract- or certificate-backed by the pack's evidence."""
    backed = {Evidence.CONTRACT, Evidence.GREEN_ELECTRICITY_CERTIFICATE}
    return tuple(f for f in electricity_fields(pack)
                 if pack.field(f).market_based_factor_dataset and backed & set(
                     pack.field(f).evidence))


def _kwh(pack: RulePack, data: ActivityData, ids: Iterable[str]) -> float:
    return sum(convert(v, pack.field(i).unit, "kWh") for i in ids
               if (v := field_value(pack, data, i)) is not None)


def check_green_electricity(pack: RulePack, data: ActivityData,
                            claims: Sequence[Instrument], evidence: Sequence[GreenEvidence],
                            period: Period | None = None,
                            consumed_kwh: float | None = None) -> list[CheckFinding]:
    """Every claim backed by evidence of its period, and claims within consumption.

    Severity: a claim without evidence or above it, on-site use above consumption, and a
    contract-backed field above the evidenced claims are high; contract claims above grid
    consumption are medium (the excess is not counted, see :mod:`yuntan.electricity`).
    ``consumed_kwh`` defaults to the pack's electricity fields.
    """
    findings: list[CheckFinding] = []
    usable: dict[tuple[InstrumentKind, str], float] = {}
    for record in evidence:
        if period is not None and record.period is not None and (
                period.overlap_seconds(record.period) == 0):
            findings.append(CheckFinding(
                CHECK, "green-evidence-outside-period", CheckSeverity.HIGH,
                f"凭证 {record.reference} 的期间 {record.period} 不在报告期 {period} 内，"
                f"不能用于本研究。",
                f"Evidence {record.reference} covers {record.period}, outside the reference "
                f"period {period}; it cannot back this study.", (),
                {"quantity_kwh": record.kwh}))
            continue
        key = (record.kind, record.reference.strip())
        usable[key] = usable.get(key, 0.0) + record.kwh
    claimed: dict[tuple[InstrumentKind, str], float] = {}
    for claim in claims:
        if claim.kind is InstrumentKind.ONSITE_RENEWABLE:
            continue
        key = (claim.kind, claim.evidence.strip())
        claimed[key] = claimed.get(key, 0.0) + claim.quantity_kwh
    for (kind, reference), quantity in sorted(claimed.items()):
        backed = usable.get((kind, reference), 0.0)
        if quantity <= backed * (1 + ROUNDING):
            continue
        rule = "green-unsupported" if backed == 0 else "green-over-evidence"
        findings.append(CheckFinding(
            CHECK, rule, CheckSeverity.HIGH,
            f"{kind.value}「{reference}」申报 {quantity:.6g} kWh，凭证仅支持 {backed:.6g} kWh。",
            f"{kind.value} {reference!r} claims {quantity:.6g} kWh; the evidence supports "
            f"{backed:.6g} kWh.", (),
            {"claimed_kwh": quantity, "evidenced_kwh": backed}))
    consumed = _kwh(pack, data, electricity_fields(pack)) if consumed_kwh is None else (
        consumed_kwh)
    onsite = sum(c.quantity_kwh for c in claims if c.kind is InstrumentKind.ONSITE_RENEWABLE)
    contracted = sum(claimed.values())
    fields = electricity_fields(pack)
    if onsite > consumed * (1 + ROUNDING):
        findings.append(CheckFinding(
            CHECK, "green-onsite-over-consumption", CheckSeverity.HIGH,
            f"自发自用绿电 {onsite:.6g} kWh 超过用电量 {consumed:.6g} kWh。",
            f"On-site renewable use {onsite:.6g} kWh exceeds the electricity consumed "
            f"{consumed:.6g} kWh.", fields, {"onsite_kwh": onsite, "consumed_kwh": consumed}))
    grid = max(consumed - onsite, 0.0)
    if contracted > grid * (1 + ROUNDING):
        findings.append(CheckFinding(
            CHECK, "green-over-consumption", CheckSeverity.MEDIUM,
            f"绿证/绿电合同申报 {contracted:.6g} kWh 超过电网购电量 {grid:.6g} kWh；"
            f"超出部分不计入。",
            f"Certificates and contracts claim {contracted:.6g} kWh, above the grid "
            f"electricity {grid:.6g} kWh; the excess is not counted.", fields,
            {"claimed_kwh": contracted, "grid_kwh": grid}))
    supported = sum(min(q, usable.get(k, 0.0)) for k, q in claimed.items())
    backed_fields = contract_fields(pack)
    in_fields = _kwh(pack, data, backed_fields)
    if in_fields > supported * (1 + ROUNDING):
        findings.append(CheckFinding(
            CHECK, "green-field-over-claims", CheckSeverity.HIGH,
            f"按合同/绿证填报的电量 {in_fields:.6g} kWh 超过有凭证的申报量 "
            f"{supported:.6g} kWh。",
            f"Electricity reported under contracts or certificates ({in_fields:.6g} kWh) "
            f"exceeds the claims with evidence ({supported:.6g} kWh).", backed_fields,
            {"field_kwh": in_fields, "supported_kwh": supported}))
    return findings
