"""One study's footprint from its exact inputs (pure: no Django, no database).

:class:`StudyInputs` holds everything a result depends on: the rule pack id and version,
the product variant, the activity data, the factor datasets with the pinned version and
values of each, and the GWP set. :func:`compute` turns them into a :class:`StudyOutcome`:
the footprint under the location-based and the market-based electricity method (the pack
names the headline), the grade under the pack's benchmark, the placeholders it rests on and
the findings. The same inputs always give the same numbers: the platform stores
:meth:`StudyInputs.canonical_json` beside the outcome and can recompute it at any time.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yuntan import __version__
from yuntan.gwp import Origin
from yuntan.lca import (
    Emission,
    FactorDataset,
    FootprintResult,
    MonteCarloResult,
    build_system,
    footprint,
    monte_carlo,
)
from yuntan.lca.model import Distribution, Pedigree
from yuntan.lca.results import TreeNode
from yuntan.rules import ElectricityMethod, Finding, RulePack, compile_study

INPUTS_FORMAT = 1


@dataclass(frozen=True)
class PinnedFactor:
    """One factor dataset at the version a study uses. ``values`` are
    ``(gas, origin, kg per unit)``; a placeholder has none and is flagged on the result."""

    code: str
    version: str
    unit: str
    name_zh: str = ""
    name_en: str = ""
    values: tuple[tuple[str, str, float], ...] = ()
    placeholder: bool = False
    gwp_set: str = ""  # the set a CO2e-only value was characterised with
    default: bool = False  # a conservative default, not a local figure
    pedigree: tuple[int, int, int, int, int] | None = None
    gsd: float | None = None  # lognormal uncertainty of every value, when the source states one

    def to_lca(self) -> FactorDataset:
        pedigree = Pedigree(*self.pedigree) if self.pedigree else None
        spread = Distribution.lognormal(self.gsd) if self.gsd else None
        return FactorDataset(
            id=self.code, unit=self.unit, name=self.name_zh or self.code, version=self.version,
            emissions=tuple(Emission(gas, amount, origin=Origin(origin), uncertainty=spread)
                            for gas, origin, amount in self.values),
            pedigree=pedigree,
        )


@dataclass(frozen=True)
class StudyInputs:
    """Everything a study's result depends on."""

    pack_id: str
    pack_version: str
    variant: str | None
    activity: Mapping[str, tuple[float, str]]
    factors: Mapping[str, PinnedFactor]
    gwp_set: str = "AR6"
    overrides: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": INPUTS_FORMAT,
            "pack": {"id": self.pack_id, "version": self.pack_version},
            "variant": self.variant,
            "gwp_set": self.gwp_set,
            "activity": {k: [float(a), u] for k, (a, u) in sorted(self.activity.items())},
            "overrides": dict(sorted(self.overrides.items())),
            "factors": {code: _factor_dict(f) for code, f in sorted(self.factors.items())},
        }

    def canonical_json(self) -> str:
        """The inputs as JSON with sorted keys and no spaces: the same inputs, the same text."""
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, allow_nan=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StudyInputs:
        if data.get("format") != INPUTS_FORMAT:
            raise ValueError(f"unknown study inputs format {data.get('format')!r}")
        return cls(
            pack_id=data["pack"]["id"], pack_version=data["pack"]["version"],
            variant=data["variant"], gwp_set=data["gwp_set"],
            activity={k: (float(a), str(u)) for k, (a, u) in data["activity"].items()},
            overrides=dict(data["overrides"]),
            factors={code: PinnedFactor(
                code=code, version=f["version"], unit=f["unit"], name_zh=f["name_zh"],
                name_en=f["name_en"], placeholder=f["placeholder"], gwp_set=f["gwp_set"],
                pedigree=tuple(f["pedigree"]) if f["pedigree"] else None,
                gsd=f.get("gsd"), default=bool(f.get("default", False)),
                values=tuple((g, o, float(a)) for g, o, a in f["values"]),
            ) for code, f in data["factors"].items()},
        )


