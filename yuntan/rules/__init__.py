"""Rule packs (核算规则, product category rules): schema, loader and compiler (pure core).

A pack is a versioned TOML file in ``yuntan/data/rules`` that fixes, for one product
category, the declared unit, boundary, stages, processes, the data collection specification,
allocation, cut-off, direct-emission formulas, the electricity headline method, grading and
standards. :func:`compile_study` turns an enterprise's activity data into ``yuntan.lca``
processes. See ``docs/rule-packs.md``.
"""

from yuntan.rules.compile import (
    ActivityData,
    CompiledStudy,
    Finding,
    RangeFinding,
    Severity,
    check_activity_data,
    compile_study,
)
from yuntan.rules.errors import (
    FormulaError,
    IncompleteActivityData,
    InvalidRulePack,
    PackProblem,
    RulePackError,
    UnknownRulePack,
)
from yuntan.rules.formula import evaluate, formula_names, parse_formula
from yuntan.rules.loader import get_pack, list_packs, load_pack, loads_pack, shipped_packs
from yuntan.rules.schema import (
    Dimension,
    ElectricityMethod,
    Evidence,
    FieldKind,
    FieldSpec,
    RulePack,
    SystemBoundary,
    validate_pack,
)

__all__ = [
    "ActivityData",
    "CompiledStudy",
    "Dimension",
    "ElectricityMethod",
    "Evidence",
    "FieldKind",
    "FieldSpec",
    "Finding",
    "FormulaError",
    "IncompleteActivityData",
    "InvalidRulePack",
    "PackProblem",
    "RangeFinding",
    "RulePack",
    "RulePackError",
    "Severity",
    "SystemBoundary",
    "UnknownRulePack",
    "check_activity_data",
    "compile_study",
    "evaluate",
    "formula_names",
    "get_pack",
    "list_packs",
    "load_pack",
    "loads_pack",
    "parse_formula",
    "shipped_packs",
    "validate_pack",
]
