"""Turn a rule pack and an enterprise's activity data into the engine's processes (pure).

Activity data is ``{field_id: (amount, unit)}``: the amounts of one reference period, each
process's fields for the same period as its output field. Units are converted to each
field's unit (a wrong dimension raises :class:`yuntan.errors.DimensionMismatch` naming the
pack and field); plausible ranges, required fields and unknown ids give :class:`Finding`
objects (data, not exceptions). :func:`check_activity_data` returns only the findings (for a
data collection form); :func:`compile_study` also builds the processes and raises
:class:`IncompleteActivityData` when any finding is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from yuntan.errors import check_finite
from yuntan.gwp import Origin
from yuntan.lca.model import AllocationMethod, Emission, Input, Output, Process
from yuntan.rules.errors import FormulaError, IncompleteActivityData
from yuntan.rules.formula import evaluate, formula_names
from yuntan.rules.schema import (
    ElectricityMethod,
    FieldKind,
    FieldSpec,
    PlausibleRange,
    ProcessSpec,
    RulePack,
)
from yuntan.units import conversion_factor, convert, parse_unit, registry

ActivityData = Mapping[str, tuple[float, str]]


class Severity(StrEnum):
    ERROR = "error"  # the study cannot be compiled until this is fixed
    WARNING = "warning"  # compiled, but a verifier should look (e.g. out of range)
    INFO = "info"  # for the record (e.g. a formula not used because its data is absent)


@dataclass(frozen=True)
class Finding:
    """One thing found in the activity data, in Chinese and English."""

    severity: Severity
    rule: str
    field: str | None
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class RangeFinding(Finding):
    """A value outside the plausible range of its field (per the process's range basis)."""

    value: float = 0.0
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    range_placeholder: bool = False
    range_source: str = ""


@dataclass(frozen=True)
class CompiledStudy:
    """The foreground of one study: processes for :func:`yuntan.lca.build_system`, the factor
    dataset ids they need and the findings.

    ``functional_unit`` is the demand for :func:`yuntan.lca.footprint`: the declared unit
    expressed in the unit of the reference product. Give the factor datasets no stage: they
    take the stages of the processes that use them (an input reported under another stage
    than its process goes through a carrier process of that stage, see
    :func:`stage_carrier_id`). ``factor_dataset_stages`` is the stage of the first field
    that uses each dataset, for display only.
    """

    pack_id: str
    pack_version: str
    variant: str
    electricity_method: ElectricityMethod
    reference_product: str
    functional_unit: Mapping[str, float]
    processes: tuple[Process, ...]
    factor_dataset_ids: frozenset[str]
    factor_dataset_stages: Mapping[str, str]
    findings: tuple[Finding, ...] = field(default=())


def _where(pack: RulePack, field_id: str) -> str:
    return f"rule pack {pack.label}, field {field_id!r}"


def _normalise(pack: RulePack, data: ActivityData) -> tuple[dict[str, float], list[Finding]]:
    """Each known field's amount in the field's unit; unknown ids become findings."""
    fields = {f.id: f for f in pack.fields}
    values: dict[str, float] = {}
    findings: list[Finding] = []
    for field_id, (amount, unit) in data.items():
        spec = fields.get(field_id)
        if spec is None:
            findings.append(Finding(
                Severity.ERROR, "unknown-field", field_id,
                f"「{field_id}」不是核算规则 {pack.label} 的字段。",
                f"{field_id!r} is not a field of rule pack {pack.label}.",
            ))
            continue
        value = convert(amount, unit, spec.unit, where=_where(pack, field_id))
        if value < 0:
            findings.append(Finding(
                Severity.ERROR, "negative-amount", field_id,
                f"「{spec.name_zh}」不能为负数（{amount:g} {unit}）。",
                f"{spec.name_en} cannot be negative ({amount:g} {unit}).",
            ))
        values[field_id] = value
    for spec in pack.fields:
        if spec.id not in values and spec.default is not None:
            values[spec.id] = spec.default
    return values, findings


def _included(pack: RulePack, values: Mapping[str, float]) -> list[ProcessSpec]:
    return [p for p in pack.processes
            if not p.optional or pack.output_field(p.id).id in values]


def _range_finding(spec: FieldSpec, limits: PlausibleRange, intensity: float,
                   basis: str) -> RangeFinding | None:
    low, high = limits.min, limits.max
    if low is not None and intensity < low.value:
        side_zh, side_en, bound = "低于下限", "below the minimum", low
    elif high is not None and intensity > high.value:
        side_zh, side_en, bound = "高于上限", "above the maximum", high
    else:
        return None
    flag_zh = "（该范围为待确认的占位值）" if bound.placeholder else ""
    flag_en = " (the range is a placeholder still to be confirmed)" if bound.placeholder else ""
    return RangeFinding(
        Severity.WARNING, "plausible-range", spec.id,
        f"「{spec.name_zh}」为 {intensity:.6g} {spec.unit}{basis}，{side_zh} "
        f"{bound.value:g}；依据：{bound.source}{flag_zh}",
        f"{spec.name_en} is {intensity:.6g} {spec.unit}{basis}, {side_en} {bound.value:g}; "
        f"source: {bound.source}{flag_en}",
        value=intensity, unit=spec.unit,
        minimum=low.value if low is not None else None,
        maximum=high.value if high is not None else None,
        range_placeholder=limits.placeholder, range_source=bound.source,
    )


def check_activity_data(pack: RulePack, data: ActivityData,
                        variant: str | None = None) -> list[Finding]:
    """Every finding about ``data``: unknown fields, missing required fields, ranges.

    Raises :class:`yuntan.errors.DimensionMismatch` / ``UnknownUnit`` naming the field when
    a unit cannot be converted to the field's unit.
    """
    values, findings = _normalise(pack, data)
    return findings + _findings(pack, values, variant)


def _findings(pack: RulePack, values: Mapping[str, float],
              variant: str | None) -> list[Finding]:
    findings: list[Finding] = []
    chosen = pack.variant(variant)
    included = _included(pack, values)
    included_ids = {p.id for p in included}
    final = pack.field(chosen.reference_field).process
    if final not in included_ids:
        spec = pack.field(chosen.reference_field)
        findings.append(_missing(spec, f"（产品「{chosen.name_zh}」的参考流）",
                                 f" (the reference flow of {chosen.name_en})"))
    for process in included:
        output = pack.output_field(process.id)
        basis_amount: float | None = None
        if output.id in values:
            basis_amount = values[output.id] * conversion_factor(
                output.unit, process.range_basis.unit) / process.range_basis.amount
            if basis_amount <= 0:
                findings.append(Finding(
                    Severity.ERROR, "zero-output", output.id,
                    f"「{output.name_zh}」必须大于零。", f"{output.name_en} must be above zero.",
                ))
                basis_amount = None
        basis = f" / {process.range_basis.amount:g} {process.range_basis.unit}"
        for spec in (f for f in pack.fields if f.process == process.id):
            if spec.id not in values:
                if spec.required:
                    findings.append(_missing(spec, "", ""))
                continue
            if spec.kind is FieldKind.INPUT and spec.from_process is not None and (
                spec.from_process not in included_ids
            ):
                findings.append(Finding(
                    Severity.ERROR, "provider-missing", spec.id,
                    f"「{spec.name_zh}」来自过程 {spec.from_process}，但该过程的产出未填报。",
                    f"{spec.name_en} comes from process {spec.from_process!r}, whose output "
                    f"is not reported.",
                ))
            if spec.kind is FieldKind.CO_PRODUCT:
                findings += _missing_keys(pack, spec, values)
            if spec.range is None:
                continue
            if spec.kind is FieldKind.PARAMETER:
                found = _range_finding(spec, spec.range, values[spec.id], "")
            elif basis_amount is None:
                continue
            else:
                found = _range_finding(spec, spec.range, values[spec.id] / basis_amount, basis)
            if found is not None:
                findings.append(found)
    return findings


def _missing_keys(pack: RulePack, co_product: FieldSpec,
                  values: Mapping[str, float]) -> list[Finding]:
    """Allocation keys needed once a co-product is reported (e.g. both prices)."""
    rule = next(r for r in pack.allocation if r.process == co_product.process)
    return [_missing(pack.field(key), "（分摊依据）", " (allocation key)")
            for key in rule.keys.values() if key not in values]


def _missing(spec: FieldSpec, note_zh: str, note_en: str) -> Finding:
    return Finding(
        Severity.ERROR, "required-missing", spec.id,
        f"必填字段「{spec.name_zh}」（{spec.id}，{spec.unit}）未填报{note_zh}。",
        f"Required field {spec.name_en} ({spec.id}, {spec.unit}) is missing{note_en}.",
    )


def compile_study(
    pack: RulePack,
    data: ActivityData,
    *,
    variant: str | None = None,
    electricity_method: ElectricityMethod | str | None = None,
    factor_overrides: Mapping[str, str] | None = None,
    separate_credits: bool = False,
) -> CompiledStudy:
    """Compile ``data`` under ``pack`` into processes (GB/T 24067-2024 6.3.5 data collection).

    Parameters
    ----------
    variant:
        The product variant (default: the pack's first), which names the reference flow.
    electricity_method:
        ``location_based`` links every electricity field to its grid dataset;
        ``market_based`` uses a field's ``market_based_factor_dataset`` where it has one.
        Default: the pack's headline method. Compile twice to show both.
    factor_overrides:
        ``{field_id: factor_dataset_id}`` where the study uses another dataset (a supplier's
        own footprint, a newer version) than the pack's default.
    separate_credits:
        Include the co-products whose credit is reported separately
        (``report_credit_separately``) with their substitution. Off for the footprint, where
        such a co-product is left out and its process's whole burden stays with the product;
        on only to compute the credit as the difference.

    Raises :class:`IncompleteActivityData` (with every error finding) and the unit errors of
    :mod:`yuntan.units` naming the field.
    """
    method = ElectricityMethod(electricity_method or pack.electricity_headline_method)
    overrides = dict(factor_overrides or {})
    values, findings = _normalise(pack, data)
    findings += _findings(pack, values, variant)
    for field_id in overrides:
        if field_id not in {f.id for f in pack.fields if f.factor_dataset is not None}:
            findings.append(Finding(
                Severity.ERROR, "override-field", field_id,
                f"「{field_id}」不是使用排放因子的输入字段，不能指定因子。",
                f"{field_id!r} is not an input linked to a factor dataset; it takes no "
                f"override.",
            ))
    included = _included(pack, values)
    emissions, formula_findings = _formula_emissions(pack, values, included)
    findings += formula_findings
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise IncompleteActivityData(errors)

    chosen = pack.variant(variant)
    reference = pack.field(chosen.reference_field)
    dataset_stages: dict[str, str] = {}
    carriers: dict[str, Process] = {}
    processes = [
        _process(pack, spec, values, emissions.get(spec.id, ()), method, overrides,
                 dataset_stages, carriers, separate_credits)
        for spec in included
    ]
    processes += [carriers[key] for key in sorted(carriers)]
    declared = pack.declared_unit
    return CompiledStudy(
        pack_id=pack.id,
        pack_version=pack.version,
        variant=chosen.id,
        electricity_method=method,
        reference_product=str(reference.product),
        functional_unit=MappingProxyType({
            str(reference.product): declared.amount * conversion_factor(
                declared.unit, reference.unit, _where(pack, reference.id)),
        }),
        processes=tuple(processes),
        factor_dataset_ids=frozenset(dataset_stages),
        factor_dataset_stages=MappingProxyType(dataset_stages),
        findings=tuple(findings),
    )


def _formula_emissions(pack: RulePack, values: Mapping[str, float],
                       included: list[ProcessSpec]
                       ) -> tuple[dict[str, tuple[Emission, ...]], list[Finding]]:
    """Direct emissions of the included processes from the pack's formulas."""
    ureg = registry()
    included_ids = {p.id for p in included}
    fields = {f.id: f for f in pack.fields}
    emissions: dict[str, list[Emission]] = {}
    findings: list[Finding] = []
    for formula in pack.formulas:
        if formula.process not in included_ids:
            continue
        names = formula_names(formula.expression)
        absent = sorted(n for n in names if n not in values)
        if absent:
            # A required field that is absent is already an error; optional ones mean the
            # emission source is not reported (e.g. no lime applied).
            findings.append(Finding(
                Severity.INFO, "formula-skipped", None,
                f"公式「{formula.name_zh}」未计算：缺少 {', '.join(absent)}。",
                f"Formula {formula.name_en} not evaluated: {', '.join(absent)} not reported.",
            ))
            continue
        variables: dict[str, Any] = {
            n: ureg.Quantity(values[n], parse_unit(fields[n].unit)) for n in names
        }
        where = f"rule pack {pack.label}, formula {formula.id!r}"
        try:
            result = ureg.Quantity(evaluate(formula.expression, variables))
            amount = float(result.to(parse_unit(formula.unit)).magnitude)
        except FormulaError as exc:
            findings.append(Finding(
                Severity.ERROR, "formula-error", None,
                f"公式「{formula.name_zh}」无法计算：{exc}", f"{where}: {exc}",
            ))
            continue
        amount = check_finite(amount, where)
        if amount < 0:
            findings.append(Finding(
                Severity.ERROR, "formula-negative", None,
                f"公式「{formula.name_zh}」结果为负（{amount:g} {formula.unit}），请检查数据。",
                f"{where}: the result is negative ({amount:g} {formula.unit}); check the data.",
            ))
            continue
        emissions.setdefault(formula.process, []).append(
            Emission(gas=formula.gas, amount=amount, unit=formula.unit, origin=formula.origin)
        )
    return {k: tuple(v) for k, v in emissions.items()}, findings


def _process(pack: RulePack, spec: ProcessSpec, values: Mapping[str, float],
             formula_emissions: tuple[Emission, ...], method: ElectricityMethod,
             overrides: Mapping[str, str], dataset_stages: dict[str, str],
             carriers: dict[str, Process], separate_credits: bool = False) -> Process:
    fields = [f for f in pack.fields if f.process == spec.id and f.id in values
              and (separate_credits or not f.report_credit_separately)]
    rule = next((r for r in pack.allocation if r.process == spec.id), None)
    outputs: list[Output] = []
    inputs: list[Input] = []
    emissions: list[Emission] = []
    for kind_order in (FieldKind.OUTPUT, FieldKind.CO_PRODUCT):
        for f in (f for f in fields if f.kind is kind_order):
            outputs.append(_output(pack, f, values, rule))
    for f in fields:
        if f.kind is FieldKind.INPUT:
            if f.from_process is not None:
                provider = pack.output_field(f.from_process)
                inputs.append(Input(product=str(provider.product), amount=values[f.id],
                                    unit=f.unit, provider=f.from_process))
                continue
            dataset = overrides.get(f.id) or (
                f.market_based_factor_dataset
                if method is ElectricityMethod.MARKET_BASED and f.market_based_factor_dataset
                else f.mee_calibre_factor_dataset
                if method is ElectricityMethod.MEE_CALIBRE and f.mee_calibre_factor_dataset
                else f.factor_dataset
            )
            assert dataset is not None  # the schema requires one source per input
            dataset_stages.setdefault(dataset, f.stage)
            product = dataset
            if f.stage != spec.stage:
                # Reported under another stage (e.g. transport consumed by cultivation): route
                # it through a carrier process of that stage, so contributions by stage put
                # it there while the dataset itself stays untagged.
                product = stage_carrier_id(dataset, f.stage)
                carriers.setdefault(product, _carrier(dataset, f.stage, f.unit))
            inputs.append(Input(product=product, amount=values[f.id], unit=f.unit,
                                waste=f.waste))
        elif f.kind is FieldKind.EMISSION:
            assert f.gas is not None  # the schema requires a gas on emissions
            emissions.append(Emission(gas=f.gas, amount=values[f.id], unit=f.unit,
                                      origin=f.origin or Origin.FOSSIL))
    for output in outputs[1:]:
        if output.substitutes is not None:
            dataset_stages.setdefault(output.substitutes, spec.stage)
    return Process(
        id=spec.id,
        name=spec.name_zh,
        outputs=tuple(outputs),
        inputs=tuple(inputs),
        emissions=(*emissions, *formula_emissions),
        stage=spec.stage,
        allocation=rule.method if rule is not None and len(outputs) > 1 else None,
        primary=spec.primary,
    )


def stage_carrier_id(dataset: str, stage: str) -> str:
    """The id of the carrier process that puts ``dataset`` under ``stage``."""
    return f"{dataset}@{stage}"


def _carrier(dataset: str, stage: str, unit: str) -> Process:
    """A pass-through process of ``stage``: one unit of ``dataset`` in, one unit out."""
    product = stage_carrier_id(dataset, stage)
    return Process(
        id=product, name=product, stage=stage, primary=False,
        outputs=(Output(product=product, amount=1.0, unit=unit),),
        inputs=(Input(product=dataset, amount=1.0, unit=unit),),
    )


def _output(pack: RulePack, spec: FieldSpec, values: Mapping[str, float],
            rule: Any) -> Output:
    properties: dict[str, float] = {}
    factor: float | None = None
    if rule is not None and spec.id in rule.keys:
        key = pack.field(rule.keys[spec.id])
        where = _where(pack, key.id)
        value = values.get(key.id)
        if value is None:
            raise IncompleteActivityData([_missing(key, "（分摊依据）", " (allocation key)")])
        if rule.method is AllocationMethod.ECONOMIC:
            # price per unit of the output: key unit is per mass, e.g. 1/kg
            properties["price"] = value * conversion_factor(key.unit, f"1/({spec.unit})", where)
        elif rule.method is AllocationMethod.ENERGY:
            properties["energy_mj"] = value * conversion_factor(
                f"({key.unit})*({spec.unit})", "MJ", where)
        elif rule.method is AllocationMethod.EXPLICIT:
            factor = value
    return Output(
        product=str(spec.product), amount=values[spec.id], unit=spec.unit, name=spec.name_zh,
        properties=MappingProxyType(properties), allocation_factor=factor,
        substitutes=spec.substitutes,
    )