def _factor_dict(f: PinnedFactor) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": f.version, "unit": f.unit, "name_zh": f.name_zh, "name_en": f.name_en,
        "placeholder": f.placeholder, "gwp_set": f.gwp_set,
        "pedigree": list(f.pedigree) if f.pedigree else None,
        "values": [[g, o, float(a)] for g, o, a in f.values],
    }
    if f.gsd is not None:  # only when stated, so inputs without it keep their hash
        data["gsd"] = float(f.gsd)
    if f.default:  # likewise
        data["default"] = True
    return data


@dataclass(frozen=True)
class Grade:
    """The level a footprint reaches under the pack's grading, if the thresholds exist."""

    level: str | None
    name_zh: str
    name_en: str
    placeholder: bool  # the benchmark or a threshold is not published yet


# PACT caps exempted emissions at 5 % (Pathfinder Framework §4.1.2.2), and so do we: a
# result whose exclusions may exceed it cannot be labelled or shared as verified.
MATERIALITY_PERCENT = 5.0


@dataclass(frozen=True)
class Gap:
    """A factor dataset a result uses that is not a local figure: a ``placeholder`` (no
    figure at all: what it stands for is missing from the total, its size unknown) or a
    conservative ``default`` (counted, but not Yunnan-specific). ``amount`` is the activity
    that uses it, in the dataset's unit; ``share`` the default's part of the headline total
    (None for placeholders, whose part is unknown)."""

    dataset: str
    kind: str  # "placeholder" | "default"
    amount: float
    unit: str
    share: float | None

    @property
    def material(self) -> bool:
        """A placeholder used for a non-zero amount could be any size: always material."""
        return self.kind == "placeholder" and self.amount != 0


@dataclass(frozen=True)
class StudyOutcome:
    headline: ElectricityMethod
    results: Mapping[ElectricityMethod, FootprintResult]
    grade: Grade
    placeholders: tuple[str, ...]  # factor datasets used without a public figure
    gwp_mismatches: tuple[str, ...]  # CO2e-only factors characterised with another set
    findings: tuple[Finding, ...]
    gaps: tuple[Gap, ...] = ()
    exempted_percent: float = 0.0  # the rule pack's estimate of what its boundary leaves out
    # kg CO2e per declared unit, headline method: the credit of co-products reported beside
    # the footprint (negative, never subtracted from it) and the part from aircraft engines.
    separate_credit: float = 0.0
    aircraft: float = 0.0

    @property
    def result(self) -> FootprintResult:
        """The headline result."""
        return self.results[self.headline]

    @property
    def complete(self) -> bool:
        """No placeholder stands in for a non-zero input (a zero activity needs no figure)."""
        return not any(gap.material for gap in self.gaps)

    @property
    def defaults(self) -> tuple[str, ...]:
        return tuple(g.dataset for g in self.gaps if g.kind == "default")

    @property
    def default_share(self) -> float:
        """Share (0–1) of the headline total resting on conservative defaults."""
        return sum(g.share or 0.0 for g in self.gaps if g.kind == "default")

    @property
    def material_gap(self) -> bool:
        """Whether what is missing could be material: a placeholder in use, or exclusions
        above :data:`MATERIALITY_PERCENT`. Such a result is neither labelled nor shared."""
        return not self.complete or self.exempted_percent > MATERIALITY_PERCENT


def needed_factors(pack: RulePack, activity: Mapping[str, tuple[float, str]],
                   variant: str | None = None,
                   overrides: Mapping[str, str] | None = None) -> frozenset[str]:
    """The factor dataset codes a study needs under both electricity methods."""
    needed: set[str] = set()
    for method in ElectricityMethod:
        compiled = compile_study(pack, activity, variant=variant, electricity_method=method,
                                 factor_overrides=overrides, separate_credits=True)
        needed |= compiled.factor_dataset_ids
    return frozenset(needed)


