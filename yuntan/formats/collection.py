"""The data collection form of a rule pack (数据收集表), whatever carries it (pure).

The web form (``yuntan.platform.rulepacks.forms``) and the Excel template
(``yuntan.formats.excel``) both show a pack's fields stage by stage with the same labels,
requirement, accepted units and plausible range, and both check what was entered with
:func:`check_entries`, so the same activity data gives the same result through either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.rules import (
    ActivityData,
    Dimension,
    Evidence,
    FieldKind,
    FieldSpec,
    Finding,
    RulePack,
    Severity,
    SystemBoundary,
    check_activity_data,
)
from yuntan.rules.schema import ProcessSpec, Stage
from yuntan.units import conversion_factor

# (Chinese, English) labels of the schema's enumerations, for forms, templates and pages.
EVIDENCE_LABELS: Mapping[Evidence, tuple[str, str]] = {
    Evidence.INVOICE: ("发票", "invoice"),
    Evidence.METER_READING: ("计量表读数", "meter reading"),
    Evidence.CERTIFICATE: ("证书", "certificate"),
    Evidence.LAB_REPORT: ("检测报告", "laboratory report"),
    Evidence.CONTRACT: ("合同", "contract"),
    Evidence.PRODUCTION_RECORD: ("生产记录", "production record"),
    Evidence.WEIGHBRIDGE_TICKET: ("地磅单", "weighbridge ticket"),
    Evidence.DELIVERY_NOTE: ("送货单", "delivery note"),
    Evidence.FIELD_RECORD: ("田间记录", "field record"),
    Evidence.MEASUREMENT_REPORT: ("监测报告", "measurement report"),
    Evidence.GREEN_ELECTRICITY_CERTIFICATE: ("绿色电力证书", "green electricity certificate"),
    Evidence.SUPPLIER_DECLARATION: ("供应商声明", "supplier declaration"),
    Evidence.SALES_RECORD: ("销售记录", "sales record"),
    Evidence.PURCHASE_RECORD: ("采购记录", "purchase record"),
    Evidence.LAND_USE_RECORD: ("土地利用记录", "land-use record"),
}
KIND_LABELS: Mapping[FieldKind, tuple[str, str]] = {
    FieldKind.INPUT: ("输入", "input"),
    FieldKind.OUTPUT: ("产出", "output"),
    FieldKind.CO_PRODUCT: ("联产品", "co-product"),
    FieldKind.EMISSION: ("直接排放", "direct emission"),
    FieldKind.PARAMETER: ("参数", "parameter"),
}
DIMENSION_LABELS: Mapping[Dimension, tuple[str, str]] = {
    Dimension.MASS: ("质量", "mass"),
    Dimension.ENERGY: ("能量", "energy"),
    Dimension.VOLUME: ("体积", "volume"),
    Dimension.NORMAL_VOLUME: ("标准状态体积", "normal volume"),
    Dimension.TRANSPORT: ("货物周转量", "transport work"),
    Dimension.AREA: ("面积", "area"),
    Dimension.COUNT: ("数量", "count"),
    Dimension.TIME: ("时间", "time"),
    Dimension.PER_MASS: ("每单位质量", "per mass"),
    Dimension.DIMENSIONLESS: ("无量纲", "dimensionless"),
}
BOUNDARY_LABELS: Mapping[SystemBoundary, tuple[str, str]] = {
    SystemBoundary.CRADLE_TO_GATE: ("从摇篮到大门", "cradle to gate"),
    SystemBoundary.CRADLE_TO_CUSTOMER: ("从摇篮到客户（含配送）",
                                        "cradle to customer (delivery included)"),
    SystemBoundary.CRADLE_TO_GRAVE: ("从摇篮到坟墓", "cradle to grave"),
}

# The units offered for each dimension (all known to yuntan/units.py), most usual first.
# A field whose own unit is not among them (e.g. minute/day) is offered only its own unit:
# any other unit of a composite quantity would be correct but confusing.
UNIT_CHOICES: Mapping[Dimension, tuple[str, ...]] = {
    Dimension.MASS: ("kg", "t", "g", "吨", "千克", "公斤"),
    Dimension.ENERGY: ("kWh", "MWh", "万千瓦时", "度", "MJ", "GJ", "tce", "kgce"),
    Dimension.VOLUME: ("m3", "L", "立方米"),
    Dimension.NORMAL_VOLUME: ("Nm3", "万Nm3"),
    Dimension.TRANSPORT: ("t*km", "吨公里"),
    Dimension.AREA: ("hectare", "公顷", "亩"),
    Dimension.COUNT: ("piece", "件", "个"),
    Dimension.TIME: ("hour", "day", "minute"),
    Dimension.PER_MASS: ("1/kg", "1/t"),
    Dimension.DIMENSIONLESS: ("dimensionless", "percent"),
}


class Requirement(StrEnum):
    """Whether a field must be reported, for one variant of the pack."""

    REQUIRED = "required"
    # Required once its optional process is reported (e.g. roasting for green coffee).
    REQUIRED_IF_PROCESS = "required_if_process"
    DEFAULTED = "defaulted"  # the pack's default value applies when none is reported
    OPTIONAL = "optional"


REQUIREMENT_LABELS: Mapping[Requirement, tuple[str, str]] = {
    Requirement.REQUIRED: ("必填", "required"),
    Requirement.REQUIRED_IF_PROCESS: ("填报该过程时必填", "required if its process is reported"),
    Requirement.DEFAULTED: ("可选（有缺省值）", "optional (has a default)"),
    Requirement.OPTIONAL: ("可选", "optional"),
}


@dataclass(frozen=True)
class CollectionField:
    """One field as the enterprise sees it on a form or template."""

    spec: FieldSpec
    process: ProcessSpec
    requirement: Requirement
    units: tuple[str, ...]  # the field's unit first, then the accepted alternatives

    @property
    def range_text(self) -> str:
        """The plausible range with its basis, e.g. ``1.85 – 2 t / 1 t``; empty if none."""
        limits = self.spec.range
        if limits is None:
            return ""
        low = f"{limits.min.value:g}" if limits.min is not None else "…"
        high = f"{limits.max.value:g}" if limits.max is not None else "…"
        text = f"{low} – {high} {self.spec.unit}"
        if self.spec.kind is not FieldKind.PARAMETER:
            basis = self.process.range_basis
            text += f" / {basis.amount:g} {basis.unit}"
        return text

    @property
    def range_placeholder(self) -> bool:
        return self.spec.range is not None and self.spec.range.placeholder

    @property
    def range_sources(self) -> tuple[str, ...]:
        limits = self.spec.range
        if limits is None:
            return ()
        return tuple(dict.fromkeys(b.source for b in (limits.min, limits.max) if b is not None))

    @property
    def factor_dataset(self) -> str:
        return self.spec.factor_dataset or ""


@dataclass(frozen=True)
class CollectionStage:
    stage: Stage
    fields: tuple[CollectionField, ...]


def accepted_units(spec: FieldSpec) -> tuple[str, ...]:
    """The units offered for ``spec``: its own unit first, then the others of its dimension."""
    offered = UNIT_CHOICES[spec.dimension]
    if spec.unit not in offered:
        return (spec.unit,)
    return (spec.unit, *(u for u in offered if u != spec.unit))


def requirement(pack: RulePack, spec: FieldSpec, variant: str | None = None) -> Requirement:
    """How :func:`yuntan.rules.check_activity_data` treats a missing ``spec`` for ``variant``."""
    if spec.default is not None:
        return Requirement.DEFAULTED
    if not spec.required:
        return Requirement.OPTIONAL
    process = pack.process(spec.process)
    final = pack.field(pack.variant(variant).reference_field).process
    if process.optional and process.id != final:
        return Requirement.REQUIRED_IF_PROCESS
    return Requirement.REQUIRED


def collection_stages(pack: RulePack, variant: str | None = None) -> tuple[CollectionStage, ...]:
    """The pack's fields grouped by stage, in the pack's order; stages without fields left out."""
    pack.variant(variant)  # KeyError for an unknown variant, before anything is built
    stages = []
    for stage in pack.stages:
        fields = tuple(
            CollectionField(spec, pack.process(spec.process), requirement(pack, spec, variant),
                            accepted_units(spec))
            for spec in pack.fields if spec.stage == stage.id
        )
        if fields:
            stages.append(CollectionStage(stage, fields))
    return tuple(stages)


@dataclass(frozen=True)
class PlaceholderLabel:
    """One entry of :attr:`RulePack.placeholders` (``code``) said for people."""

    code: str
    label_zh: str
    label_en: str


def placeholder_labels(pack: RulePack) -> tuple[PlaceholderLabel, ...]:
    """Every placeholder of ``pack``, in the order and with the codes of its ``placeholders``."""
    found: list[PlaceholderLabel] = []
    for spec in pack.fields:
        if spec.range is None:
            continue
        for side, side_zh, side_en, bound in (("min", "下限", "minimum", spec.range.min),
                                              ("max", "上限", "maximum", spec.range.max)):
            if bound is not None and bound.placeholder:
                found.append(PlaceholderLabel(
                    f"field {spec.id!r} range {side}",
                    f"「{spec.name_zh}」（{spec.id}）合理范围{side_zh} {bound.value:g}",
                    f"{spec.name_en} ({spec.id}): plausible range {side_en} {bound.value:g}"))
    found += [PlaceholderLabel(f"cut-off {c.id!r}", f"取舍准则 {c.id}：阈值待定",
                               f"cut-off {c.id}: threshold to be set")
              for c in pack.cut_off if c.placeholder]
    found += [PlaceholderLabel(f"grading level {g.id!r}", f"分级「{g.name_zh}」的上限待定",
                               f"grade level {g.name_en}: upper bound to be set")
              for g in pack.grading.levels if g.placeholder]
    if pack.grading.placeholder:
        found.append(PlaceholderLabel("grading benchmark", "分级基准值待定",
                                      "grading benchmark to be set"))
    return tuple(found)


class Column(StrEnum):
    """Which of a field's two entries a problem is about."""

    VALUE = "value"
    UNIT = "unit"


