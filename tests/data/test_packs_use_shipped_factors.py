"""Every factor dataset a shipped rule pack names is in the shipped factor database, in a
unit the pack's field converts to, so a study can always be linked and computed (or shows
the dataset as a flagged placeholder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuntan.formats.factor_csv import read_factor_files
from yuntan.rules import shipped_packs
from yuntan.units import conversion_factor

FACTORS = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"


def _shipped_units() -> dict[str, set[str]]:
    units: dict[str, set[str]] = {}
    for row in read_factor_files(FACTORS / "datasets.csv", FACTORS / "values.csv"):
        units.setdefault(row.fields["id"], set()).add(row.fields["unit"])
    return units


LINKS = [
    (pack.id, spec.id, spec.unit, dataset)
    for pack in shipped_packs()
    for spec in pack.fields
    for dataset in (spec.factor_dataset, spec.market_based_factor_dataset, spec.substitutes)
    if dataset is not None
]


def test_the_packs_name_factor_datasets() -> None:
    assert len(LINKS) > 40


@pytest.mark.parametrize("pack, field, unit, dataset", LINKS,
                         ids=[f"{p}.{f}->{d}" for p, f, _, d in LINKS])
def test_a_pack_field_links_to_a_shipped_dataset(pack: str, field: str, unit: str,
                                                 dataset: str) -> None:
    units = _shipped_units()
    assert dataset in units, f"{pack}: field {field} names {dataset}, not in the factor data"
    for dataset_unit in units[dataset]:
        assert conversion_factor(unit, dataset_unit) > 0
