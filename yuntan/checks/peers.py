"""Change against the enterprise's previous study and against its peers (横向纵向比对).

Peers are the other enterprises' studies of the same product on the platform. A finding
never carries a peer's value: only the bounds derived from the median and the median
absolute deviation (MAD), and only when there are at least :data:`MIN_PEERS` peers.

Modified z-score (Iglewicz & Hoaglin 1993, *How to Detect and Handle Outliers*, ASQC):
``M = 0.6745 (x − median) / MAD``; ``|M| > 3.5`` flags a potential outlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from yuntan.checks.data import field_spec, field_value
from yuntan.checks.findings import CheckFinding, CheckSeverity, deviation_severity
from yuntan.rules import ActivityData, FieldKind, RulePack
from yuntan.units import conversion_factor

MIN_PEERS = 5
Z_THRESHOLD = 3.5  # Iglewicz & Hoaglin (1993)
Z_CONSTANT = 0.6745  # the 0.75 quantile of the standard normal: MAD/0.6745 estimates σ
FOOTPRINT = "footprint"


@dataclass(frozen=True)
class Metric:
    """A compared quantity: a field's intensity or the footprint, with its unit."""

    id: str
    name_zh: str
    name_en: str
    unit: str


def footprint_metric(pack: RulePack) -> Metric:
    basis = f"{pack.declared_unit.amount:g} {pack.declared_unit.unit}"
    return Metric(FOOTPRINT, "产品碳足迹", "product carbon footprint", f"kg CO2e/{basis}")


def field_intensity(pack: RulePack, data: ActivityData, field_id: str
                    ) -> tuple[Metric, float] | None:
    """``field_id`` per range basis of its process (e.g. kWh per t Al), as the pack's
    ranges use it; parameters as they are. None when the field or its output is absent."""
    spec = field_spec(pack, field_id)
    value = field_value(pack, data, field_id)
    if value is None:
        return None
    process = pack.process(spec.process)
    if spec.kind is FieldKind.PARAMETER:
        return Metric(field_id, spec.name_zh, spec.name_en, spec.unit), value
    output = pack.output_field(process.id)
    produced = field_value(pack, data, output.id)
    if not produced:
        return None
    basis = produced * conversion_factor(output.unit, process.range_basis.unit)
    per = process.range_basis.amount
    unit = f"{spec.unit}/{per:g} {process.range_basis.unit}"
    return Metric(field_id, spec.name_zh, spec.name_en, unit), value * per / basis


def modified_z(value: float, sample: Sequence[float]) -> float | None:
    """Iglewicz & Hoaglin's modified z-score of ``value`` against ``sample``; None when the
    MAD is zero (no spread to measure against)."""
    centre = median(sample)
    mad = median(abs(x - centre) for x in sample)
    if mad == 0:
        return None
    return Z_CONSTANT * (value - centre) / mad


def check_previous(metric: Metric, current: float, previous: float | None,
                   threshold: float = 0.2) -> list[CheckFinding]:
    """Relative change from the previous study: beyond ``threshold`` (default 20 %) medium,
    beyond three times it high."""
    if previous is None:
        return []
    if previous == 0:
        change = 0.0 if current == 0 else float("inf")
    else:
        change = (current - previous) / abs(previous)
    severity = deviation_severity(change, threshold)
    if severity is None:
        return []
    return [CheckFinding(
        "previous-study", "previous-change", severity,
        f"「{metric.name_zh}」为 {current:.6g} {metric.unit}，较上一期研究 {previous:.6g} "
        f"变化 {change:+.1%}（阈值 {threshold:.0%}），请说明原因。",
        f"{metric.name_en} is {current:.6g} {metric.unit}, {change:+.1%} against the "
        f"previous study's {previous:.6g} (threshold {threshold:.0%}); explain the change.",
        () if metric.id == FOOTPRINT else (metric.id,),
        {"current": current, "previous": previous, "change": change, "threshold": threshold})]


def check_peers(metric: Metric, value: float, peer_values: Sequence[float],
                threshold: float = Z_THRESHOLD) -> list[CheckFinding]:
    """``value`` against the peers' values by modified z-score: ``|M| > threshold`` medium.

    Fewer than :data:`MIN_PEERS` peers, or peers without spread: one low finding saying no
    comparison was made. No finding carries a peer's value, the median or the MAD.
    """
    fields = () if metric.id == FOOTPRINT else (metric.id,)
    count = len(peer_values)
    if count < MIN_PEERS:
        return [CheckFinding(
            "peers", "peers-too-few", CheckSeverity.LOW,
            f"同类产品的其他企业研究不足 {MIN_PEERS} 个，「{metric.name_zh}」未作横向比较。",
            f"Fewer than {MIN_PEERS} other enterprises' studies of this product: "
            f"{metric.name_en} was not compared with peers.", fields)]
    z = modified_z(value, peer_values)
    if z is None:
        return [CheckFinding(
            "peers", "peers-no-spread", CheckSeverity.LOW,
            f"同类产品的「{metric.name_zh}」没有离散度（MAD 为零），未作横向比较。",
            f"The peers' {metric.name_en} has no spread (MAD is zero); not compared.",
            fields, {"peer_count": count})]
    if abs(z) <= threshold:
        return []
    centre = median(peer_values)
    spread = threshold * median(abs(x - centre) for x in peer_values) / Z_CONSTANT
    low, high = centre - spread, centre + spread
    return [CheckFinding(
        "peers", "peers-outlier", CheckSeverity.MEDIUM,
        f"「{metric.name_zh}」{value:.6g} {metric.unit} 超出同类产品 {count} 家企业的稳健范围 "
        f"[{low:.4g}, {high:.4g}]（修正 z 值 {z:.1f}，阈值 {threshold:g}，"
        f"Iglewicz & Hoaglin 1993）。",
        f"{metric.name_en} {value:.6g} {metric.unit} lies outside the robust range "
        f"[{low:.4g}, {high:.4g}] of {count} peer enterprises (modified z-score {z:.1f}, "
        f"threshold {threshold:g}, Iglewicz & Hoaglin 1993).",
        fields, {"value": value, "modified_z": z, "lower_bound": low, "upper_bound": high,
                 "peer_count": count})]