@dataclass(frozen=True)
class EntryProblem:
    """Something wrong with what was entered for one field: the rule broken, in both
    languages. ``field`` is None only for a problem of the whole entry set."""

    field: str | None
    column: Column
    rule: str
    message_zh: str
    message_en: str


def parse_entry(spec: FieldSpec, value: object, unit: object
                ) -> tuple[float, str] | EntryProblem | None:
    """``(amount, unit)`` of one field as entered, an :class:`EntryProblem`, or None when
    nothing was entered (an empty value; the unit alone does not count)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    elif isinstance(value, str):
        try:
            amount = float(value.strip())
        except ValueError:
            amount = None
    if amount is None or not math.isfinite(amount):
        return EntryProblem(spec.id, Column.VALUE, "not-a-number",
                            f"「{spec.name_zh}」的数值 {value!s} 不是有限的数字。",
                            f"{spec.name_en}: {value!s} is not a finite number.")
    if amount < 0:
        return EntryProblem(spec.id, Column.VALUE, "negative-amount",
                            f"「{spec.name_zh}」不能为负数（{amount:g}）。",
                            f"{spec.name_en} cannot be negative ({amount:g}).")
    text = "" if unit is None else str(unit).strip()
    if not text:
        return EntryProblem(spec.id, Column.UNIT, "unit-missing",
                            f"「{spec.name_zh}」有数值但没有单位；请选择单位（如 {spec.unit}）。",
                            f"{spec.name_en} has a value but no unit; pick one (e.g. "
                            f"{spec.unit}).")
    try:
        conversion_factor(text, spec.unit)
    except UnknownUnit:
        return EntryProblem(spec.id, Column.UNIT, "unit-unknown",
                            f"「{spec.name_zh}」的单位「{text}」无法识别；可用："
                            f"{'、'.join(accepted_units(spec))}。",
                            f"{spec.name_en}: unknown unit {text!r}; use one of "
                            f"{', '.join(accepted_units(spec))}.")
    except DimensionMismatch:
        return EntryProblem(spec.id, Column.UNIT, "unit-dimension",
                            f"「{spec.name_zh}」的单位「{text}」与 {spec.unit} 的量纲不同；"
                            f"可用：{'、'.join(accepted_units(spec))}。",
                            f"{spec.name_en}: unit {text!r} is not of the same kind as "
                            f"{spec.unit}; use one of {', '.join(accepted_units(spec))}.")
    return amount, text


@dataclass(frozen=True)
class CheckedEntries:
    """The activity data that was entered, the problems that stop it, and the findings
    (warnings such as out-of-range values, for the verifier) when there are none."""

    activity_data: ActivityData
    problems: tuple[EntryProblem, ...]
    findings: tuple[Finding, ...]


def check_entries(pack: RulePack, entries: Mapping[str, tuple[object, object]],
                  variant: str | None = None) -> CheckedEntries:
    """Parse ``{field_id: (value, unit)}`` as entered and check it against ``pack``.

    Every problem is collected: each entry's own (not a number, negative, unit) and then the
    error findings of :func:`yuntan.rules.check_activity_data` on the entries that parsed
    (required fields missing, zero outputs, ...), except for fields already in trouble.
    With problems, ``activity_data`` is empty: nothing partial is handed on.
    """
    fields = {f.id: f for f in pack.fields}
    data: dict[str, tuple[float, str]] = {}
    problems: list[EntryProblem] = []
    for field_id, (value, unit) in entries.items():
        spec = fields.get(field_id)
        if spec is None:
            problems.append(EntryProblem(
                field_id, Column.VALUE, "unknown-field",
                f"「{field_id}」不是核算规则 {pack.label} 的字段。",
                f"{field_id!r} is not a field of rule pack {pack.label}."))
            continue
        parsed = parse_entry(spec, value, unit)
        if isinstance(parsed, EntryProblem):
            problems.append(parsed)
        elif parsed is not None:
            data[field_id] = parsed
    troubled = {p.field for p in problems}
    findings = check_activity_data(pack, data, variant)
    for finding in findings:
        if finding.severity is Severity.ERROR and finding.field not in troubled:
            problems.append(EntryProblem(finding.field, Column.VALUE, finding.rule,
                                         finding.message_zh, finding.message_en))
    if problems:
        return CheckedEntries({}, tuple(problems), ())
    return CheckedEntries(data, (), tuple(findings))
