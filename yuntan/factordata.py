"""The shipped factor data as the core sees it (pure: no Django, no database).

The platform loads ``yuntan/data/factors`` into its factor database and pins, for a study of
year Y, the version :func:`choose_version` picks. The command line and notebooks compute from
the same files with the same rule, so a study computes to the same number everywhere
(tests/cli/test_demo_agrees_with_the_platform.py checks it for every demo study).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from yuntan.accounting import PinnedFactor
from yuntan.formats.factor_csv import PEDIGREE_COLUMNS, FactorVersionRow, read_factor_files


def _folder() -> Path:
    return Path(str(resources.files("yuntan.data.factors")))


@cache
def shipped_rows() -> tuple[FactorVersionRow, ...]:
    """Every shipped factor version, checked as an import would check it."""
    folder = _folder()
    return tuple(read_factor_files(folder / "datasets.csv", folder / "values.csv"))


def choose_version(versions: Sequence[FactorVersionRow], year: int) -> FactorVersionRow | None:
    """The version a study of ``year`` uses, by the platform's rule
    (``yuntan.platform.studies.services.choose_version``): the published version of the latest
    reference year not after ``year``, else an undated one, else the earliest later one, else
    a placeholder. Among equals the last in file order wins (the shipped data has one
    published version per dataset and year; a data test keeps it so)."""
    published = [v for v in versions if not v.placeholder]
    dated = [v for v in published if v.fields["reference_year"]]
    earlier = [v for v in dated if int(v.fields["reference_year"]) <= year]
    if earlier:
        latest = max(int(v.fields["reference_year"]) for v in earlier)
        return [v for v in earlier if int(v.fields["reference_year"]) == latest][-1]
    undated = [v for v in published if not v.fields["reference_year"]]
    if undated:
        return undated[-1]
    if dated:
        return min(dated, key=lambda v: int(v.fields["reference_year"]))
    placeholders = [v for v in versions if v.placeholder]
    return placeholders[0] if placeholders else None


def pinned(row: FactorVersionRow, names: FactorVersionRow | None = None) -> PinnedFactor:
    """A shipped version as the core's :class:`~yuntan.accounting.PinnedFactor`, with the
    same fields the platform pins (``pinned_factor`` in the studies services). The names are
    the dataset's, which the platform takes from its first version (``names``)."""
    fields = row.fields
    named = (names or row).fields
    scores = [fields.get(name, "") for name in PEDIGREE_COLUMNS]
    gsd = fields.get("uncertainty_gsd", "")
    return PinnedFactor(
        code=fields["id"], version=fields["version"], unit=fields["unit"],
        name_zh=named["name_zh"], name_en=named["name_en"],
        values=tuple((v.gas, v.origin, v.amount_kg_per_unit)
                     for v in sorted(row.values, key=lambda v: (v.gas, v.origin))),
        placeholder=row.placeholder, gwp_set=fields["gwp_set"],
        pedigree=tuple(int(s) for s in scores) if all(scores) else None,  # type: ignore[arg-type]
        gsd=float(gsd) if gsd else None,
        default=row.conservative_default,
    )


def shipped_factors(codes: Sequence[str] | frozenset[str], year: int
                    ) -> Mapping[str, PinnedFactor]:
    """The pinned version of each dataset in ``codes`` for a study of ``year``."""
    by_code: dict[str, list[FactorVersionRow]] = {}
    for shipped in shipped_rows():
        by_code.setdefault(shipped.fields["id"], []).append(shipped)
    found: dict[str, PinnedFactor] = {}
    missing: list[str] = []
    for code in sorted(codes):
        versions = by_code.get(code, [])
        row = choose_version(versions, year)
        if row is None:
            missing.append(code)
        else:
            found[code] = pinned(row, versions[0])
    if missing:
        raise KeyError(f"no shipped factor data for {', '.join(missing)}")
    return found
