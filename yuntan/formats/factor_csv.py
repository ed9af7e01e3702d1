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

# Chinese labels of the columns: exported headers read "中文 / english"; both spellings import.
LABELS_ZH = {
    "id": "编号", "version": "版本", "name_zh": "中文名称", "name_en": "英文名称",
    "category": "类别", "unit": "基准单位", "region": "地区", "reference_year": "基准年",
    "valid_from": "生效日期", "valid_to": "失效日期", "method": "方法", "status": "状态",
    "gwp_set": "GWP数据集", "source_publisher": "发布机构", "source_document": "来源文件",
    "source_year": "来源年份", "source_url": "来源地址", "source_quality": "来源质量",
    "licence": "许可", "note": "备注", "gas": "气体", "origin": "来源类型",
    "amount_kg_per_unit": "每单位千克数", "source_note": "数值说明",
}


def bilingual_header(column: str) -> str:
    return f"{LABELS_ZH[column]} / {column}"


def column_of(header: str) -> str:
    """The column id of a header written either as ``id`` or as ``编号 / id``."""
    return header.rsplit("/", 1)[-1].strip()


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


Table = list[tuple[int, dict[str, str]]]  # (line or row number, {column: text})


def check_header(name: str, header: list[str], columns: Iterable[str]) -> list[str]:
    """Column ids of ``header``; it must list exactly ``columns`` in order."""
    found = [column_of(h) for h in header]
    expected = list(columns)
    if found != expected:
        raise FactorFileError(
            f"{name}: the header must be {','.join(expected)} (found {','.join(found)})."
        )
    return found


def _read(path: Path, columns: Iterable[str]) -> Table:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = check_header(path.name, next(reader, []), columns)
        return [(line, dict(zip(header, row, strict=False)))
                for line, row in enumerate(reader, start=2)]


def write_factor_files(rows: Iterable[FactorVersionRow], datasets_csv: Path,
                       values_csv: Path) -> None:
    """Write the CSV pair with bilingual headers (UTF-8 with BOM, so Excel shows Chinese)."""
    rows = list(rows)
    with datasets_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([bilingual_header(c) for c in DATASET_COLUMNS])
        writer.writerows([row.fields.get(c, "") for c in DATASET_COLUMNS] for row in rows)
    with values_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([bilingual_header(c) for c in VALUE_COLUMNS])
        for row in rows:
            for value in row.values:
                writer.writerow([row.fields["id"], row.fields["version"], value.gas,
                                 value.origin, repr(value.amount_kg_per_unit),
                                 value.source_note])


def read_factor_files(datasets_csv: Path, values_csv: Path) -> list[FactorVersionRow]:
    """Read and check both files; every published version needs values and a source."""
    return read_factor_tables(
        datasets_csv.name, _read(datasets_csv, DATASET_COLUMNS),
        values_csv.name, _read(values_csv, VALUE_COLUMNS),
    )


def read_factor_tables(datasets_name: str, dataset_rows: Table, values_name: str,
                       value_rows: Table) -> list[FactorVersionRow]:
    """Check and join the two tables (from CSV or Excel); errors name the file and line."""
    versions: dict[tuple[str, str], dict[str, str]] = {}
    for line, row in dataset_rows:
        where = f"{datasets_name} line {line}"
        key = (row["id"], row["version"])
        if not row["id"] or not row["version"]:
            raise FactorFileError(f"{where}: id and version are required.")
        if key in versions:
            raise FactorFileError(f"{where}: {key[0]}@{key[1]} appears twice.")
        try:
            parse_unit(row["unit"])
        except YuntanLcaError as exc:
            raise FactorFileError(f"{where}, field unit: {exc}") from exc
        if row["status"] != "placeholder" and not (
            row["source_publisher"] and row["source_document"]
        ):
            raise FactorFileError(f"{where}: source_publisher and source_document are required.")
        versions[key] = row
    values: dict[tuple[str, str], list[FactorValueRow]] = {}
    known_gases = gases()
    for line, row in value_rows:
        where = f"{values_name} line {line}"
        key = (row["id"], row["version"])
        if key not in versions:
            raise FactorFileError(f"{where}: no dataset {key[0]}@{key[1]} in {datasets_name}.")
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
            raise FactorFileError(f"{key[0]}@{key[1]} has no values in {values_name}.")
        rows.append(FactorVersionRow(fields, found))
    return rows
