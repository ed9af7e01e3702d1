"""Reading factor CSV files (also zipped): every problem of a bad file, each naming its file,
line, record and field; the shipped rows round-trip exactly."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    UNCERTAINTY_COLUMNS,
    VALUE_COLUMNS,
    FactorFileError,
    FactorFileProblem,
    FactorVersionRow,
    as_text_cell,
    read_factor_files,
    read_factor_zip,
    write_factor_files,
)

SHIPPED = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"

GRID = {
    "id": "electricity-grid-average-CN-YN", "version": "2022", "name_zh": "云南电网平均因子",
    "name_en": "Yunnan grid average", "category": "energy", "unit": "kWh", "region": "CN-YN",
    "reference_year": "2022", "valid_from": "2024-12-20", "valid_to": "",
    "method": "grid_average_location_based", "status": "published", "gwp_set": "",
    "source_publisher": "生态环境部", "source_document": "2022年电力二氧化碳排放因子",
    "source_year": "2024", "source_url": "", "source_quality": "secondary", "licence": "",
    "uncertainty_gsd": "", "pedigree_reliability": "", "pedigree_completeness": "",
    "pedigree_temporal": "", "pedigree_geographical": "", "pedigree_technological": "",
    "note": "", "conservative_default": "",
}
SCORED = {"uncertainty_gsd": "1.05", "pedigree_reliability": "2", "pedigree_completeness": "1",
          "pedigree_temporal": "1", "pedigree_geographical": "1",
          "pedigree_technological": "3"}
ALUMINA = {**GRID, "id": "alumina", "version": "placeholder", "category": "material",
           "unit": "t", "status": "placeholder", "source_publisher": "",
           "source_document": "", "note": "no public figure found"}
VALUE = {"id": GRID["id"], "version": "2022", "gas": "CO2", "origin": "fossil",
         "amount_kg_per_unit": "0.1073", "source_note": "provincial average"}


def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    lines = [",".join(columns)]
    lines += [",".join(f'"{row[c]}"' for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def write(folder: Path, datasets: list[dict[str, str]],
          values: list[dict[str, str]]) -> tuple[Path, Path]:
    first, second = folder / "datasets.csv", folder / "values.csv"
    first.write_text(csv_text(DATASET_COLUMNS, datasets), encoding="utf-8")
    second.write_text(csv_text(VALUE_COLUMNS, values), encoding="utf-8")
    return first, second


def problems_of(paths: tuple[Path, Path]) -> list[FactorFileProblem]:
    with pytest.raises(FactorFileError) as caught:
        read_factor_files(*paths)
    return list(caught.value.problems)


def test_it_reads_uncertainty_and_pedigree(tmp_path: Path) -> None:
    [row] = read_factor_files(*write(tmp_path, [{**GRID, **SCORED}], [VALUE]))

    assert {name: row.fields[name] for name in UNCERTAINTY_COLUMNS} == SCORED
    assert row.values[0].amount_kg_per_unit == 0.1073
    assert (row.file, row.line, row.record) == ("datasets.csv", 2, f"{GRID['id']}@2022")


BAD_DATASETS = [
    ("category", "fuel", "unknown value 'fuel'"),
    ("status", "final", "unknown value 'final'"),
    ("method", "guesswork", "unknown value 'guesswork'"),
    ("source_quality", "good", "unknown value 'good'"),
    ("gwp_set", "AR7", "unknown value 'AR7'"),
    ("reference_year", "2022.5", "not a year"),
    ("source_year", "last year", "not a year"),
    ("valid_from", "20.12.2024", "not a date"),
    ("valid_to", "2024-02-30", "not a date"),
    ("valid_to", "2020-01-01", "before its start"),
    ("unit", "furlongz", "Unknown unit 'furlongz'"),
    ("region", "", "required"),
    ("name_en", "", "required"),
    ("source_publisher", "", "required for a published version"),
    ("uncertainty_gsd", "0.9", "≥ 1"),
    ("uncertainty_gsd", "wide", "not a number"),
    ("uncertainty_gsd", "inf", "≥ 1"),
    ("pedigree_temporal", "6", "whole number 1–5"),
    ("pedigree_temporal", "2.5", "whole number 1–5"),
    ("id", "grid average", "letters, digits, hyphens"),
    ("licence", "x" * 201, "at most 200 characters"),
]


@pytest.mark.parametrize(("field", "text", "message"), BAD_DATASETS,
                         ids=[f"{f}={t[:12]}" for f, t, _m in BAD_DATASETS])
def test_a_bad_dataset_cell_is_named_by_line_record_and_field(
    tmp_path: Path, field: str, text: str, message: str
) -> None:
    row = {**GRID, **SCORED, field: text}

    [problem] = problems_of(write(tmp_path, [row], [{**VALUE, "id": row["id"]}]))

    assert (problem.file, problem.line, problem.field) == ("datasets.csv", 2, field)
    assert problem.record == f"{row['id']}@2022"
    assert message in problem.message


BAD_VALUES = [
    ("gas", "XYZ", "unknown gas 'XYZ'"),
    ("origin", "volcanic", "unknown origin 'volcanic'"),
    ("amount_kg_per_unit", "nan", "finite"),
    ("amount_kg_per_unit", "0,1073", "finite"),
    ("id", "other", "no dataset other@2022 in datasets.csv"),
]


@pytest.mark.parametrize(("field", "text", "message"), BAD_VALUES,
                         ids=[f"{f}={t}" for f, t, _m in BAD_VALUES])
def test_a_bad_value_cell_is_named_by_line_record_and_field(
    tmp_path: Path, field: str, text: str, message: str
) -> None:
    found = problems_of(write(tmp_path, [GRID], [VALUE, {**VALUE, "gas": "CH4", field: text}]))

    bad = [p for p in found if p.file == "values.csv"]
    assert [(p.line, p.field) for p in bad] == [(3, field)]
    assert message in bad[0].message
    assert bad[0].record == f"{text if field == 'id' else GRID['id']}@2022"


def test_it_lists_every_problem_of_the_file_not_only_the_first(tmp_path: Path) -> None:
    datasets = [
        {**GRID, "category": "fuel", "reference_year": "soon"},
        {**GRID},  # the same id and version again
        {**ALUMINA, "pedigree_reliability": "1"},  # four scores missing
        {**GRID, "id": "orphan", "version": "1"},  # published without values
    ]
    values = [VALUE, VALUE, {**VALUE, "gas": "XYZ", "origin": "volcanic"},
              {**VALUE, "id": "alumina", "version": "placeholder"},
              {**VALUE, "id": "ghost"}]

    found = problems_of(write(tmp_path, datasets, values))

    assert sorted((p.file, p.line, p.record, p.field) for p in found) == sorted([
        ("datasets.csv", 2, "electricity-grid-average-CN-YN@2022", "category"),
        ("datasets.csv", 2, "electricity-grid-average-CN-YN@2022", "reference_year"),
        ("datasets.csv", 3, "electricity-grid-average-CN-YN@2022", "version"),
        ("datasets.csv", 4, "alumina@placeholder", "pedigree_completeness"),
        ("datasets.csv", 4, "alumina@placeholder", "status"),  # a placeholder with values
        ("datasets.csv", 5, "orphan@1", "status"),  # no values
        ("values.csv", 3, "electricity-grid-average-CN-YN@2022", "gas"),  # CO2 twice
        ("values.csv", 4, "electricity-grid-average-CN-YN@2022", "gas"),
        ("values.csv", 4, "electricity-grid-average-CN-YN@2022", "origin"),
        ("values.csv", 6, "ghost@2022", "id"),
    ])
    assert "appears twice (first on line 2)" in next(p.message for p in found if p.line == 3
                                                     and p.file == "datasets.csv")


def test_every_version_of_a_dataset_has_the_same_unit_and_category(tmp_path: Path) -> None:
    later = {**GRID, "version": "2023", "unit": "MWh", "category": "material"}

    found = problems_of(write(tmp_path, [GRID, later],
                              [VALUE, {**VALUE, "version": "2023"}]))

    assert [(p.line, p.record, p.field) for p in found] == [
        (3, f"{GRID['id']}@2023", "unit"), (3, f"{GRID['id']}@2023", "category")]


def test_the_error_message_lists_every_problem_one_a_line(tmp_path: Path) -> None:
    with pytest.raises(FactorFileError) as caught:
        read_factor_files(*write(tmp_path, [{**GRID, "status": "final", "region": ""}], [VALUE]))

    lines = str(caught.value).splitlines()
    assert lines[0] == "2 problems in the factor file; nothing was imported."
    assert lines[1:] == [
        "- datasets.csv line 2, electricity-grid-average-CN-YN@2022, field region: required.",
        "- datasets.csv line 2, electricity-grid-average-CN-YN@2022, field status: unknown "
        "value 'final'; use one of: draft, reviewed, published, deprecated, placeholder.",
    ]


def test_a_problem_is_json_for_the_job_page() -> None:
    problem = FactorFileProblem("f.xlsx", "unknown gas 'XYZ'; …", sheet="数值 values", line=5,
                                record="grid@2022", field="gas")

    assert problem.as_dict() == {
        "file": "f.xlsx", "sheet": "数值 values", "line": 5, "record": "grid@2022",
        "field": "gas", "message": "unknown gas 'XYZ'; …",
        "where": "f.xlsx, sheet 数值 values, row 5, grid@2022"}


def test_a_wrong_header_is_a_problem_of_line_one_and_both_files_are_checked(
    tmp_path: Path,
) -> None:
    first, second = write(tmp_path, [GRID], [VALUE])
    first.write_text("id,version\nx,1\n", encoding="utf-8")
    second.write_text("id;version;gas\n", encoding="utf-8")

    found = problems_of((first, second))

    assert [(p.file, p.line) for p in found] == [("datasets.csv", 1), ("values.csv", 1)]
    assert found[0].message.startswith("the header must be id,version,name_zh")


def test_a_file_without_the_uncertainty_columns_still_reads(tmp_path: Path) -> None:
    older = tuple(c for c in DATASET_COLUMNS if c not in UNCERTAINTY_COLUMNS)
    first, second = write(tmp_path, [GRID], [VALUE])
    first.write_text(csv_text(older, [GRID]), encoding="utf-8")

    [row] = read_factor_files(first, second)

    assert row.fields["uncertainty_gsd"] == "" and row.fields["pedigree_temporal"] == ""


def test_bilingual_headers_and_a_file_saved_by_chinese_excel_read(tmp_path: Path) -> None:
    first, second = tmp_path / "datasets.csv", tmp_path / "values.csv"
    write_factor_files([FactorVersionRow({**GRID, **SCORED}, ())], first, second)
    body = csv_text(DATASET_COLUMNS, [GRID]).split("\n", 1)[1]
    header = first.read_text(encoding="utf-8-sig").split("\n", 1)[0]
    first.write_bytes((header + "\n" + body).encode("gb18030"))  # no BOM, not UTF-8
    second.write_text(csv_text(VALUE_COLUMNS, [VALUE]), encoding="utf-8-sig")

    [row] = read_factor_files(first, second)

    assert header.startswith("编号 / id,版本 / version,")
    assert row.fields["name_zh"] == "云南电网平均因子"


def test_progress_is_reported_while_checking(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []

    read_factor_files(*write(tmp_path, [GRID], [VALUE]),
                      progress=lambda done, total, _message: calls.append((done, total)))

    assert calls[-1] == (2, 2)


def test_problems_can_name_the_uploaded_files(tmp_path: Path) -> None:
    first, second = write(tmp_path, [{**GRID, "region": ""}], [VALUE])
    stored = tmp_path / "3fa9c0"
    first.rename(stored)

    with pytest.raises(FactorFileError) as caught:
        read_factor_files(stored, second, names=("我的数据集.csv", "values.csv"))

    assert caught.value.problems[0].file == "我的数据集.csv"


# --- zip ----------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize("folder", ["", "factors/"])
def test_a_zip_of_the_pair_reads_at_its_top_or_in_a_folder(tmp_path: Path, folder: str) -> None:
    path = _zip(tmp_path / "factors.zip", {
        f"{folder}datasets.csv": csv_text(DATASET_COLUMNS, [GRID, ALUMINA]),
        f"{folder}values.csv": csv_text(VALUE_COLUMNS, [VALUE]),
        "__MACOSX/datasets.csv": "junk"})

    rows = read_factor_zip(path)

    assert [r.record for r in rows] == [f"{GRID['id']}@2022", "alumina@placeholder"]


def test_problems_inside_a_zip_name_the_zip_and_its_member(tmp_path: Path) -> None:
    path = _zip(tmp_path / "upload", {
        "datasets.csv": csv_text(DATASET_COLUMNS, [GRID]),
        "values.csv": csv_text(VALUE_COLUMNS, [VALUE, {**VALUE, "gas": "XYZ"}])})

    with pytest.raises(FactorFileError) as caught:
        read_factor_zip(path, name="factors.zip")

    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("factors.zip: values.csv", 3, "gas")


@pytest.mark.parametrize(
    ("members", "message"),
    [({"datasets.csv": "id"}, "exactly one values.csv (found 0)"),
     ({"a/datasets.csv": "", "b/datasets.csv": "", "values.csv": ""},
      "exactly one datasets.csv (found 2)"),
     ({"datasets.csv": "x" * 2000, "values.csv": ""}, "more than the 1000 allowed")],
)
def test_a_zip_without_exactly_one_pair_or_too_big_is_refused(
    tmp_path: Path, members: dict[str, str], message: str
) -> None:
    path = _zip(tmp_path / "f.zip", members)

    with pytest.raises(FactorFileError, match=re.escape(message)):
        read_factor_zip(path, max_member_bytes=1000)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.zip"
    path.write_text("hello", encoding="utf-8")

    with pytest.raises(FactorFileError, match=r"f\.zip: not a zip file"):
        read_factor_zip(path)


# --- round trip ---------------------------------------------------------------------------


def test_every_shipped_row_round_trips_through_csv(tmp_path: Path) -> None:
    shipped = read_factor_files(SHIPPED / "datasets.csv", SHIPPED / "values.csv")
    scored = [FactorVersionRow({**shipped[0].fields, **SCORED}, shipped[0].values),
              *shipped[1:]]

    write_factor_files(scored, tmp_path / "datasets.csv", tmp_path / "values.csv")
    again = read_factor_files(tmp_path / "datasets.csv", tmp_path / "values.csv")

    assert [(r.fields, r.values) for r in again] == [(r.fields, r.values) for r in scored]
    assert len(again) == len(shipped) > 200


def test_a_conservative_default_is_read_and_a_file_without_the_column_still_reads(
        tmp_path: Path) -> None:
    default = {**GRID, "id": "alumina", "category": "material", "unit": "t",
               "conservative_default": "true"}
    value = {**VALUE, "id": "alumina"}
    rows = read_factor_files(*write(tmp_path, [GRID, default], [VALUE, value]))
    assert [(r.record, r.conservative_default) for r in rows] == [
        ("electricity-grid-average-CN-YN@2022", False), ("alumina@2022", True)]
    older = tuple(c for c in DATASET_COLUMNS if c != "conservative_default")
    (tmp_path / "datasets.csv").write_text(csv_text(older, [GRID]), encoding="utf-8")
    (tmp_path / "values.csv").write_text(csv_text(VALUE_COLUMNS, [VALUE]), encoding="utf-8")
    rows = read_factor_files(tmp_path / "datasets.csv", tmp_path / "values.csv")
    assert [r.conservative_default for r in rows] == [False]


def test_a_placeholder_cannot_be_a_default_and_the_flag_is_true_or_empty(
        tmp_path: Path) -> None:
    bad = [{**ALUMINA, "conservative_default": "true"},
           {**GRID, "conservative_default": "yes"}]
    with pytest.raises(FactorFileError) as caught:
        read_factor_files(*write(tmp_path, bad, [VALUE]))
    fields = {(p.record, p.field) for p in caught.value.problems}
    assert ("alumina@placeholder", "conservative_default") in fields
    assert ("electricity-grid-average-CN-YN@2022", "conservative_default") in fields


def test_text_a_spreadsheet_would_run_is_written_as_text_and_reads_back(
        tmp_path: Path) -> None:
    hostile = {**GRID, "note": "=HYPERLINK('http://evil'; 'click')",
               "source_document": "+cmd|' /C calc'!A0", "licence": "@SUM(1+1)"}
    value = {**VALUE, "source_note": "-2+3"}
    rows = read_factor_files(*write(tmp_path, [hostile], [value]))
    out = tmp_path / "out"
    out.mkdir()
    write_factor_files(rows, out / "datasets.csv", out / "values.csv")
    text = (out / "datasets.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'@SUM" in text
    assert "'-2+3" in (out / "values.csv").read_text(encoding="utf-8-sig")
    again = read_factor_files(out / "datasets.csv", out / "values.csv")
    assert [(r.fields, r.values) for r in again] == [(r.fields, r.values) for r in rows]
    # Numbers stay numbers, also negative ones.
    assert as_text_cell("-0.5") == "-0.5" and as_text_cell("-x") == "'-x"
