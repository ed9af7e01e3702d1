"""Real study outcomes for the report tests: shipped rule packs, the test activity data of
``tests/rules/rules_fixtures.py`` (illustrative amounts inside each pack's ranges) and the
shipped factor datasets, computed with :func:`yuntan.accounting.compute`."""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from yuntan.accounting import PinnedFactor, StudyInputs, compute, needed_factors, outcome_as_dict
from yuntan.formats.factor_csv import FactorVersionRow, read_factor_files
from yuntan.rules import RulePack, get_pack

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
