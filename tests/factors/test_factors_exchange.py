"""Factor export and import from the command line: Excel and CSV round trips with bilingual
headers, all-or-nothing imports that name every problem, and JSON-LD for openLCA."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from yuntan.formats.factor_csv import (
    FactorFileError,
    FactorVersionRow,
    read_factor_files,
)
from yuntan.formats.factor_excel import DATASETS_SHEET, VALUES_SHEET
from yuntan.formats.jsonld import read_jsonld, to_matrix_system
from yuntan.formats.jsonld.writer import yuntan_uuid
from yuntan.lca import footprint
from yuntan.platform.factors.actions import load_factor_rows, shipped_factor_files
from yuntan.platform.factors.exchange import export_factors, import_factors, version_rows
from yuntan.platform.factors.models import (
    PEDIGREE_INDICATORS,
    FactorDataset,
    FactorValue,
    FactorVersion,
    Status,
)

pytestmark = pytest.mark.django_db

SCORED = {"uncertainty_gsd": "1.05", "pedigree_reliability": "2", "pedigree_completeness": "1",
          "pedigree_temporal": "1", "pedigree_geographical": "1",
          "pedigree_technological": "3"}
VERSION_FIELDS = ["version", "status", "region", "reference_year", "valid_from", "valid_to",
                  "method", "gwp_set", "source_publisher", "source_document", "source_year",
                  "source_url", "source_quality", "licence", "uncertainty_gsd",
                  *PEDIGREE_INDICATORS, "note"]


def load_shipped_with_some_scored() -> None:
    """The shipped factors, two of them with an uncertainty and pedigree (as a curator might
    add them; no shipped row has one)."""
    rows = read_factor_files(*shipped_factor_files())
    rows[:2] = [FactorVersionRow({**r.fields, **SCORED}, r.values) for r in rows[:2]]
    load_factor_rows(rows)


def snapshot() -> list[tuple[object, ...]]:
    versions = sorted(
        (v.dataset.code, v.dataset.category, v.dataset.unit,
         *(getattr(v, name) for name in VERSION_FIELDS))
        for v in FactorVersion.objects.select_related("dataset")
    )
    values = sorted(
        (v.version.dataset.code, v.version.version, v.gas, v.origin, v.amount_kg_per_unit,
         v.source_note)
        for v in FactorValue.objects.select_related("version__dataset")
    )
    return [*versions, *values]


def wipe() -> None:
    # The models refuse to remove published figures; the test starts over from empty tables.
    FactorValue.objects.all()._raw_delete(FactorValue.objects.db)
    FactorVersion.objects.all().delete()
    FactorDataset.objects.all().delete()


@pytest.mark.parametrize(("target", "options"), [
    ("factors.xlsx", []), ("csv-folder", []), ("factors-csv.zip", ["--format", "csv"])])
def test_every_shipped_row_round_trips_through_a_file(
    tmp_path: Path, target: str, options: list[str]
) -> None:
    load_shipped_with_some_scored()
    before = snapshot()
    path = tmp_path / target

    call_command("export_factors", str(path), *options, stdout=io.StringIO())
    wipe()
    call_command("import_factors", str(path), stdout=io.StringIO())

    assert snapshot() == before
    assert FactorVersion.objects.count() == len(read_factor_files(*shipped_factor_files()))
    assert FactorVersion.objects.filter(uncertainty_gsd=1.05, pedigree_technological=3).count() \
        == 2


def test_the_workbook_has_bilingual_headers(tmp_path: Path) -> None:
    call_command("load_reference_data", stdout=io.StringIO())
    path = tmp_path / "factors.xlsx"
    export_factors(FactorVersion.objects.all(), path)

    book = load_workbook(path, read_only=True)
    datasets = [c.value for c in next(book[DATASETS_SHEET].iter_rows(max_row=1))]
    values = [c.value for c in next(book[VALUES_SHEET].iter_rows(max_row=1))]
    assert datasets[:3] == ["编号 / id", "版本 / version", "中文名称 / name_zh"]
    assert "不确定性（几何标准差） / uncertainty_gsd" in datasets
    assert values[4] == "每单位千克数 / amount_kg_per_unit"


def test_the_csv_export_opens_in_excel_with_chinese_intact(tmp_path: Path) -> None:
    call_command("load_reference_data", stdout=io.StringIO())
    export_factors(FactorVersion.objects.all(), tmp_path)

    raw = (tmp_path / "datasets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    assert "云南" in raw.decode("utf-8-sig")


def test_a_workbook_with_bad_cells_imports_nothing_and_the_command_prints_each(
    tmp_path: Path,
) -> None:
    call_command("load_reference_data", stdout=io.StringIO())
    path = tmp_path / "factors.xlsx"
    export_factors(FactorVersion.objects.all(), path)
    wipe()
    book = load_workbook(path)
    book[VALUES_SHEET]["C5"] = "XYZ"  # gas column, data row 4
    book[DATASETS_SHEET]["E3"] = "fuel"  # category column
    book.save(path)

    with pytest.raises(FactorFileError) as caught:
        import_factors(path)
    with pytest.raises(CommandError, match="nothing imported") as command:
        call_command("import_factors", str(path))

    problems = [(p.sheet, p.line, p.field) for p in caught.value.problems]
    assert problems == [(DATASETS_SHEET, 3, "category"), (VALUES_SHEET, 5, "gas")]
    lines = str(command.value).splitlines()
    assert lines[0].endswith("2 problems in the factor file; nothing was imported.")
    assert [line.split(", field ")[1].split(":")[0] for line in lines[1:]] == [
        "category", "gas"]
    assert f"sheet {VALUES_SHEET}, row 5, " in lines[2]
    assert FactorVersion.objects.count() == 0


def test_a_zip_of_the_csv_pair_imports(tmp_path: Path) -> None:
    load_shipped_with_some_scored()
    path = tmp_path / "factors.zip"
    export_factors(FactorVersion.objects.all(), path, "csv")
    wipe()

    loaded = import_factors(path)

    assert len(loaded.added) == len(read_factor_files(*shipped_factor_files()))
    assert loaded.present == ()


def test_version_rows_carry_every_value_and_the_new_columns() -> None:
    load_shipped_with_some_scored()

    rows = version_rows(FactorVersion.objects.filter(uncertainty_gsd=1.05))

    assert len(rows) == 2 and all(r.values for r in rows)
    assert all({k: r.fields[k] for k in SCORED} == SCORED for r in rows)


# --- JSON-LD ------------------------------------------------------------------------------


def test_the_shipped_factors_export_as_json_ld_that_reads_back(tmp_path: Path) -> None:
    call_command("load_reference_data", stdout=io.StringIO())
    target = tmp_path / "factors.zip"
    out = io.StringIO()

    call_command("export_factors", "--format", "jsonld", str(target), stdout=out)

    imported = read_jsonld(target)
    with_values = FactorVersion.objects.filter(values__isnull=False).distinct()
    placeholders = FactorVersion.objects.filter(status=Status.PLACEHOLDER)
    assert len(imported.processes) == with_values.count() > 200
    assert f"exported {with_values.count()} factor versions" in out.getvalue()
    left_out = [line for line in out.getvalue().splitlines() if "left out" in line]
    assert len(left_out) == placeholders.count() == 1  # phosphogypsum stacking
    assert all(line.endswith(": placeholder without values") for line in left_out)
    grid = FactorVersion.objects.get(dataset__code="electricity-grid-average-CN-YN",
                                     version="2022")
    [co2] = grid.values.all()
    process = imported.processes[yuntan_uuid("factor-dataset", str(grid))]
    matrices = to_matrix_system(imported)
    per_kwh = footprint(matrices.system, matrices.demand_of(process.id)).total
    # 1 kWh in openLCA's unit kWh (the writer's 3.6 MJ ÷ 3.6 may leave a last-digit error)
    assert process.reference_exchange.amount == pytest.approx(1.0, rel=1e-15)
    assert (co2.gas, per_kwh) == ("CO2", pytest.approx(co2.amount_kg_per_unit, rel=1e-12))
    assert co2.amount_kg_per_unit == 0.1073


def test_a_placeholder_with_values_is_exported_flagged(tmp_path: Path) -> None:
    dataset = FactorDataset.objects.create(code="tea", name_zh="茶", name_en="Tea",
                                           category="material", unit="kg")
    version = FactorVersion.objects.create(dataset=dataset, version="illustrative",
                                           region="CN-YN", method="cradle_to_gate")
    FactorValue.objects.create(version=version, gas="CO2e", origin="fossil",
                               amount_kg_per_unit=1.0)
    version.status = Status.PLACEHOLDER
    version.save()

    exported = export_factors(FactorVersion.objects.all(), tmp_path / "f.zip", "jsonld")

    process_id = yuntan_uuid("factor-dataset", "tea@illustrative")
    with zipfile.ZipFile(tmp_path / "f.zip") as archive:
        process = json.loads(archive.read(f"processes/{process_id}.json"))
    assert exported.written == 1 and exported.left_out == ()
    assert "placeholder" in process["tags"]
    assert process["processDocumentation"]["useAdvice"].startswith("Placeholder value")


def test_nothing_to_export_as_json_ld_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no factor datasets to export"):
        call_command("export_factors", str(tmp_path / "f.zip"), stdout=io.StringIO())
