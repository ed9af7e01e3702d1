"""Import and export of factor versions as CSV pairs or Excel workbooks (bilingual headers)."""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet

from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    PEDIGREE_COLUMNS,
    FactorValueRow,
    FactorVersionRow,
    read_factor_files,
    write_factor_files,
)
from yuntan.formats.factor_excel import read_factor_workbook, write_factor_workbook
from yuntan.platform.factors.actions import LoadedFactors, load_factor_rows
from yuntan.platform.factors.models import FactorVersion


def _text(value: object) -> str:
    return "" if value is None else str(value)


def version_rows(versions: QuerySet[FactorVersion]) -> list[FactorVersionRow]:
    """The rows of the exchange format for ``versions`` (values included)."""
    rows = []
    for version in versions.select_related("dataset").prefetch_related("values"):
        dataset = version.dataset
        fields = {column: "" for column in DATASET_COLUMNS}
        fields.update(
            id=dataset.code, version=version.version, name_zh=dataset.name_zh,
            name_en=dataset.name_en, category=dataset.category, unit=dataset.unit,
            region=version.region, reference_year=_text(version.reference_year),
            valid_from=_text(version.valid_from), valid_to=_text(version.valid_to),
            method=version.method, status=version.status, gwp_set=version.gwp_set,
            source_publisher=version.source_publisher,
            source_document=version.source_document, source_year=_text(version.source_year),
            source_url=version.source_url, source_quality=version.source_quality,
            licence=version.licence, uncertainty_gsd=_text(version.uncertainty_gsd),
            note=version.note,
            **{name: _text(getattr(version, name)) for name in PEDIGREE_COLUMNS},
        )
        values = tuple(
            FactorValueRow(v.gas, v.origin, v.amount_kg_per_unit, v.source_note)
            for v in version.values.all()
        )
        rows.append(FactorVersionRow(fields, values))
    return rows


def export_factors(versions: QuerySet[FactorVersion], target: Path) -> None:
    """``target``: an .xlsx file, or a folder that receives datasets.csv and values.csv."""
    rows = version_rows(versions)
    if target.suffix.lower() == ".xlsx":
        write_factor_workbook(rows, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
        write_factor_files(rows, target / "datasets.csv", target / "values.csv")


def read_factor_source(source: Path) -> list[FactorVersionRow]:
    """Rows from an .xlsx workbook or a folder with the CSV pair (checked, nothing stored)."""
    if source.suffix.lower() == ".xlsx":
        return read_factor_workbook(source)
    return read_factor_files(source / "datasets.csv", source / "values.csv")


def import_factors(source: Path) -> LoadedFactors:
    """Check the whole file first, then store the new versions in one transaction."""
    return load_factor_rows(read_factor_source(source))
