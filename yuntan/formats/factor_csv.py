"""Read factor datasets from the shipped CSV pair (``datasets.csv`` + ``values.csv``).

Pure reading and validation; the platform's ``load_reference_data`` command stores the rows.
Errors name the file, line and field.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from yuntan.errors import YuntanLcaError
from yuntan.gwp import Origin, gases
from yuntan.units import parse_unit

DATASET_COLUMNS = (
    "id", "version", "name_zh", "name_en", "category", "unit", "region", "reference_year",
    "valid_from", "valid_to", "method", "status", "gwp_set", "source_publisher",
    "source_document", "source_year", "source_url", "source_quality", "licence", "note",
)
VALUE_COLUMNS = ("id", "version", "gas", "origin", "amount_kg_per_unit", "source_note")


class FactorFileError(YuntanLcaError):
    """A factor CSV row that cannot be read (names the file, line and field)."""


@dataclass(frozen=True)
class FactorValueRow:
    gas: str
    origin: str
    amount_kg_per_unit: float
    source_note: str


@dataclass(frozen=True)
class FactorVersionRow:
    """One row of ``datasets.csv`` with its values from ``values.csv``."""

    fields: dict[str, str]
    values: tuple[FactorValueRow, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        return self.fields["id"], self.fields["version"]

    @property
    def placeholder(self) -> bool:
        return self.fields["status"] == "placeholder"


def _read(path: Path, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = list(columns)
        if reader.fieldnames != expected:
            raise FactorFileError(
                f"{path.name}: the header must be {','.join(expected)} "
                f"(found {','.join(reader.fieldnames or [])})."
            )
        return [(line, dict(row)) for line, row in enumerate(reader, start=2)]


def read_factor_files(datasets_csv: Path, values_csv: Path) -> list[FactorVersionRow]:
    """Read and check both files; every published version needs values and a source."""
    versions: dict[tuple[str, str], dict[str, str]] = {}
    for line, row in _read(datasets_csv, DATASET_COLUMNS):
        where = f"{datasets_csv.name} line {line}"
        key = (row["id"], row["version"])
        if not row["id"] or not row["version"]:
            raise FactorFileError(f"{where}: id and version are required.")
        if key in versions:
            raise FactorFileError(f"{where}: {key[0]}@{key[1]} appears twice.")
        parse_unit(row["unit"])
        if row["status"] != "placeholder" and not (
            row["source_publisher"] and row["source_document"]
        ):
            raise FactorFileError(f"{where}: source_publisher and source_document are required.")
        versions[key] = row
    values: dict[tuple[str, str], list[FactorValueRow]] = {}
    known_gases = gases()
    for line, row in _read(values_csv, VALUE_COLUMNS):
        where = f"{values_csv.name} line {line}"
        key = (row["id"], row["version"])
        if key not in versions:
            raise FactorFileError(f"{where}: no dataset {key[0]}@{key[1]} in datasets.csv.")
        if row["gas"] not in known_gases:
            raise FactorFileError(f"{where}: unknown gas {row['gas']!r}.")
        try:
            origin = Origin(row["origin"])
            amount = float(row["amount_kg_per_unit"])
        except ValueError as exc:
            raise FactorFileError(f"{where}: {exc}") from exc
        if not math.isfinite(amount):
            raise FactorFileError(f"{where}: amount_kg_per_unit must be a finite number.")
        listed = values.setdefault(key, [])
        if any(v.gas == row["gas"] and v.origin == origin for v in listed):
            raise FactorFileError(f"{where}: {row['gas']} ({origin}) appears twice for "
                                  f"{key[0]}@{key[1]}.")
        listed.append(FactorValueRow(row["gas"], str(origin), amount, row["source_note"]))
    rows = []
    for key, fields in versions.items():
        found = tuple(values.get(key, ()))
        placeholder = fields["status"] == "placeholder"
        if placeholder and found:
            raise FactorFileError(f"{key[0]}@{key[1]} is a placeholder but has values.")
        if not placeholder and not found:
            raise FactorFileError(f"{key[0]}@{key[1]} has no values in {values_csv.name}.")
        rows.append(FactorVersionRow(fields, found))
    return rows
