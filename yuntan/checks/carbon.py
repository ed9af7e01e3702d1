"""Carbon balance of process emissions (碳平衡), where the rule pack defines one.

Two checks: (1) each direct-emission formula of the pack against the amount the enterprise
reports elsewhere (e.g. its emissions report to the national carbon market); (2) the
stoichiometric minima of :data:`STOICHIOMETRIC_MINIMA`, e.g. the carbon of the net anode
consumption per tonne of aluminium cannot be below what the reduction reaction needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yuntan.checks.data import field_spec, field_value
from yuntan.checks.findings import CheckFinding, CheckSeverity, deviation_severity
from yuntan.rules import ActivityData, RulePack, evaluate, formula_names
from yuntan.units import convert, parse_unit, registry

CHECK = "carbon-balance"


@dataclass(frozen=True)
class StoichiometricMinimum:
    """``expression / per`` (both evaluated with field units) must be at least ``minimum``
    (in ``unit``)."""

    id: str
    expression: str
    per: str
    minimum: float
    unit: str
    name_zh: str
    name_en: str
    source: str


STOICHIOMETRIC_MINIMA: Mapping[str, tuple[StoichiometricMinimum, ...]] = {
    "electrolytic-aluminium": (
        StoichiometricMinimum(
            id="anode-carbon-per-aluminium",
            expression="anode_net_consumption * anode_carbon_content",
            per="aluminium_liquid_output",
            minimum=3 * 12.011 / (4 * 26.982),  # 0.3339
            unit="t/t",
            name_zh="阳极净耗碳量/原铝液产量",
            name_en="carbon of the net anode consumption per aluminium produced",
            source="2 Al2O3 + 3 C → 4 Al + 3 CO2: 3 × 12.011 / (4 × 26.982) = 0.3339 t C per "
                   "t Al; CO formation only raises it (IPCC 2006 Vol.3 Ch.4.4)",
        ),
    ),
}


def _evaluate(pack: RulePack, data: ActivityData, expression: str) -> Any | None:
    """The expression's pint quantity, or None when a field it reads is absent."""
    ureg = registry()
    variables: dict[str, Any] = {}
    for name in formula_names(expression):
        value = field_value(pack, data, name)
        if value is None:
            return None
        variables[name] = ureg.Quantity(value, parse_unit(field_spec(pack, name).unit))
    return ureg.Quantity(evaluate(expression, variables))


def check_carbon_balance(pack: RulePack, data: ActivityData,
                         reported_emissions: Mapping[str, tuple[float, str]] | None = None,
                         tolerance: float = 0.05) -> list[CheckFinding]:
    """Formulas against ``reported_emissions`` (``{formula_id: (amount, unit)}``; beyond
    ``tolerance`` medium, three times it high) and the pack's stoichiometric minima
    (below: high, the data cannot be physically right)."""
    findings: list[CheckFinding] = []
    formulas = {f.id: f for f in pack.formulas}
    for formula_id, (amount, unit) in sorted((reported_emissions or {}).items()):
        formula = formulas.get(formula_id)
        if formula is None:
            findings.append(CheckFinding(
                CHECK, "carbon-unknown-formula", CheckSeverity.LOW,
                f"核算规则 {pack.label} 没有公式「{formula_id}」，该报告排放量未核对。",
                f"Rule pack {pack.label} has no formula {formula_id!r}; that reported "
                f"emission was not compared."))
            continue
        result = _evaluate(pack, data, formula.expression)
        names = tuple(sorted(formula_names(formula.expression)))
        if result is None:
            findings.append(CheckFinding(
                CHECK, "carbon-not-derived", CheckSeverity.MEDIUM,
                f"报告了「{formula.name_zh}」{amount:g} {unit}，但计算所需数据未填报。",
                f"{formula.name_en} is reported as {amount:g} {unit}, but the data to derive "
                f"it is not reported.", names))
            continue
        derived = float(result.to(parse_unit(formula.unit)).magnitude)
        reported = convert(amount, unit, formula.unit, where=f"reported {formula_id}")
        deviation = (reported - derived) / derived if derived else float("inf")
        severity = deviation_severity(deviation, tolerance)
        if severity is None:
            continue
        findings.append(CheckFinding(
            CHECK, "carbon-deviation", severity,
            f"报告的「{formula.name_zh}」{reported:.6g} {formula.unit} 与按活动数据推算的 "
            f"{derived:.6g} {formula.unit} 相差 {deviation:+.1%}（容差 {tolerance:.0%}）；"
            f"推算：{formula.expression}",
            f"Reported {formula.name_en} {reported:.6g} {formula.unit} differs from "
            f"{derived:.6g} {formula.unit} derived from the activity data by "
            f"{deviation:+.1%} (tolerance {tolerance:.0%}); derived as {formula.expression}",
            names, {"reported": reported, "derived": derived, "deviation": deviation,
                    "tolerance": tolerance}))
    for minimum in STOICHIOMETRIC_MINIMA.get(pack.id, ()):
        numerator = _evaluate(pack, data, minimum.expression)
        per = _evaluate(pack, data, minimum.per)
        if numerator is None or per is None or per.magnitude == 0:
            continue
        ratio = float((numerator / per).to(parse_unit(minimum.unit)).magnitude)
        if ratio >= minimum.minimum:
            continue
        names = tuple(sorted(formula_names(minimum.expression) | {minimum.per}))
        findings.append(CheckFinding(
            CHECK, "carbon-below-stoichiometry", CheckSeverity.HIGH,
            f"{minimum.name_zh}为 {ratio:.4g} {minimum.unit}，低于化学计量下限 "
            f"{minimum.minimum:.4g}；依据：{minimum.source}",
            f"The {minimum.name_en} is {ratio:.4g} {minimum.unit}, below the stoichiometric "
            f"minimum {minimum.minimum:.4g}; source: {minimum.source}",
            names, {"ratio": ratio, "minimum": minimum.minimum}))
    return findings
