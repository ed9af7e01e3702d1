"""Loading factor CSV files into the database: checks, idempotence, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    VALUE_COLUMNS,
    FactorFileError,
    FactorVersionRow,
    read_factor_files,
)
from yuntan.platform.factors.actions import load_factor_rows
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

GRID = {
    "id": "electricity-grid-average-CN-YN", "version": "2022", "name_zh": "云南电网平均因子",
    "name_en": "Yunnan grid average", "category": "energy", "unit": "kWh", "region": "CN-YN",
    "reference_year": "2022", "valid_from": "", "valid_to": "",
    "method": "grid_average_location_based", "status": "published", "gwp_set": "",
    "source_publisher": "生态环境部", "source_document": "2022年电力二氧化碳排放因子",
    "source_year": "2024", "source_url": "", "source_quality": "secondary", "licence": "",
    "note": "",
}
ALUMINA = {**GRID, "id": "alumina", "version": "placeholder", "category": "material",
           "unit": "t", "status": "placeholder", "source_publisher": "",
           "source_document": "", "note": "no public figure found"}


def write(tmp_path: Path, datasets: list[dict[str, str]],
          values: list[dict[str, str]]) -> tuple[Path, Path]:
    def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
        lines = [",".join(columns)]
        lines += [",".join(f'"{row[c]}"' for c in columns) for row in rows]
        return "\n".join(lines) + "\n"

    first, second = tmp_path / "datasets.csv", tmp_path / "values.csv"
    first.write_text(csv_text(DATASET_COLUMNS, datasets), encoding="utf-8")
    second.write_text(csv_text(VALUE_COLUMNS, values), encoding="utf-8")
    return first, second


def grid_value(amount: str = "0.1073") -> dict[str, str]:
    return {"id": GRID["id"], "version": "2022", "gas": "CO2", "origin": "fossil",
            "amount_kg_per_unit": amount, "source_note": "provincial average"}


@pytest.mark.django_db
def test_it_loads_published_versions_and_placeholders(tmp_path: Path) -> None:
    rows = read_factor_files(*write(tmp_path, [GRID, ALUMINA], [grid_value()]))

    assert load_factor_rows(rows) == (2, 0)

    grid = FactorVersion.objects.get(dataset__code=GRID["id"], version="2022")
    assert grid.status == Status.PUBLISHED and grid.published_at is not None
    assert [(v.gas, v.origin, v.amount_kg_per_unit) for v in grid.values.all()] == [
        ("CO2", "fossil", 0.1073)]
    alumina = FactorVersion.objects.get(dataset__code="alumina")
    assert alumina.is_placeholder and alumina.values.count() == 0


@pytest.mark.django_db
def test_loading_again_adds_nothing_and_changes_nothing(tmp_path: Path) -> None:
    rows = read_factor_files(*write(tmp_path, [GRID], [grid_value()]))
    load_factor_rows(rows)

    assert load_factor_rows(rows) == (0, 1)
    assert FactorVersion.objects.count() == 1 and FactorValue.objects.count() == 1


@pytest.mark.django_db
def test_a_published_version_cannot_change(tmp_path: Path) -> None:
    load_factor_rows(read_factor_files(*write(tmp_path, [GRID], [grid_value()])))
    version = FactorVersion.objects.get()

    version.note = "edited"
    with translation.override("en"), pytest.raises(ValidationError, match="cannot change"):
        version.save()
    with pytest.raises(ValidationError, match="已发布：其数值不能修改"):  # Chinese first
        FactorValue.objects.create(version=version, gas="CH4", origin="fossil",
                                   amount_kg_per_unit=1.0)
    version.refresh_from_db()
    assert version.note == "" and version.values.count() == 1


@pytest.mark.django_db
def test_a_bad_row_changes_nothing(tmp_path: Path) -> None:
    good = read_factor_files(*write(tmp_path, [GRID], [grid_value()]))
    twice = good[0].values[0]
    # Built by hand (the reader refuses it): a second dataset whose value appears twice, so
    # the database's unique constraint fails after the first dataset was written.
    bad = FactorVersionRow({**GRID, "id": "other"}, (twice, twice))

    with pytest.raises(IntegrityError):
        load_factor_rows([*good, bad])

    assert FactorDataset.objects.count() == 0 and FactorVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("datasets", "values", "message"),
    [
        ([GRID, GRID], [grid_value()], "appears twice"),
        ([GRID], [], "has no values"),
        ([ALUMINA], [{**grid_value(), "id": "alumina", "version": "placeholder"}],
         "placeholder but has values"),
        ([{**GRID, "source_publisher": ""}], [grid_value()], "source_publisher"),
        ([GRID], [{**grid_value(), "gas": "XYZ"}], "unknown gas 'XYZ'"),
        ([GRID], [{**grid_value(), "origin": "volcanic"}], "line 2"),
        ([GRID], [grid_value("nan")], "finite"),
        ([GRID], [grid_value(), grid_value()], "CO2 \\(fossil\\) appears twice"),
        ([GRID], [{**grid_value(), "id": "other"}], "no dataset other@2022"),
        ([{**GRID, "unit": "furlongz"}], [grid_value()], "furlongz"),
    ],
)
def test_it_names_the_file_line_and_field_of_a_bad_row(
    tmp_path: Path, datasets: list[dict[str, str]], values: list[dict[str, str]], message: str
) -> None:
    with pytest.raises(Exception, match=message) as caught:
        read_factor_files(*write(tmp_path, datasets, values))
    assert isinstance(caught.value, FactorFileError) or "furlongz" in message


def test_it_refuses_a_file_with_the_wrong_header(tmp_path: Path) -> None:
    first, second = write(tmp_path, [GRID], [grid_value()])
    first.write_text("id,version\nx,1\n", encoding="utf-8")

    with pytest.raises(FactorFileError, match=r"datasets\.csv: the header must be"):
        read_factor_files(first, second)


@pytest.mark.django_db
def test_the_shipped_factors_load_and_answer_through_the_api() -> None:
    from django.core.management import call_command
    from django.test import Client

    call_command("load_reference_data")

    yunnan = Client().get("/api/factors/electricity-grid-average-CN-YN/versions/2022").json()
    assert yunnan["values"] == [{"gas": "CO2", "origin": "fossil", "amount_kg_per_unit": 0.1073}]
    assert yunnan["source_quality"] == "secondary"
    placeholders = FactorVersion.objects.filter(status=Status.PLACEHOLDER)
    assert placeholders.exists()
    assert not FactorValue.objects.filter(version__in=placeholders).exists()
    assert all(v.note for v in placeholders)
