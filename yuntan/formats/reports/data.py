"""What a footprint report is built from: plain data, no Django.

The platform fills :class:`ReportData` from its rows (organisation, study, stored result);
:func:`report_data` fills the rule-pack parts (stages, processes, fields, allocation,
cut-off, standards) from a :class:`~yuntan.rules.RulePack`. ``outcome`` is
:func:`yuntan.accounting.outcome_as_dict` and ``inputs`` :meth:`StudyInputs.as_dict`, exactly
as stored with the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from yuntan.rules import RulePack

Language = Literal["zh", "en"]


@dataclass(frozen=True)
class Named:
    """Anything with an id and a name in both languages (stage, process, field)."""

    id: str
    name_zh: str
    name_en: str = ""
    group: str = ""  # a field's stage, a process's stage

    def name(self, language: Language) -> str:
        if language == "en":
            return self.name_en or self.name_zh or self.id
        return self.name_zh or self.name_en or self.id


@dataclass(frozen=True)
class Statement:
    """A sentence of the report in both languages, with the standard it follows."""

    zh: str
    en: str
    standard: str = ""
    placeholder: bool = False

    def text(self, language: Language) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class StandardRef:
    code: str
    title_zh: str = ""
    title_en: str = ""
    role: str = ""  # general, sector, method


@dataclass(frozen=True)
class FactorRow:
    """One factor dataset version a study used, with its source (from the factor database)."""

    code: str
    version: str
    name_zh: str
    name_en: str
    unit: str
    source_publisher: str
    source_document: str
    source_year: str
    placeholder: bool
    source_url: str = ""

    def name(self, language: Language) -> str:
        return (self.name_en or self.name_zh) if language == "en" else (self.name_zh or
                                                                         self.name_en)


@dataclass(frozen=True)
class ReportData:
    """Everything one carbon footprint study report shows (GB/T 24067-2024 / ISO 14067
    clause 7). Text comes in Chinese and English; the renderers pick one."""

    study_name_zh: str
    study_name_en: str
    product_name_zh: str
    product_name_en: str
    organisation_name_zh: str
    organisation_name_en: str
    organisation_uscc: str  # unified social credit code (统一社会信用代码)
    prefecture_zh: str
    prefecture_en: str
    declared_unit: str  # e.g. "1 t"
    reference_period: str  # e.g. "2023-01-01 – 2023-12-31"
    rule_pack_id: str
    rule_pack_version: str
    rule_pack_name_zh: str
    rule_pack_name_en: str
    standards: tuple[StandardRef, ...]
    system_boundary: str  # cradle_to_gate or cradle_to_grave
    stages: tuple[Named, ...]
    outcome: Mapping[str, Any]
    inputs: Mapping[str, Any]
    factors: tuple[FactorRow, ...]
    result_number: str
    computed_at: str  # ISO 8601
    engine_version: str
    inputs_sha256: str
    processes: tuple[Named, ...] = ()
    fields: tuple[Named, ...] = ()
    allocation: tuple[Statement, ...] = ()
    cut_off: tuple[Statement, ...] = ()
    data_quality: tuple[Statement, ...] = ()  # notes beside the computed rating
    limitations: tuple[Statement, ...] = ()  # beyond those the report derives itself
    goal: Statement | None = None  # intended application, reasons, audience
    illustrative: bool = False
    stale: bool = False  # computed before the study's data changed
    proposed: bool = False  # recomputed after a factor update, beside the verified result
    monte_carlo_samples: tuple[float, ...] = ()  # totals per declared unit, headline method
    monte_carlo_seed: int | None = None

    def __post_init__(self) -> None:
        if not all(math.isfinite(x) for x in self.monte_carlo_samples):
            raise ValueError("Monte Carlo samples must be finite")
        if self.outcome.get("headline") not in self.outcome.get("results", {}):
            raise ValueError("outcome has no result for its headline method: pass "
                             "yuntan.accounting.outcome_as_dict(...)")

    @property
    def headline(self) -> str:
        return str(self.outcome["headline"])

    @property
    def result(self) -> Mapping[str, Any]:
        """The headline result (``result_as_dict``)."""
        return self.outcome["results"][self.headline]  # type: ignore[no-any-return]

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Factor datasets used without a public figure (from the outcome and the rows)."""
        codes = set(self.outcome.get("placeholders", ()))
        return tuple(sorted(codes))

    def text(self, zh: str, en: str, language: Language) -> str:
        return (en or zh) if language == "en" else (zh or en)

    def name_of(self, key: str, language: Language) -> str:
        """A readable name for a stage, process, factor dataset or field id."""
        for items in (self.stages, self.processes, self.fields):
            for item in items:
                if item.id == key:
                    return item.name(language)
        for row in self.factors:
            if row.code == key:
                return row.name(language)
        factor = self.inputs.get("factors", {}).get(key)
        if factor:
            zh, en = str(factor.get("name_zh", "")), str(factor.get("name_en", ""))
            return self.text(zh, en, language) or key
        return key