def grade(pack: RulePack, total: float) -> Grade:
    """The best level whose upper bound the footprint does not exceed."""
    grading = pack.grading
    if grading.placeholder or any(level.placeholder for level in grading.levels):
        return Grade(None, "待定（分级阈值尚未发布）",
                     "pending (grading thresholds not yet published)", placeholder=True)
    for level in grading.levels:
        bound = level.upper_bound_kg_co2e_per_declared_unit
        if bound is not None and total <= bound:
            return Grade(level.id, level.name_zh, level.name_en, placeholder=False)
    return Grade(None, "未达分级", "below every grade level", placeholder=False)


def compute(pack: RulePack, inputs: StudyInputs) -> StudyOutcome:
    """The study's footprint under both electricity methods, from ``inputs`` only."""
    if (pack.id, pack.version) != (inputs.pack_id, inputs.pack_version):
        raise ValueError(f"inputs are for rule pack {inputs.pack_id} {inputs.pack_version}, "
                         f"not {pack.id} {pack.version}")
    results: dict[ElectricityMethod, FootprintResult] = {}
    findings: tuple[Finding, ...] = ()
    used: set[str] = set()
    amounts: dict[str, float] = {}
    for method in ElectricityMethod:
        compiled = compile_study(pack, inputs.activity, variant=inputs.variant,
                                 electricity_method=method, factor_overrides=inputs.overrides)
        missing = sorted(compiled.factor_dataset_ids - set(inputs.factors))
        if missing:
            raise ValueError(f"no pinned version for factor datasets {', '.join(missing)}")
        datasets = [inputs.factors[code].to_lca() for code in sorted(compiled.factor_dataset_ids)]
        system = build_system(compiled.processes, datasets)
        results[method] = footprint(system, dict(compiled.functional_unit),
                                    gwp_set=inputs.gwp_set)
        used |= compiled.factor_dataset_ids
        for code, amount in dataset_amounts(compiled.processes, compiled.factor_dataset_ids):
            amounts[code] = max(amounts.get(code, 0.0), abs(amount))
        if method is ElectricityMethod(pack.electricity_headline_method):
            findings = compiled.findings
    headline = ElectricityMethod(pack.electricity_headline_method)
    credit = _separate_credit(pack, inputs, headline, results[headline])
    aircraft_datasets = {inputs.overrides.get(f.id) or f.factor_dataset
                         for f in pack.fields if f.aircraft and f.id in inputs.activity}
    return StudyOutcome(
        headline=headline,
        results=results,
        separate_credit=credit,
        aircraft=sum(results[headline].by_process.get(code, 0.0)
                     for code in sorted(c for c in aircraft_datasets if c)),
        grade=grade(pack, results[headline].total),
        gaps=_gaps(inputs, used, amounts, results[headline]),
        exempted_percent=pack.exempted_percent,
        placeholders=tuple(sorted(c for c in used if inputs.factors[c].placeholder)),
        gwp_mismatches=tuple(sorted(
            c for c in used if inputs.factors[c].gwp_set
            and inputs.factors[c].gwp_set != inputs.gwp_set
            and any(g == "CO2e" for g, _, _ in inputs.factors[c].values))),
        findings=findings,
    )


def _separate_credit(pack: RulePack, inputs: StudyInputs, method: ElectricityMethod,
                     result: FootprintResult) -> float:
    """The credit of co-products reported separately: the footprint with their substitution
    minus the footprint without them (0 when the study has none)."""
    if not any(f.report_credit_separately and f.id in inputs.activity for f in pack.fields):
        return 0.0
    compiled = compile_study(pack, inputs.activity, variant=inputs.variant,
                             electricity_method=method, factor_overrides=inputs.overrides,
                             separate_credits=True)
    datasets = [inputs.factors[code].to_lca() for code in sorted(compiled.factor_dataset_ids)]
    with_credit = footprint(build_system(compiled.processes, datasets),
                            dict(compiled.functional_unit), gwp_set=inputs.gwp_set)
    return with_credit.total - result.total


