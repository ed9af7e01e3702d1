"""Energy and material intensities against the rule pack's plausible ranges and benchmark.

The ranges are the pack's own (:func:`yuntan.rules.check_activity_data`); this module only
turns its range findings into :class:`CheckFinding` objects and adds the benchmark.
"""

from __future__ import annotations

from yuntan.checks.findings import CheckFinding, CheckSeverity
from yuntan.rules import ActivityData, RangeFinding, RulePack, check_activity_data

CHECK = "intensity"


def check_intensity(pack: RulePack, data: ActivityData, variant: str | None = None,
                    footprint_kg_co2e_per_declared_unit: float | None = None,
                    benchmark_band: float = 2.0) -> list[CheckFinding]:
    """Range findings of the pack, and the footprint against the grading benchmark.

    Severity: outside a sourced bound (``placeholder = false``, e.g. a stoichiometric
    minimum) high, outside a placeholder range medium. A footprint more than
    ``benchmark_band`` times above or below the benchmark is medium; a placeholder benchmark
    gives one low finding saying no comparison was made.
    """
    findings: list[CheckFinding] = []
    for found in check_activity_data(pack, data, variant):
        if not isinstance(found, RangeFinding):
            continue  # missing or unknown fields are the data form's business
        placeholder = _violated_bound_is_placeholder(pack, found)
        numbers = {"value": found.value}
        if found.minimum is not None:
            numbers["minimum"] = found.minimum
        if found.maximum is not None:
            numbers["maximum"] = found.maximum
        findings.append(CheckFinding(
            CHECK, "plausible-range",
            CheckSeverity.MEDIUM if placeholder else CheckSeverity.HIGH,
            found.message_zh, found.message_en,
            (found.field,) if found.field else (), numbers))
    return (findings + _benchmark(pack, footprint_kg_co2e_per_declared_unit, benchmark_band)
            + _published(pack, variant, footprint_kg_co2e_per_declared_unit))


def _published(pack: RulePack, variant: str | None,
               footprint: float | None) -> list[CheckFinding]:
    """The footprint against the published footprints of the product: below the range is
    high (an expert would call it too low: an input or source may be missing), above it
    medium."""
    if footprint is None:
        return []
    chosen = pack.variant(variant).id
    found = []
    for published in pack.published_ranges:
        if published.variant not in (None, chosen):
            continue
        low, high = (published.min_kg_co2e_per_declared_unit,
                     published.max_kg_co2e_per_declared_unit)
        if low <= footprint <= high:
            continue
        below = footprint < low
        unit = f"kg CO2e / {pack.declared_unit.amount:g} {pack.declared_unit.unit}"
        found.append(CheckFinding(
            CHECK, "outside-published-range",
            CheckSeverity.HIGH if below else CheckSeverity.MEDIUM,
            f"碳足迹 {footprint:.4g} {unit} {'低于' if below else '高于'}同类产品已发表的范围 "
            f"{low:g}–{high:g}{'，可能遗漏了排放源或输入' if below else ''}；依据："
            f"{published.source}",
            f"The footprint {footprint:.4g} {unit} is {'below' if below else 'above'} the "
            f"published range {low:g}–{high:g} for this product"
            f"{': an emission source or input may be missing' if below else ''}; source: "
            f"{published.source}",
            (), {"footprint": footprint, "minimum": low, "maximum": high}))
    return found


def _violated_bound_is_placeholder(pack: RulePack, found: RangeFinding) -> bool:
    """Whether the bound ``found`` breaks is a placeholder (the other one may not be)."""
    limits = pack.field(found.field).range if found.field else None
    if limits is None:
        return found.range_placeholder
    below = found.minimum is not None and found.value < found.minimum
    bound = limits.min if below else limits.max
    return found.range_placeholder if bound is None else bound.placeholder


def _benchmark(pack: RulePack, footprint_kg_co2e_per_declared_unit: float | None,
               benchmark_band: float) -> list[CheckFinding]:
    findings: list[CheckFinding] = []
    grading = pack.grading
    benchmark = grading.benchmark_kg_co2e_per_declared_unit
    if grading.placeholder or benchmark is None:
        findings.append(CheckFinding(
            CHECK, "benchmark-placeholder", CheckSeverity.LOW,
            f"核算规则 {pack.label} 的行业基准值尚未公布（占位），未与基准比较。",
            f"Rule pack {pack.label} has no published sector benchmark (placeholder); the "
            f"footprint was not compared with one."))
        return findings
    if footprint_kg_co2e_per_declared_unit is None:
        return findings
    ratio = footprint_kg_co2e_per_declared_unit / benchmark
    if ratio > benchmark_band or ratio < 1 / benchmark_band:
        unit = f"kg CO2e / {pack.declared_unit.amount:g} {pack.declared_unit.unit}"
        findings.append(CheckFinding(
            CHECK, "benchmark-far", CheckSeverity.MEDIUM,
            f"碳足迹 {footprint_kg_co2e_per_declared_unit:.6g} {unit} 为行业基准 "
            f"{benchmark:g} 的 {ratio:.2f} 倍；依据：{grading.benchmark_source}",
            f"The footprint {footprint_kg_co2e_per_declared_unit:.6g} {unit} is {ratio:.2f} "
            f"times the sector benchmark {benchmark:g}; source: {grading.benchmark_source}",
            (), {"footprint": footprint_kg_co2e_per_declared_unit, "benchmark": benchmark,
                 "ratio": ratio}))
    return findings
