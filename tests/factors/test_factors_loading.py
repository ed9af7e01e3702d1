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
    "uncertainty_gsd": "", "pedigree_reliability": "", "pedigree_completeness": "",
    "pedigree_temporal": "", "pedigree_geographical": "", "pedigree_technological": "",
    "note": "",
}
SCORED = {"uncertainty_gsd": "1.05", "pedigree_reliability": "2", "pedigree_completeness": "1",
          "pedigree_temporal": "1", "pedigree_geographical": "1",
          "pedigree_technological": "3"}
ALUMINA = {**GRID, "id": "alumina", "version": "placeholder", "category": "material",
           "unit": "t", "status": "placeholder", "source_publisher": "",
           "source_document": "", "note": "no public figure found"}


def write(tmp_path: Path, datasets: list[dict[str, str]],
          values: list[dict[str, str]]) -> tuple[Path, Path]:
    def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
        lines = [",".join(columns)]
        lines += [",".join(f'"{row.get(c, "")}"' for c in columns) for row in rows]
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

    assert load_factor_rows(rows).added == (f"{GRID['id']}@2022", "alumina@placeholder")

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

    again = load_factor_rows(rows)

    assert (again.added, again.present) == ((), (f"{GRID['id']}@2022",))
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
    ("datasets", "values", "line", "field", "message"),
    [
        ([GRID, GRID], [grid_value()], 3, "version", "appears twice"),
        ([GRID], [], 2, "status", "no values in values.csv"),
        ([ALUMINA], [{**grid_value(), "id": "alumina", "version": "placeholder"}], 2,
         "status", "a placeholder has no values"),
        ([{**GRID, "source_publisher": ""}], [grid_value()], 2, "source_publisher",
         "required for a published version"),
        ([{**GRID, "unit": "furlongz"}], [grid_value()], 2, "unit", "furlongz"),
    ],
)
def test_it_names_the_file_line_record_and_field_of_a_bad_row(
    tmp_path: Path, datasets: list[dict[str, str]], values: list[dict[str, str]], line: int,
    field: str, message: str
) -> None:
    with pytest.raises(FactorFileError) as caught:
        read_factor_files(*write(tmp_path, datasets, values))

    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("datasets.csv", line, field)
    assert problem.record == f"{datasets[0]['id']}@{datasets[0]['version']}"
    assert message in problem.message


@pytest.mark.django_db
def test_it_stores_uncertainty_and_pedigree(tmp_path: Path) -> None:
    load_factor_rows(read_factor_files(*write(tmp_path, [{**GRID, **SCORED}], [grid_value()])))

    grid = FactorVersion.objects.get()
    assert grid.uncertainty_gsd == 1.05
    assert [score for _label, score in grid.pedigree] == [2, 1, 1, 1, 3]


@pytest.mark.django_db
def test_an_upload_enters_as_drafts_of_the_uploader_and_placeholders_stay(
    tmp_path: Path,
) -> None:
    from django.contrib.auth.models import User

    curator = User.objects.create_user("anna")
    rows = read_factor_files(*write(tmp_path, [GRID, ALUMINA], [grid_value()]))

    load_factor_rows(rows, created_by=curator)

    grid = FactorVersion.objects.get(dataset__code=GRID["id"])
    alumina = FactorVersion.objects.get(dataset__code="alumina")
    assert (grid.status, grid.created_by, grid.published_at) == (Status.DRAFT, curator, None)
    assert (alumina.status, alumina.created_by) == (Status.PLACEHOLDER, curator)


@pytest.mark.django_db
def test_a_unit_or_category_other_than_the_stored_datasets_changes_nothing(
    tmp_path: Path,
) -> None:
    load_factor_rows(read_factor_files(*write(tmp_path, [GRID], [grid_value()])))
    later = {**GRID, "version": "2023", "unit": "MWh", "category": "material"}
    rows = read_factor_files(*write(tmp_path, [later, {**ALUMINA, "id": "import"}],
                                    [{**grid_value(), "version": "2023"}]))

    with pytest.raises(FactorFileError) as caught:
        load_factor_rows(rows)

    assert [(p.line, p.record, p.field) for p in caught.value.problems] == [
        (2, f"{GRID['id']}@2023", "unit"), (2, f"{GRID['id']}@2023", "category"),
        (3, "import@placeholder", "id")]
    assert "has unit 'kWh', not 'MWh'" in caught.value.problems[0].message
    assert FactorVersion.objects.count() == 1 and not FactorDataset.objects.filter(
        code="import").exists()


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
