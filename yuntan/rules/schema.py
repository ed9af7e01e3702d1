"""The rule pack schema (核算规则): a product category rule as validated, frozen data.

A pack says what is counted for one product category and how (GB/T 24067-2024 / ISO 14067:2018
clause 6.3 "goal and scope"; sector standards such as GB/T 44095 for electrolytic aluminium):
declared unit, system boundary, life-cycle stages, processes, the **data collection
specification** (one :class:`FieldSpec` per activity-data field), allocation, cut-off,
direct-emission formulas, the headline electricity method, the grading benchmark and the
standards followed.

Structure is checked by pydantic; the cross-references (a field's process exists, units have
the stated dimension, a formula reads only known fields and yields a mass, ...) are checked by
:func:`pack_problems`, which :func:`validate_pack` turns into one :class:`InvalidRulePack`
naming the pack, the place and the rule broken.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.gwp import Origin, gases
from yuntan.lca.model import AllocationMethod
from yuntan.rules.errors import FormulaError, InvalidRulePack, PackProblem
from yuntan.rules.formula import evaluate, formula_names
from yuntan.units import conversion_factor, parse_unit, registry

SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
IDENTIFIER = r"^[a-z][a-z0-9_]*$"  # field ids are formula names: lower snake case
SLUG = r"^[a-z0-9][a-z0-9-]*$"  # pack, stage, process ids
DATASET_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"  # factor dataset ids, e.g. ...-CN-YN


class FieldKind(StrEnum):
    """What an activity-data field becomes in the product system."""

    INPUT = "input"  # a product consumed: from a factor dataset or another process of the pack
    OUTPUT = "output"  # the reference product of its process (exactly one per process)
    CO_PRODUCT = "co_product"  # a further output, shared by the process's allocation rule
    EMISSION = "emission"  # a measured mass of one gas emitted directly
    PARAMETER = "parameter"  # a number read by formulas or allocation keys, not an exchange


class Dimension(StrEnum):
    """The kind of quantity a field holds; its unit must have this dimension."""

    MASS = "mass"
    ENERGY = "energy"
    VOLUME = "volume"
    NORMAL_VOLUME = "normal_volume"
    TRANSPORT = "transport"
    AREA = "area"
    COUNT = "count"
    TIME = "time"
    PER_MASS = "per_mass"  # e.g. a price in yuan per kg (the currency is not a pint unit)
    DIMENSIONLESS = "dimensionless"


# One unit of each dimension; a field's unit must convert to it.
DIMENSION_UNITS: Mapping[Dimension, str] = {
    Dimension.MASS: "kg",
    Dimension.ENERGY: "MJ",
    Dimension.VOLUME: "m3",
    Dimension.NORMAL_VOLUME: "Nm3",
    Dimension.TRANSPORT: "t*km",
    Dimension.AREA: "hectare",
    Dimension.COUNT: "piece",
    Dimension.TIME: "hour",
    Dimension.PER_MASS: "1/kg",
    Dimension.DIMENSIONLESS: "dimensionless",
}


class Evidence(StrEnum):
    """Documents a verifier can ask for to support one field (佐证材料)."""

    INVOICE = "invoice"
    METER_READING = "meter_reading"
    CERTIFICATE = "certificate"
    LAB_REPORT = "lab_report"
    CONTRACT = "contract"
    PRODUCTION_RECORD = "production_record"
    WEIGHBRIDGE_TICKET = "weighbridge_ticket"
    DELIVERY_NOTE = "delivery_note"
    FIELD_RECORD = "field_record"
    MEASUREMENT_REPORT = "measurement_report"
    GREEN_ELECTRICITY_CERTIFICATE = "green_electricity_certificate"
    SUPPLIER_DECLARATION = "supplier_declaration"
    SALES_RECORD = "sales_record"
    PURCHASE_RECORD = "purchase_record"
    LAND_USE_RECORD = "land_use_record"


class SystemBoundary(StrEnum):
    CRADLE_TO_GATE = "cradle_to_gate"
    # Cradle to gate plus distribution to the customer (a delivered flower): not cradle to
    # gate, and PACT has no name for it (written as Cradle-to-Gate with the distribution
    # stage named in boundaryProcessesDescription is wrong; see yuntan.pact.mapping).
    CRADLE_TO_CUSTOMER = "cradle_to_customer"
    CRADLE_TO_GRAVE = "cradle_to_grave"


class ElectricityMethod(StrEnum):
    """GHG Protocol Scope 2 terms; both are always computed, the pack picks the headline."""

    LOCATION_BASED = "location_based"
    MARKET_BASED = "market_based"
    # Location-based with the MEE/NBS CO2-only generation factor of the grid (the calibre of
    # the national ETS and the enterprise GHG guidelines) where a field names one; ISO 14067
    # asks for the life-cycle factor, which the other two methods use. Shown, never headline.
    MEE_CALIBRE = "mee_calibre"


class CutOffBasis(StrEnum):
    MASS = "mass"
    ENERGY = "energy"
    EMISSION = "emission"


class CutOffScope(StrEnum):
    PER_FLOW = "per_flow"  # one excluded flow may be at most the threshold
    CUMULATIVE = "cumulative"  # all excluded flows together


class PackModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Amount(PackModel):
    """An amount with its unit, e.g. the declared unit ``1 t``."""

    amount: float = Field(gt=0)
    unit: str = Field(min_length=1)
    label_zh: str = ""
    label_en: str = ""


class ProductCategory(PackModel):
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    cpc: tuple[str, ...] = ()  # UN Central Product Classification codes, where known
    hs: tuple[str, ...] = ()  # Harmonized System codes, where known
    codes_note: str = ""


class ProductVariant(PackModel):
    """A product the pack covers, named by the output field that is its reference flow
    (e.g. green or roasted coffee; MAP or DAP)."""

    id: str = Field(pattern=SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    reference_field: str
    note: str = ""
    # The variant's own boundary where it differs from the pack's (a delivered variant).
    system_boundary: SystemBoundary | None = None


class Stage(PackModel):
    id: str = Field(pattern=SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


class ProcessSpec(PackModel):
    """A unit process of the pack. ``range_basis`` is the amount of its reference product
    that plausible ranges of its fields refer to (for the final process, the declared unit).
    An ``optional`` process is part of a study only when its output field is reported."""

    id: str = Field(pattern=SLUG)
    stage: str
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    range_basis: Amount
    optional: bool = False
    primary: bool = True
    help_zh: str = ""
    help_en: str = ""


class RangeBound(PackModel):
    """One bound of a plausible range, with where it comes from. ``placeholder`` marks an
    engineering value still to be confirmed by the province (not a published statistic)."""

    value: float
    source: str = Field(min_length=1)
    placeholder: bool = False


class PlausibleRange(PackModel):
    """Validation bounds of a field, per ``range_basis`` of its process (parameters: of the
    value itself). Values outside give findings, never errors."""

    min: RangeBound | None = None
    max: RangeBound | None = None

    @property
    def placeholder(self) -> bool:
        return any(b is not None and b.placeholder for b in (self.min, self.max))


class FieldSpec(PackModel):
    """One activity-data field of the data collection specification (数据收集规范)."""

    id: str = Field(pattern=IDENTIFIER)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    stage: str
    process: str
    kind: FieldKind
    unit: str = Field(min_length=1)
    dimension: Dimension
    required: bool = True
    evidence: tuple[Evidence, ...] = ()
    range: PlausibleRange | None = None
    # outputs, co-products: the product id; inputs from another process: its product
    product: str | None = None
    # inputs: a default factor dataset id (checked against the factor database by the
    # platform), or the id of the pack process that provides the product
    factor_dataset: str | None = None
    market_based_factor_dataset: str | None = None
    mee_calibre_factor_dataset: str | None = None
    # Co-products that displace another product (exported steam): the credit is computed and
    # reported beside the footprint, never subtracted from it (ISO 14067 §6.4.6.3 reports
    # avoided emissions separately), so a credit can never turn a product net-negative.
    report_credit_separately: bool = False
    # Inputs whose emissions come from aircraft engines (air freight): reported separately
    # as ISO 14067 §6.4.9.2 and PACT ``aircraftGhgEmissions`` ask.
    aircraft: bool = False
    from_process: str | None = None
    waste: bool = False
    # co-products under system expansion: the factor dataset id the co-product displaces
    substitutes: str | None = None
    # emissions
    gas: str | None = None
    origin: Origin | None = None
    # parameters: a default used when the enterprise reports none, with its source
    default: float | None = None
    default_source: str = ""
    help_zh: str = ""
    help_en: str = ""


class AllocationRule(PackModel):
    """How a multi-output process shares its burdens (GB/T 24067-2024 / ISO 14067 6.4.6).

    ``keys`` map each output or co-product field to the parameter field that holds its key:
    price per unit for economic, energy per unit (MJ) for energy when the unit is not
    energy, the factor itself for explicit. Mass needs none (units convert to kg).
    """

    process: str
    method: AllocationMethod
    justification_zh: str = Field(min_length=1)
    justification_en: str = Field(min_length=1)
    standard: str = Field(min_length=1)
    keys: Mapping[str, str] = Field(default_factory=dict)


class CutOffCriterion(PackModel):
    """A cut-off criterion; ``placeholder`` when the threshold is not fixed by a public
    source (then ``threshold_percent`` is absent and the note says who sets it)."""

    id: str = Field(pattern=SLUG)
    basis: CutOffBasis
    scope: CutOffScope
    threshold_percent: float | None = Field(default=None, gt=0, le=100)
    standard: str = Field(min_length=1)
    placeholder: bool = False
    note_zh: str = ""
    note_en: str = ""


class Exclusion(PackModel):
    """A process the pack's boundary leaves out (ISO 14067 §6.3.4.3: cut-offs documented),
    with the published estimate of its share of the footprint that justifies leaving it out."""

    id: str = Field(pattern=SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    estimated_share_percent: float = Field(ge=0, le=100)
    source: str = Field(min_length=1)


class DirectEmissionFormula(PackModel):
    """A direct emission computed from fields, e.g. anode CO2 from net carbon consumption.

    ``expression`` is evaluated with each field in its own unit (pint quantities) and the
    result converted to ``unit``, a mass of ``gas``.
    """

    id: str = Field(pattern=SLUG)
    process: str
    gas: str
    origin: Origin = Origin.FOSSIL
    unit: str = "kg"
    expression: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    derivation: str = Field(min_length=1)
    standard: str = Field(min_length=1)


class PublishedRange(PackModel):
    """The range of published footprints of the product (same boundary), for the
    plausibility cross-check: a footprint below it suggests something is missing."""

    variant: str | None = None  # the variant it applies to (default: every variant)
    min_kg_co2e_per_declared_unit: float = Field(gt=0)
    max_kg_co2e_per_declared_unit: float = Field(gt=0)
    source: str = Field(min_length=1)


class GradeLevel(PackModel):
    """One level of graded management (分级管理): footprints at or below the upper bound."""

    id: str = Field(pattern=SLUG)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    upper_bound_kg_co2e_per_declared_unit: float | None = Field(default=None, gt=0)
    placeholder: bool = False


class Grading(PackModel):
    """Benchmark and thresholds for graded management. No official values are public for
    the shipped categories, so they are placeholders: levels without numbers, flagged."""

    benchmark_kg_co2e_per_declared_unit: float | None = Field(default=None, gt=0)
    benchmark_source: str = ""
    placeholder: bool
    levels: tuple[GradeLevel, ...] = ()
    note_zh: str = ""
    note_en: str = ""


class StandardRef(PackModel):
    code: str = Field(min_length=1)
    title_zh: str = ""
    title_en: str = ""
    role: str = Field(pattern=r"^(general|sector|method)$")
    note: str = ""


class RulePack(PackModel):
    """A product category rule pack, versioned (semver) and immutable once published."""

    id: str = Field(pattern=SLUG)
    version: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description_zh: str = ""
    description_en: str = ""
    product_category: ProductCategory
    declared_unit: Amount
    reporting_units: tuple[Amount, ...] = ()
    system_boundary: SystemBoundary
    variants: tuple[ProductVariant, ...] = Field(min_length=1)
    stages: tuple[Stage, ...] = Field(min_length=1)
    processes: tuple[ProcessSpec, ...] = Field(min_length=1)
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    allocation: tuple[AllocationRule, ...] = ()
    cut_off: tuple[CutOffCriterion, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    published_ranges: tuple[PublishedRange, ...] = ()
    formulas: tuple[DirectEmissionFormula, ...] = ()
    electricity_headline_method: ElectricityMethod
    grading: Grading
    standards: tuple[StandardRef, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems = pack_problems(self)
        if problems:
            raise _PackProblems(problems)
        return self

    @property
    def label(self) -> str:
        return f"{self.id!r} {self.version}"

    def field(self, field_id: str) -> FieldSpec:
        return {f.id: f for f in self.fields}[field_id]

    def process(self, process_id: str) -> ProcessSpec:
        return {p.id: p for p in self.processes}[process_id]

    def variant(self, variant_id: str | None = None) -> ProductVariant:
        """The variant called ``variant_id``, or the first (default) one."""
        if variant_id is None:
            return self.variants[0]
        return {v.id: v for v in self.variants}[variant_id]

    def boundary(self, variant_id: str | None = None) -> SystemBoundary:
        """The system boundary of a variant (its own, else the pack's)."""
        return self.variant(variant_id).system_boundary or self.system_boundary

    @property
    def exempted_percent(self) -> float:
        """The estimated share of the footprint the excluded processes would add."""
        return sum(e.estimated_share_percent for e in self.exclusions)

    def output_field(self, process_id: str) -> FieldSpec:
        return next(
            f for f in self.fields if f.process == process_id and f.kind is FieldKind.OUTPUT
        )

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Every flagged placeholder of the pack, as a readable path."""
        found = [
            f"field {f.id!r} range {side}"
            for f in self.fields
            if f.range is not None
            for side, bound in (("min", f.range.min), ("max", f.range.max))
            if bound is not None and bound.placeholder
        ]
        found += [f"cut-off {c.id!r}" for c in self.cut_off if c.placeholder]
        found += [f"grading level {g.id!r}" for g in self.grading.levels if g.placeholder]
        if self.grading.placeholder:
            found.append("grading benchmark")
        return tuple(found)


class _PackProblems(ValueError):
    """Carries the problems of a pack out of pydantic's validation (kept in the error ctx)."""

    def __init__(self, problems: list[PackProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _dimension_problem(unit: str, dimension: Dimension) -> str | None:
    try:
        conversion_factor(unit, DIMENSION_UNITS[dimension])
    except UnknownUnit as exc:
        return f"unit-unknown: {exc}"
    except DimensionMismatch:
        return (
            f"unit-dimension: unit {unit!r} is not a {dimension.value} unit "
            f"(like {DIMENSION_UNITS[dimension]!r}); fix the unit or the dimension."
        )
    return None


def pack_problems(pack: RulePack) -> list[PackProblem]:
    """Every cross-reference rule ``pack`` breaks (empty when it is consistent)."""
    problems: list[PackProblem] = []

    def problem(where: str, rule: str, message: str) -> None:
        problems.append(PackProblem(pack.label, where, rule, message))

    if not SEMVER.match(pack.version):
        problem("version", "semver",
                f"{pack.version!r} is not a semantic version; write MAJOR.MINOR.PATCH, e.g. "
                f"1.0.0 (raise MAJOR when results can change).")
    variant_ids = {v.id for v in pack.variants}
    for published in pack.published_ranges:
        if published.variant is not None and published.variant not in variant_ids:
            problem("published_ranges", "variant", f"no variant {published.variant!r}.")
        if published.min_kg_co2e_per_declared_unit > published.max_kg_co2e_per_declared_unit:
            problem("published_ranges", "range-order", "min is above max.")
    if pack.electricity_headline_method is ElectricityMethod.MEE_CALIBRE:
        problem("electricity_headline_method", "headline-method",
                "the MEE calibre (CO2-only grid factors) is shown beside the result, never "
                "its headline: ISO 14067 asks for life-cycle factors.")

    for what, items in (
        ("stage", pack.stages), ("process", pack.processes), ("field", pack.fields),
        ("formula", pack.formulas), ("variant", pack.variants), ("cut-off", pack.cut_off),
        ("grading level", pack.grading.levels),
    ):
        for item_id, count in Counter(i.id for i in items).items():
            if count > 1:
                problem(f"{what} {item_id!r}", "unique-id", f"the id is used {count} times.")

    for unit_where, amount in (("declared_unit", pack.declared_unit),
                               *(("reporting_units", u) for u in pack.reporting_units)):
        try:
            parse_unit(amount.unit)
        except UnknownUnit as exc:
            problem(unit_where, "unit-unknown", str(exc))

    stages = {s.id for s in pack.stages}
    processes = {p.id: p for p in pack.processes}
    fields = {f.id: f for f in pack.fields}
    gas_names = set(gases())

    for process in pack.processes:
        where = f"process {process.id!r}"
        if process.stage not in stages:
            problem(where, "unknown-stage",
                    f"stage {process.stage!r} is not one of {sorted(stages)}.")
        outputs = [f for f in pack.fields if f.process == process.id and f.kind is FieldKind.OUTPUT]
        if len(outputs) != 1:
            problem(where, "one-output-per-process",
                    f"a process needs exactly one output field, found {len(outputs)}.")
        elif (issue := _basis_problem(outputs[0], process)) is not None:
            problem(where, "range-basis", issue)

    for spec in pack.fields:
        _field_problems(spec, pack, stages, processes, fields, gas_names, problem)

    _allocation_problems(pack, processes, fields, problem)
    _formula_problems(pack, processes, fields, gas_names, problem)

    for variant in pack.variants:
        where = f"variant {variant.id!r}"
        reference = fields.get(variant.reference_field)
        if reference is None or reference.kind is not FieldKind.OUTPUT:
            problem(where, "variant-reference",
                    f"reference_field {variant.reference_field!r} must be an output field.")
            continue
        final = processes.get(reference.process)
        if final is not None:
            basis = final.range_basis
            try:
                same = conversion_factor(basis.unit, pack.declared_unit.unit) * basis.amount
            except (UnknownUnit, DimensionMismatch) as exc:
                problem(where, "declared-unit", str(exc))
            else:
                if abs(same - pack.declared_unit.amount) > 1e-9 * pack.declared_unit.amount:
                    problem(where, "declared-unit",
                            f"the range basis of process {final.id!r} ({basis.amount:g} "
                            f"{basis.unit}) must equal the declared unit "
                            f"({pack.declared_unit.amount:g} {pack.declared_unit.unit}).")

    for criterion in pack.cut_off:
        if criterion.placeholder == (criterion.threshold_percent is not None):
            problem(f"cut-off {criterion.id!r}", "placeholder-flag",
                    "give threshold_percent with placeholder = false, or no threshold with "
                    "placeholder = true and a note saying who sets it.")
    grading = pack.grading
    if grading.placeholder == (grading.benchmark_kg_co2e_per_declared_unit is not None):
        problem("grading", "placeholder-flag",
                "give the benchmark with its source and placeholder = false, or no benchmark "
                "with placeholder = true.")
    if not grading.placeholder and not grading.benchmark_source:
        problem("grading", "benchmark-source", "a benchmark needs its benchmark_source.")
    for level in grading.levels:
        if level.placeholder == (level.upper_bound_kg_co2e_per_declared_unit is not None):
            problem(f"grading level {level.id!r}", "placeholder-flag",
                    "give upper_bound_kg_co2e_per_declared_unit with placeholder = false, or "
                    "no bound with placeholder = true.")
    return problems


def _basis_problem(output: FieldSpec, process: ProcessSpec) -> str | None:
    try:
        conversion_factor(output.unit, process.range_basis.unit)
    except (UnknownUnit, DimensionMismatch) as exc:
        return f"range_basis unit {process.range_basis.unit!r} must fit the output unit: {exc}"
    return None


def _field_problems(spec: FieldSpec, pack: RulePack, stages: set[str],
                    processes: Mapping[str, ProcessSpec], fields: Mapping[str, FieldSpec],
                    gas_names: set[str], problem: Any) -> None:
    where = f"field {spec.id!r}"
    process = processes.get(spec.process)
    if process is None:
        problem(where, "unknown-process", f"process {spec.process!r} is not in the pack.")
    if spec.stage not in stages:
        problem(where, "unknown-stage", f"stage {spec.stage!r} is not one of {sorted(stages)}.")
    elif process is not None and spec.stage != process.stage and not (
        spec.kind is FieldKind.INPUT and spec.factor_dataset is not None
    ):
        # Only inputs from factor datasets may sit in another stage: the platform gives the
        # dataset that stage. Everything else belongs to its process's stage.
        problem(where, "stage-mismatch",
                f"stage {spec.stage!r} differs from the stage {process.stage!r} of process "
                f"{process.id!r}; only inputs from factor datasets may differ.")
    issue = _dimension_problem(spec.unit, spec.dimension)
    if issue is not None:
        rule, _, message = issue.partition(": ")
        problem(where, rule, message)
    if spec.range is not None:
        low, high = spec.range.min, spec.range.max
        if low is None and high is None:
            problem(where, "range-empty", "a range needs min, max or both.")
        if low is not None and high is not None and low.value > high.value:
            problem(where, "range-order", f"min {low.value:g} is above max {high.value:g}.")
        if spec.kind is FieldKind.OUTPUT:
            problem(where, "range-output",
                    "an output field is the basis of the ranges; it has no range itself.")

    kind = spec.kind
    link = (spec.factor_dataset, spec.from_process)
    if kind is FieldKind.INPUT:
        if (link[0] is None) == (link[1] is None):
            problem(where, "input-source",
                    "an input needs exactly one of factor_dataset or from_process.")
        for dataset in (spec.factor_dataset, spec.market_based_factor_dataset,
                        spec.mee_calibre_factor_dataset):
            if dataset is not None and not re.match(DATASET_ID, dataset):
                problem(where, "factor-dataset-id", f"{dataset!r} is not a dataset id.")
        if spec.from_process is not None:
            provider = processes.get(spec.from_process)
            if provider is None or provider.id == spec.process:
                problem(where, "from-process",
                        f"from_process {spec.from_process!r} must be another process of "
                        f"the pack.")
            elif (spec.market_based_factor_dataset, spec.mee_calibre_factor_dataset) != (
                    None, None):
                problem(where, "input-source", "market-based and MEE-calibre datasets apply "
                                               "only to factor-dataset inputs.")
    elif any(v is not None for v in (*link, spec.market_based_factor_dataset,
                                     spec.mee_calibre_factor_dataset)):
        problem(where, "input-source", "only input fields link to datasets or processes.")
    if kind in (FieldKind.OUTPUT, FieldKind.CO_PRODUCT) and not spec.product:
        problem(where, "product-id", "outputs and co-products need a product id.")
    if kind in (FieldKind.OUTPUT, FieldKind.CO_PRODUCT) and spec.dimension is Dimension.PER_MASS:
        problem(where, "unit-dimension", "a product is not measured per mass.")
    if kind is FieldKind.OUTPUT and not spec.required:
        problem(where, "output-required", "the output of a process is always required.")
    if spec.substitutes is not None and kind is not FieldKind.CO_PRODUCT:
        problem(where, "substitutes", "only co-products displace other products.")
    if spec.report_credit_separately and spec.substitutes is None:
        problem(where, "credit", "only a co-product that displaces another product has a "
                                 "credit to report separately.")
    if spec.aircraft and (kind is not FieldKind.INPUT or spec.factor_dataset is None):
        problem(where, "aircraft", "only an input linked to a factor dataset (air freight) "
                                   "is an aircraft emission.")
    if kind is FieldKind.EMISSION:
        if spec.gas not in gas_names:
            problem(where, "unknown-gas",
                    f"gas {spec.gas!r} is not one of {', '.join(sorted(gas_names))}.")
        if spec.dimension is not Dimension.MASS:
            problem(where, "unit-dimension", "an emission is a mass of gas.")
    elif spec.gas is not None or spec.origin is not None:
        problem(where, "unknown-gas", "only emission fields name a gas and origin.")
    if spec.default is not None:
        if kind is not FieldKind.PARAMETER:
            problem(where, "default", "only parameters have a default value.")
        if not spec.default_source:
            problem(where, "default-source",
                    "a default value needs its source (document, table, clause).")
    if kind is FieldKind.INPUT and spec.waste and spec.from_process is not None:
        problem(where, "waste", "waste goes to a treatment factor dataset.")


def _allocation_problems(pack: RulePack, processes: Mapping[str, ProcessSpec],
                         fields: Mapping[str, FieldSpec], problem: Any) -> None:
    rules = {r.process: r for r in pack.allocation}
    for rule in pack.allocation:
        where = f"allocation of process {rule.process!r}"
        if rule.process not in processes:
            problem(where, "unknown-process", "the process is not in the pack.")
            continue
        outputs = [f for f in pack.fields if f.process == rule.process
                   and f.kind in (FieldKind.OUTPUT, FieldKind.CO_PRODUCT)]
        if len(outputs) < 2:
            problem(where, "allocation-needless", "the process has no co-product.")
        for output_id, key_id in rule.keys.items():
            key = fields.get(key_id)
            if output_id not in {f.id for f in outputs}:
                problem(where, "allocation-key",
                        f"{output_id!r} is not an output or co-product of the process.")
            if key is None or key.kind is not FieldKind.PARAMETER:
                problem(where, "allocation-key", f"key {key_id!r} must be a parameter field.")
        needs_keys = {AllocationMethod.ECONOMIC, AllocationMethod.EXPLICIT}
        if rule.method in needs_keys and set(rule.keys) != {f.id for f in outputs}:
            problem(where, "allocation-key",
                    f"{rule.method.value} allocation needs a key for every output and "
                    f"co-product.")
        if rule.method is AllocationMethod.SUBSTITUTION:
            for co_product in outputs[1:]:
                if co_product.substitutes is None:
                    problem(f"field {co_product.id!r}", "substitutes",
                            "system expansion needs the dataset the co-product displaces.")
    for spec in pack.fields:
        if spec.kind is FieldKind.CO_PRODUCT and spec.process not in rules:
            problem(f"field {spec.id!r}", "allocation-missing",
                    f"process {spec.process!r} has a co-product but no allocation rule.")


def _formula_problems(pack: RulePack, processes: Mapping[str, ProcessSpec],
                      fields: Mapping[str, FieldSpec], gas_names: set[str],
                      problem: Any) -> None:
    ureg = registry()
    for formula in pack.formulas:
        where = f"formula {formula.id!r}"
        if formula.process not in processes:
            problem(where, "unknown-process", f"process {formula.process!r} is not in the pack.")
        if formula.gas not in gas_names:
            problem(where, "unknown-gas", f"gas {formula.gas!r} is not known.")
        try:
            names = formula_names(formula.expression)
        except FormulaError as exc:
            problem(where, "formula-syntax", str(exc))
            continue
        unknown = sorted(n for n in names if n not in fields)
        if unknown:
            problem(where, "formula-name", f"{', '.join(unknown)} are not field ids.")
            continue
        issue = _dimension_problem(formula.unit, Dimension.MASS)
        if issue is not None:
            problem(where, "formula-unit", issue)
            continue
        probe = {n: ureg.Quantity(1.0, parse_unit(fields[n].unit)) for n in names}
        try:
            result = evaluate(formula.expression, probe)
            ureg.Quantity(result).to(parse_unit(formula.unit))
        except (FormulaError, ValueError, TypeError) as exc:
            problem(where, "formula-dimension",
                    f"{formula.expression!r} does not give a mass in {formula.unit!r} with "
                    f"the fields' units: {exc}")


def validate_pack(document: Mapping[str, Any]) -> RulePack:
    """Validate a parsed pack document; raise :class:`InvalidRulePack` with every problem."""
    try:
        return RulePack.model_validate(document)
    except ValidationError as exc:
        raise InvalidRulePack(_problems_of(exc, document)) from None


def _problems_of(exc: ValidationError, document: Mapping[str, Any]) -> list[PackProblem]:
    label = f"{document.get('id', '?')!r} {document.get('version', '?')}"
    problems: list[PackProblem] = []
    for error in exc.errors():
        found = error.get("ctx", {}).get("error")
        if isinstance(found, _PackProblems):
            problems.extend(found.problems)
            continue
        problems.append(PackProblem(label, _where(error["loc"], document), error["type"],
                                    error["msg"]))
    return problems


def _where(loc: tuple[int | str, ...], document: Mapping[str, Any]) -> str:
    """``('fields', 3, 'unit')`` → ``"field 'alumina' (fields[3]), unit"``."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        items = document.get(str(loc[0]), [])
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else {}
        name = str(loc[0]).rstrip("s") if loc[0] != "processes" else "process"
        item_id = item.get("id", item.get("process", "?")) if isinstance(item, dict) else "?"
        head = f"{name} {item_id!r} ({loc[0]}[{loc[1]}])"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{head}, {rest}" if rest else head
    return ".".join(str(p) for p in loc) or "pack"
