"""Real study outcomes for the report tests: shipped rule packs, the test activity data of
``tests/rules/rules_fixtures.py`` (illustrative amounts inside each pack's ranges) and the
shipped factor datasets, computed with :func:`yuntan.accounting.compute`."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from yuntan.accounting import PinnedFactor, StudyInputs, compute, needed_factors, outcome_as_dict
from yuntan.formats.factor_csv import FactorVersionRow, read_factor_files
from yuntan.formats.reports import FactorRow, ReportData, report_data
from yuntan.lca import build_system, monte_carlo
from yuntan.rules import ElectricityMethod, RulePack, compile_study, get_pack

TESTS = Path(__file__).resolve().parents[2]
FACTORS = TESTS.parent / "yuntan" / "data" / "factors"


def _rules_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_rules_fixtures",
                                                  TESTS / "rules" / "rules_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def factor_rows() -> tuple[FactorVersionRow, ...]:
    return tuple(read_factor_files(FACTORS / "datasets.csv", FACTORS / "values.csv"))


def shipped_row(code: str, year: int = 2022) -> FactorVersionRow:
    """The shipped version of ``code`` for ``year`` (the latest one not after it)."""
    rows = [r for r in factor_rows() if r.fields["id"] == code]
    dated = [r for r in rows if r.fields["reference_year"]
             and int(r.fields["reference_year"]) <= year and not r.placeholder]
    return max(dated, key=lambda r: int(r.fields["reference_year"])) if dated else rows[0]


def pinned(row: FactorVersionRow) -> PinnedFactor:
    return PinnedFactor(
        code=row.fields["id"], version=row.fields["version"], unit=row.fields["unit"],
        name_zh=row.fields["name_zh"], name_en=row.fields["name_en"],
        values=tuple((v.gas, v.origin, v.amount_kg_per_unit) for v in row.values),
        placeholder=row.placeholder, gwp_set=row.fields["gwp_set"],
        default=row.conservative_default,
    )


@dataclass(frozen=True)
class Computed:
    pack: RulePack
    inputs: StudyInputs
    outcome: dict[str, Any]
    rows: tuple[FactorVersionRow, ...]  # the factor versions the study pinned


@functools.cache
def computed(pack_id: str) -> Computed:
    pack = get_pack(pack_id)
    activity = _rules_fixtures().COMPLETE[pack_id]
    rows = tuple(shipped_row(code) for code in sorted(needed_factors(pack, activity)))
    inputs = StudyInputs(pack.id, pack.version, None, activity,
                         {row.fields["id"]: pinned(row) for row in rows})
    return Computed(pack, inputs, outcome_as_dict(compute(pack, inputs)), rows)


def aluminium_outcome() -> Computed:
    """Electrolytic aluminium: two placeholder factors (alumina, anodes)."""
    return computed("electrolytic-aluminium")


def coffee_outcome() -> Computed:
    """Green coffee: biogenic N2O from the field, economic allocation."""
    return computed("coffee")


def with_placeholder(pack_id: str, code: str) -> Computed:
    """The same study with ``code`` as a placeholder (no figure), as before data existed."""
    base = computed(pack_id)
    factors = {**base.inputs.factors, code: replace(
        base.inputs.factors[code], placeholder=True, default=False, version="placeholder",
        values=())}
    inputs = replace(base.inputs, factors=factors)
    rows = tuple(FactorVersionRow({**r.fields, "status": "placeholder",
                                   "version": "placeholder", "conservative_default": ""}, ())
                 if r.fields["id"] == code else r for r in base.rows)
    return Computed(base.pack, inputs, outcome_as_dict(compute(base.pack, inputs)), rows)


def without_placeholders(pack_id: str) -> Computed:
    """The same study with a test value for every placeholder factor (not real factors)."""
    base = computed(pack_id)
    factors = {code: (replace(f, placeholder=False, version="test",
                              values=(("CO2", "fossil", 0.5),)) if f.placeholder else f)
               for code, f in base.inputs.factors.items()}
    inputs = replace(base.inputs, factors=factors)
    rows = tuple(FactorVersionRow({**r.fields, "status": "published", "version": "test"},
                                  r.values) if r.placeholder else r for r in base.rows)
    return Computed(base.pack, inputs, outcome_as_dict(compute(base.pack, inputs)), rows)


@functools.cache
def monte_carlo_totals(pack_id: str, iterations: int = 300) -> tuple[float, ...]:
    """Monte Carlo totals of the study's headline system (the engine's own sampler). The
    shipped factors carry no uncertainty, so each gets test pedigree scores (2, 3, 2, 2, 3)."""
    base = computed(pack_id)
    pack, inputs = base.pack, base.inputs
    compiled = compile_study(pack, inputs.activity, electricity_method=ElectricityMethod(
        pack.electricity_headline_method))
    datasets = [replace(inputs.factors[c], pedigree=(2, 3, 2, 2, 3)).to_lca()
                for c in sorted(compiled.factor_dataset_ids)]
    system = build_system(compiled.processes, datasets)
    return monte_carlo(system, dict(compiled.functional_unit), iterations=iterations,
                       seed=0).samples


def factor_row(row: FactorVersionRow) -> FactorRow:
    f = row.fields
    return FactorRow(f["id"], f["version"], f["name_zh"], f["name_en"], f["unit"],
                     f["source_publisher"], f["source_document"], f["source_year"],
                     row.placeholder, f["source_url"])


def report_for(study: Computed, *, illustrative: bool = True,
               samples: tuple[float, ...] = (), **identity: Any) -> ReportData:
    """The report data the platform would pass for ``study`` (names are examples)."""
    values: dict[str, Any] = {
        "study_name_zh": "2023年度产品碳足迹核算", "study_name_en": "Carbon footprint 2023",
        "product_name_zh": study.pack.product_category.name_zh,
        "product_name_en": study.pack.product_category.name_en,
        "organisation_name_zh": "云南示例企业有限公司",
        "organisation_name_en": "Yunnan Example Enterprise Co., Ltd.",
        "organisation_uscc": "91530100MA6N8XK21Q", "prefecture_zh": "昆明市",
        "prefecture_en": "Kunming", "reference_period": "2023-01-01 – 2023-12-31",
        "result_number": "YT-R-2025-000123", "computed_at": "2025-11-30T10:00:00+08:00",
        "engine_version": study.outcome["engine"], "inputs_sha256": study.inputs.sha256,
        "illustrative": illustrative, "monte_carlo_samples": samples,
        "monte_carlo_seed": 0 if samples else None,
    }
    values.update(identity)
    return report_data(study.pack, outcome=study.outcome, inputs=study.inputs.as_dict(),
                       factors=[factor_row(r) for r in study.rows], **values)