def dataset_amounts(processes: Any, codes: frozenset[str]) -> list[tuple[str, float]]:
    """(dataset, amount) of every foreground input that draws on one of ``codes`` directly
    or through a stage carrier (``code@stage``), and of every substituted co-product."""
    found: dict[str, float] = {}
    for process in processes:
        if process.id.split("@", 1)[0] in codes and "@" in process.id:
            continue  # a carrier passes one unit through; its consumer counts the amount
        for item in process.inputs:
            code = item.product.split("@", 1)[0]
            if code in codes:
                found[code] = found.get(code, 0.0) + abs(item.amount)
        for output in process.outputs[1:]:
            if output.substitutes in codes:
                found[output.substitutes] = found.get(output.substitutes, 0.0) + abs(
                    output.amount)
    return sorted(found.items())


def _gaps(inputs: StudyInputs, used: set[str], amounts: Mapping[str, float],
          headline: FootprintResult) -> tuple[Gap, ...]:
    gaps = []
    for code in sorted(used):
        factor = inputs.factors[code]
        if not (factor.placeholder or factor.default):
            continue
        share = None
        if factor.default:
            part = headline.by_process.get(code, 0.0)
            share = abs(part) / abs(headline.total) if headline.total else 0.0
        gaps.append(Gap(code, "placeholder" if factor.placeholder else "default",
                        amounts.get(code, 0.0), factor.unit, share))
    return tuple(gaps)


def material_gaps(outcome: Mapping[str, Any]) -> list[str]:
    """Why a stored outcome (:func:`outcome_as_dict`) may not be labelled or shared: the
    placeholders in use and exclusions above the materiality threshold, as readable text.
    Outcomes stored before completeness was recorded count every placeholder as a gap."""
    completeness = outcome.get("completeness")
    if completeness is None:
        return [f"placeholder {code}" for code in outcome.get("placeholders", ())]
    reasons = [f"placeholder {g['dataset']}" for g in completeness["gaps"] if g["material"]]
    if completeness["exempted_percent"] > MATERIALITY_PERCENT:
        reasons.append(f"exclusions {completeness['exempted_percent']:g} % "
                       f"> {MATERIALITY_PERCENT:g} %")
    return reasons


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _tree(node: TreeNode) -> dict[str, Any]:
    return {"activity": node.activity, "name": node.name, "amount": node.amount,
            "unit": node.unit, "score": node.score, "direct": node.direct,
            "below_cutoff": node.below_cutoff, "children": [_tree(c) for c in node.children]}


def result_as_dict(result: FootprintResult) -> dict[str, Any]:
    """A footprint result as JSON-ready data (every breakdown, provenance, the tree)."""
    split = result.biogenic_split
    quality = result.data_quality
    return {
        "total": result.total,
        "gwp_set": result.gwp_set,
        "biogenic_split": {
            "including_biogenic": split.including_biogenic,
            "excluding_biogenic_uptake": split.excluding_biogenic_uptake,
            "excluding_biogenic_co2": split.excluding_biogenic_co2,
            "fossil": split.fossil, "biogenic": split.biogenic,
            "biogenic_uptake": split.biogenic_uptake, "land_use_change": split.land_use_change,
            "land_management": split.land_management,
        },
        "by_stage": dict(result.by_stage),
        "by_process": dict(result.by_process),
        "by_input": dict(result.by_input),
        "by_gas": dict(result.by_gas),
        "by_origin": dict(result.by_origin),
        "inventory_kg": [[gas, origin, amount]
                         for (gas, origin), amount in sorted(result.inventory_kg.items())],
        "tree": _tree(result.tree),
        "primary_data_share": result.primary_data_share,
        "data_quality": {
            "dqr": _finite(quality.dqr) if quality.dqr is not None else None,
            "level": quality.level,
            "technological": quality.technological, "geographical": quality.geographical,
            "temporal": quality.temporal, "reliability": quality.reliability,
            "completeness": quality.completeness, "coverage": quality.coverage,
        },
        "allocation": dict(result.allocation),
        "factor_versions": dict(result.factor_versions),
        "cut_off": list(result.cut_off),
        "solver": result.solver,
        "engine_version": result.engine_version,
        "system_fingerprint": result.system_fingerprint,
    }


