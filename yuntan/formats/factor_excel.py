"""Factor datasets as an Excel workbook with bilingual headers (two sheets), and back.

Sheet 数据集 datasets: one row per version; sheet 数值 values: kg of each gas per unit.
Reading checks everything before returning (errors name the sheet, row and column), so an
import stores nothing unless the whole workbook is valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from yuntan.formats.excel.cells import cell_text, write_header
from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    VALUE_COLUMNS,
    FactorFileError,
    FactorVersionRow,
    Table,
    bilingual_header,
    check_header,
    read_factor_tables,
)

DATASETS_SHEET = "数据集 datasets"
VALUES_SHEET = "数值 values"


def write_factor_workbook(rows: Iterable[FactorVersionRow], path: Path) -> None:
    """Write the versions and their values to ``path`` (.xlsx)."""
    rows = list(rows)
    book = Workbook()
    datasets = book.active
    assert datasets is not None
    datasets.title = DATASETS_SHEET
    write_header(datasets, [bilingual_header(c) for c in DATASET_COLUMNS])
    for row in rows:
        datasets.append([row.fields.get(c, "") for c in DATASET_COLUMNS])
    values = book.create_sheet(VALUES_SHEET)
    write_header(values, [bilingual_header(c) for c in VALUE_COLUMNS])
    for row in rows:
        for value in row.values:
            # Numbers stay numbers in Excel; repr keeps every digit of the double.
            values.append([row.fields["id"], row.fields["version"], value.gas, value.origin,
                           value.amount_kg_per_unit, value.source_note])
    book.save(path)


def _table(path: Path, book: Any, name: str, columns: tuple[str, ...]) -> Table:
    if name not in book.sheetnames:
        raise FactorFileError(f"{path.name}: the sheet {name!r} is missing.")
    sheet = book[name]
    lines = sheet.iter_rows(values_only=True)
    header = check_header(f"{path.name}, sheet {name}", [cell_text(v) for v in next(lines, ())],
                          columns)
    table: Table = []
    for number, cells in enumerate(lines, start=2):
        if all(c is None or cell_text(c) == "" for c in cells):
            continue
        table.append((number, dict(zip(header, (cell_text(c) for c in cells), strict=False))))
    return table


def read_factor_workbook(path: Path) -> list[FactorVersionRow]:
    """Read a workbook written by :func:`write_factor_workbook` (or filled by hand)."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        raise FactorFileError(f"{path.name}: not an Excel workbook ({exc}).") from exc
    try:
        return read_factor_tables(
            f"{path.name}, sheet {DATASETS_SHEET}",
            _table(path, book, DATASETS_SHEET, DATASET_COLUMNS),
            f"{path.name}, sheet {VALUES_SHEET}",
            _table(path, book, VALUES_SHEET, VALUE_COLUMNS),
        )
    finally:
        book.close()