ALLOCATION_METHODS = {"mass": ("质量分配", "mass"), "energy": ("能量分配", "energy"),
                      "economic": ("经济价值分配", "economic value"),
                      "explicit": ("指定系数", "explicit factors"),
                      "substitution": ("系统扩展（替代）", "system expansion (substitution)")}
CUT_OFF_BASES = {"mass": ("质量", "mass"), "energy": ("能量", "energy"),
                 "emission": ("排放", "emissions")}
CUT_OFF_SCOPES = {"per_flow": ("单个流", "per flow"), "cumulative": ("累计", "cumulative")}


def _statement_for_allocation(rule: Any, pack: RulePack) -> Statement:
    method = str(rule.method.value)
    zh, en = ALLOCATION_METHODS.get(method, (method, method))
    process = pack.process(rule.process)
    return Statement(
        zh=f"{process.name_zh}：{zh}。{rule.justification_zh}",
        en=f"{process.name_en}: {en}. {rule.justification_en}",
        standard=rule.standard,
    )


def _statement_for_cut_off(criterion: Any) -> Statement:
    threshold = (f"{criterion.threshold_percent:g} %" if criterion.threshold_percent is not None
                 else "")
    zh_threshold = threshold or "阈值待定（占位）"
    en_threshold = threshold or "threshold not yet set (placeholder)"
    basis = CUT_OFF_BASES.get(criterion.basis.value, (criterion.basis.value,) * 2)
    scope = CUT_OFF_SCOPES.get(criterion.scope.value, (criterion.scope.value,) * 2)
    return Statement(
        zh=f"按{basis[0]}（{scope[0]}）：{zh_threshold}。{criterion.note_zh}".rstrip(),
        en=f"By {basis[1]} ({scope[1]}): {en_threshold}. {criterion.note_en}".rstrip(),
        standard=criterion.standard,
        placeholder=criterion.placeholder,
    )


def report_data(pack: RulePack, *, outcome: Mapping[str, Any], inputs: Mapping[str, Any],
                factors: Sequence[FactorRow], **identity: Any) -> ReportData:
    """A :class:`ReportData` with the rule pack's parts filled from ``pack``; ``identity``
    gives the rest (names, organisation, period, result number, hash, ...)."""
    if (inputs["pack"]["id"], inputs["pack"]["version"]) != (pack.id, pack.version):
        raise ValueError(f"inputs are for rule pack {inputs['pack']['id']} "
                         f"{inputs['pack']['version']}, not {pack.id} {pack.version}")
    defaults: dict[str, Any] = {
        "rule_pack_id": pack.id,
        "rule_pack_version": pack.version,
        "rule_pack_name_zh": pack.name_zh,
        "rule_pack_name_en": pack.name_en,
        "standards": tuple(StandardRef(s.code, s.title_zh, s.title_en, s.role)
                           for s in pack.standards),
        "system_boundary": pack.boundary(inputs.get("variant")).value,
        "declared_unit": f"{pack.declared_unit.amount:g} {pack.declared_unit.unit}",
        "stages": tuple(Named(s.id, s.name_zh, s.name_en) for s in pack.stages),
        "processes": tuple(Named(p.id, p.name_zh, p.name_en, p.stage) for p in pack.processes),
        "fields": tuple(Named(f.id, f.name_zh, f.name_en, f.stage) for f in pack.fields),
        "allocation": tuple(_statement_for_allocation(a, pack) for a in pack.allocation),
        "cut_off": tuple(_statement_for_cut_off(c) for c in pack.cut_off),
    }
    defaults.update(identity)
    return ReportData(outcome=outcome, inputs=inputs, factors=tuple(factors), **defaults)