def outcome_as_dict(outcome: StudyOutcome) -> dict[str, Any]:
    """The outcome as JSON-ready data: every method, grade, placeholders and findings. A
    result resting on a placeholder is rated ``incomplete`` whatever its contribution-weighted
    scores say: a missing input weighs nothing in them ("100 % coverage, excellent")."""
    results = {method.value: result_as_dict(r) for method, r in outcome.results.items()}
    if not outcome.complete:
        for data in results.values():
            data["data_quality"]["level"] = "incomplete"
    return {
        "engine": __version__,
        "headline": outcome.headline.value,
        "results": results,
        "grade": {"level": outcome.grade.level, "name_zh": outcome.grade.name_zh,
                  "name_en": outcome.grade.name_en, "placeholder": outcome.grade.placeholder},
        "placeholders": list(outcome.placeholders),
        "separate_credit": outcome.separate_credit,
        "aircraft": outcome.aircraft,
        "completeness": {
            "complete": outcome.complete,
            "material_gap": outcome.material_gap,
            "exempted_percent": outcome.exempted_percent,
            "default_share": outcome.default_share,
            "gaps": [{"dataset": g.dataset, "kind": g.kind, "amount": g.amount,
                      "unit": g.unit, "share": g.share, "material": g.material}
                     for g in outcome.gaps],
        },
        "gwp_mismatches": list(outcome.gwp_mismatches),
        "findings": [{"severity": f.severity.value, "rule": f.rule, "field": f.field,
                      "message_zh": f.message_zh, "message_en": f.message_en}
                     for f in outcome.findings],
    }


@dataclass(frozen=True)
class MeasureEffect:
    """One difference between a scenario and its base, and what it changes on its own."""

    field: str
    before: tuple[float, str] | None
    after: tuple[float, str] | None
    override_before: str | None
    override_after: str | None
    delta_kg_co2e: float  # change of the headline footprint when applied alone


def measure_effects(pack: RulePack, base: StudyInputs,
                    scenario: StudyInputs) -> tuple[float, tuple[MeasureEffect, ...]]:
    """The scenario's total change and the change each measure makes applied alone to the
    base (one at a time; the parts need not add up to the total when measures interact)."""
    factors = {**base.factors, **scenario.factors}
    base_total = compute(pack, base).result.total
    scenario_total = compute(pack, scenario).result.total
    fields = sorted(
        f for f in set(base.activity) | set(scenario.activity)
        | set(base.overrides) | set(scenario.overrides)
        if base.activity.get(f) != scenario.activity.get(f)
        or base.overrides.get(f) != scenario.overrides.get(f)
    )
    effects = []
    for name in fields:
        activity = dict(base.activity)
        overrides = dict(base.overrides)
        for target, source in ((activity, scenario.activity), (overrides, scenario.overrides)):
            if name in source:
                target[name] = source[name]  # type: ignore[assignment]
            else:
                target.pop(name, None)
        alone = StudyInputs(base.pack_id, base.pack_version, base.variant, activity, factors,
                            base.gwp_set, overrides)
        effects.append(MeasureEffect(
            field=name, before=base.activity.get(name), after=scenario.activity.get(name),
            override_before=base.overrides.get(name), override_after=scenario.overrides.get(name),
            delta_kg_co2e=compute(pack, alone).result.total - base_total,
        ))
    return scenario_total - base_total, tuple(effects)


def uncertainty(pack: RulePack, inputs: StudyInputs, *, iterations: int, seed: int,
                method: ElectricityMethod | None = None) -> MonteCarloResult:
    """Monte Carlo of the study's footprint (headline electricity method by default). The
    spread comes from the factor datasets that state one (a GSD, or pedigree scores turned
    into a lognormal spread); activity data are taken as measured."""
    chosen = method or ElectricityMethod(pack.electricity_headline_method)
    compiled = compile_study(pack, inputs.activity, variant=inputs.variant,
                             electricity_method=chosen, factor_overrides=inputs.overrides)
    datasets = [inputs.factors[code].to_lca() for code in sorted(compiled.factor_dataset_ids)]
    system = build_system(compiled.processes, datasets)
    return monte_carlo(system, dict(compiled.functional_unit), iterations=iterations,
                       seed=seed, gwp_set=inputs.gwp_set)
