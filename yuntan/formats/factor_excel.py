"""Factor datasets as an Excel workbook with bilingual headers (two sheets), and back.

Sheet 数据集 datasets: one row per version; sheet 数值 values: kg of each gas per unit.
Reading checks everything before returning and raises one ``FactorFileError`` listing every
problem (sheet, row, record and column), so an import stores nothing unless the whole
workbook is valid.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from yuntan.formats.excel.cells import cell_text, text_only, write_header
from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    VALUE_COLUMNS,
    FactorFileError,
    FactorFileProblem,
    FactorVersionRow,
    Progress,
    SourceTable,
    Table,
    bilingual_header,
    check_header,
    read_factor_tables,
)
from yuntan.formats.safezip import UnsafeZip, checked_workbook

DATASETS_SHEET = "数据集 datasets"
VALUES_SHEET = "数值 values"
MAX_ROWS = 1_000_000  # rows read from a sheet; more is refused, not read


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
    text_only(book).save(path)


def _table(file: str, book: Any, name: str,
           columns: tuple[str, ...]) -> tuple[SourceTable, list[FactorFileProblem]]:
    if name not in book.sheetnames:
        return SourceTable(file, [], name), [FactorFileProblem(
            file, f"the sheet {name!r} is missing (the workbook has "
                  f"{', '.join(map(repr, book.sheetnames))}).")]
    # One column past the header shows cells beyond it; later ones are never read.
    lines = book[name].iter_rows(max_row=MAX_ROWS + 1, max_col=len(columns) + 1,
                                 values_only=True)
    header, problems = check_header(file, [cell_text(v) for v in next(lines, ())], columns,
                                    sheet=name)
    table: Table = []
    if problems:
        return SourceTable(file, table, name), problems
    for number, cells in enumerate(lines, start=2):
        if number > MAX_ROWS:
            return SourceTable(file, [], name), [FactorFileProblem(
                file, f"the sheet has more than {MAX_ROWS} rows; split the file.", name)]
        texts = [cell_text(c) for c in cells]
        if not any(texts):
            continue
        if any(texts[len(header):]):
            problems.append(FactorFileProblem(
                file, f"the row has cells beyond the {len(header)} columns of the header.",
                name, number))
        row = {c: "" for c in columns}
        row.update(zip(header, texts, strict=False))
        table.append((number, row))
    return SourceTable(file, table, name), problems


def read_factor_workbook(path: Path, *, name: str | None = None,
                         progress: Progress | None = None) -> list[FactorVersionRow]:
    """Read a workbook written by :func:`write_factor_workbook` (or filled by hand).

    ``name`` is what problems call the file (default: its name); any file name works, as
    uploads are stored under their SHA-256.
    """
    shown = name or path.name
    try:
        with checked_workbook(path).open("rb") as handle:
            book = load_workbook(io.BytesIO(handle.read()), read_only=True, data_only=True)
    except UnsafeZip as exc:
        raise FactorFileError([FactorFileProblem(shown, str(exc))]) from exc
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        raise FactorFileError([FactorFileProblem(
            shown, f"not an Excel workbook (.xlsx): {exc}")]) from exc
    try:
        datasets, problems = _table(shown, book, DATASETS_SHEET, DATASET_COLUMNS)
        values, more = _table(shown, book, VALUES_SHEET, VALUE_COLUMNS)
        if problems or more:
            raise FactorFileError([*problems, *more])
        return read_factor_tables(datasets, values, progress)
    finally:
        book.close()
