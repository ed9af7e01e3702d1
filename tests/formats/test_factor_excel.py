"""The factor workbook: bilingual headers, every problem named by sheet, row, record and
column, and an exact round trip of every shipped row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from yuntan.formats.factor_csv import (
    UNCERTAINTY_COLUMNS,
    FactorFileError,
    FactorVersionRow,
    read_factor_files,
)
from yuntan.formats.factor_excel import (
    DATASETS_SHEET,
    VALUES_SHEET,
    read_factor_workbook,
    write_factor_workbook,
)

SHIPPED = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"
SCORED = {"uncertainty_gsd": "1.2", "pedigree_reliability": "2", "pedigree_completeness": "2",
          "pedigree_temporal": "1", "pedigree_geographical": "3",
          "pedigree_technological": "4"}


def shipped() -> list[FactorVersionRow]:
    return read_factor_files(SHIPPED / "datasets.csv", SHIPPED / "values.csv")


def workbook(tmp_path: Path, rows: list[FactorVersionRow] | None = None) -> Path:
    path = tmp_path / "factors.xlsx"
    write_factor_workbook(rows if rows is not None else shipped()[:3], path)
    return path


def column(sheet: object, name: str) -> int:
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]  # type: ignore[attr-defined]
    return next(i for i, h in enumerate(header, start=1) if h.endswith(f"/ {name}"))


def test_every_shipped_row_round_trips_through_excel_with_the_new_columns(
    tmp_path: Path,
) -> None:
    rows = shipped()
    rows[5] = FactorVersionRow({**rows[5].fields, **SCORED}, rows[5].values)

    again = read_factor_workbook(workbook(tmp_path, rows))

    assert [(r.fields, r.values) for r in again] == [(r.fields, r.values) for r in rows]
    assert again[5].fields["pedigree_technological"] == "4"


def test_the_new_columns_have_bilingual_headers(tmp_path: Path) -> None:
    book = load_workbook(workbook(tmp_path), read_only=True)
    header = [c.value for c in next(book[DATASETS_SHEET].iter_rows(max_row=1))]

    assert "不确定性（几何标准差） / uncertainty_gsd" in header
    assert "谱系：时间相关性 / pedigree_temporal" in header
    assert header.index("许可 / licence") + 7 == header.index("备注 / note")


def test_cells_typed_as_numbers_and_dates_read_as_text(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    book = load_workbook(path)
    sheet = book[DATASETS_SHEET]
    sheet.cell(2, column(sheet, "reference_year"), 2021)
    sheet.cell(2, column(sheet, "valid_from"), datetime.datetime(2024, 4, 12))
    sheet.cell(2, column(sheet, "uncertainty_gsd"), 1.5)
    for index, name in enumerate(UNCERTAINTY_COLUMNS[1:], start=1):
        sheet.cell(2, column(sheet, name), index)
    book.save(path)

    first = read_factor_workbook(path)[0].fields

    assert (first["reference_year"], first["valid_from"]) == ("2021", "2024-04-12")
    assert [first[name] for name in UNCERTAINTY_COLUMNS] == ["1.5", "1", "2", "3", "4", "5"]


def test_every_bad_cell_is_named_by_sheet_row_record_and_column(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    book = load_workbook(path)
    datasets, values = book[DATASETS_SHEET], book[VALUES_SHEET]
    datasets.cell(3, column(datasets, "category"), "fuel")
    datasets.cell(4, column(datasets, "pedigree_temporal"), 7)
    values.cell(2, column(values, "amount_kg_per_unit"), "n/a")
    book.save(path)

    with pytest.raises(FactorFileError) as caught:
        read_factor_workbook(path, name="我的因子.xlsx")

    keys = [(r.record, r.fields["id"]) for r in shipped()[:3]]
    found = [(p.file, p.sheet, p.line, p.record, p.field) for p in caught.value.problems]
    # A row without scores also misses the other four ("all five or none").
    unscored = [] if shipped()[2].fields["pedigree_reliability"] else [
        ("我的因子.xlsx", DATASETS_SHEET, 4, keys[2][0], "pedigree_reliability")]
    assert sorted(found) == sorted([
        ("我的因子.xlsx", DATASETS_SHEET, 3, keys[1][0], "category"),
        ("我的因子.xlsx", DATASETS_SHEET, 4, keys[2][0], "pedigree_temporal"),
        *unscored,
        ("我的因子.xlsx", VALUES_SHEET, 2, keys[0][0], "amount_kg_per_unit"),
        # its only value was the bad one
        ("我的因子.xlsx", DATASETS_SHEET, 2, keys[0][0], "status"),
    ])
    assert f"我的因子.xlsx, sheet {VALUES_SHEET}, row 2, {keys[0][0]}, field " \
           f"amount_kg_per_unit: must be a finite number" in str(caught.value)


def test_a_workbook_without_its_sheets_names_both(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    with pytest.raises(FactorFileError) as caught:
        read_factor_workbook(path)

    assert [p.message.split(" (")[0] for p in caught.value.problems] == [
        f"the sheet {DATASETS_SHEET!r} is missing", f"the sheet {VALUES_SHEET!r} is missing"]


def test_a_wrong_header_is_named_with_its_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path)
    book = load_workbook(path)
    book[VALUES_SHEET].cell(1, 3, "物质 / substance")
    book.save(path)

    with pytest.raises(FactorFileError) as caught:
        read_factor_workbook(path)

    [problem] = caught.value.problems
    assert (problem.sheet, problem.line) == (VALUES_SHEET, 1)
    assert "the header must be id,version,gas" in problem.message


def test_a_stored_upload_reads_whatever_its_file_name(tmp_path: Path) -> None:
    stored = workbook(tmp_path).rename(tmp_path / "5be0c1d2")

    assert len(read_factor_workbook(stored)) == 3


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")

    with pytest.raises(FactorFileError, match=r"fake\.xlsx: not an Excel workbook"):
        read_factor_workbook(path)
