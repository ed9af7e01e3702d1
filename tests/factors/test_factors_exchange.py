"""Factor export and import: Excel and CSV round trips with bilingual headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from yuntan.formats.factor_csv import FactorFileError
from yuntan.formats.factor_excel import DATASETS_SHEET, VALUES_SHEET
from yuntan.platform.factors.exchange import export_factors, import_factors, version_rows
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[object, ...]]:
    return sorted(
        (v.version.dataset.code, v.version.version, v.version.status, v.version.source_document,
         v.gas, v.origin, v.amount_kg_per_unit)
        for v in FactorValue.objects.select_related("version__dataset")
    ) + sorted(
        (v.dataset.code, v.version, v.status, v.note)
        for v in FactorVersion.objects.filter(values__isnull=True).select_related("dataset")
    )


@pytest.mark.parametrize("target", ["factors.xlsx", "csv-folder"])
def test_shipped_factors_round_trip_through_a_file(tmp_path: Path, target: str) -> None:
    call_command("load_reference_data")
    before = snapshot()
    path = tmp_path / target

    call_command("export_factors", str(path))
    FactorValue.objects.all().delete()
    FactorVersion.objects.all().delete()
    FactorDataset.objects.all().delete()
    call_command("import_factors", str(path))

    assert snapshot() == before
    assert len(before) > 100


def test_the_workbook_has_bilingual_headers(tmp_path: Path) -> None:
    call_command("load_reference_data")
    path = tmp_path / "factors.xlsx"
    export_factors(FactorVersion.objects.all(), path)

    book = load_workbook(path, read_only=True)
    datasets = [c.value for c in next(book[DATASETS_SHEET].iter_rows(max_row=1))]
    values = [c.value for c in next(book[VALUES_SHEET].iter_rows(max_row=1))]
    assert datasets[:3] == ["编号 / id", "版本 / version", "中文名称 / name_zh"]
    assert values[4] == "每单位千克数 / amount_kg_per_unit"


def test_the_csv_export_opens_in_excel_with_chinese_intact(tmp_path: Path) -> None:
    call_command("load_reference_data")
    export_factors(FactorVersion.objects.all(), tmp_path)

    raw = (tmp_path / "datasets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    assert "云南" in raw.decode("utf-8-sig")


def test_a_workbook_with_one_bad_cell_imports_nothing(tmp_path: Path) -> None:
    call_command("load_reference_data")
    path = tmp_path / "factors.xlsx"
    export_factors(FactorVersion.objects.all(), path)
    FactorValue.objects.all().delete()
    FactorVersion.objects.all().delete()
    FactorDataset.objects.all().delete()
    book = load_workbook(path)
    book[VALUES_SHEET]["C5"] = "XYZ"  # gas column, data row 4
    book.save(path)

    with pytest.raises(FactorFileError, match=r"sheet 数值 values line 5: unknown gas 'XYZ'"):
        import_factors(path)
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_factors", str(path))
    assert FactorVersion.objects.count() == 0


def test_a_workbook_without_its_sheets_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    with pytest.raises(FactorFileError, match="the sheet '数据集 datasets' is missing"):
        import_factors(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook", encoding="utf-8")

    with pytest.raises(FactorFileError, match="not an Excel workbook"):
        import_factors(path)


def test_version_rows_carry_every_value() -> None:
    call_command("load_reference_data")

    gas = FactorVersion.objects.filter(dataset__code="natural-gas-combustion-CN-default")
    rows = version_rows(gas)

    assert rows and all(r.values for r in rows)
