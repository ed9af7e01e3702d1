"""Import and export of factor versions: CSV pairs and Excel workbooks (bilingual headers),
and openLCA JSON-LD packages (export only).

Formats are registered in two plain dicts, :data:`EXPORTERS` (by format name) and
:data:`READERS` (by file suffix); the commands, the web download and the upload job use them.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from yuntan.errors import YuntanLcaError
from yuntan.formats.factor_csv import (
    DATASET_COLUMNS,
    PEDIGREE_COLUMNS,
    FactorFileError,
    FactorFileProblem,
    FactorValueRow,
    FactorVersionRow,
    Progress,
    read_factor_files,
    read_factor_zip,
    write_factor_files,
)
from yuntan.formats.factor_excel import read_factor_workbook, write_factor_workbook
from yuntan.formats.jsonld import FactorDatasetRecord, GasAmount, write_factor_datasets_jsonld
from yuntan.formats.jsonld.elementary import export_flows
from yuntan.gwp import DEFAULT_GWP_SET, Origin, get_gwp_set, gwp_set_names
from yuntan.platform.factors.actions import LoadedFactors, load_factor_rows
from yuntan.platform.factors.models import FactorVersion, Status


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _with_values(versions: QuerySet[FactorVersion]) -> QuerySet[FactorVersion]:
    return versions.select_related("dataset").prefetch_related("values")


def version_rows(versions: QuerySet[FactorVersion]) -> list[FactorVersionRow]:
    """The rows of the exchange format for ``versions`` (values included)."""
    rows = []
    for version in _with_values(versions):
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
            conservative_default="true" if version.conservative_default else "",
            **{name: _text(getattr(version, name)) for name in PEDIGREE_COLUMNS},
        )
        values = tuple(
            FactorValueRow(v.gas, v.origin, v.amount_kg_per_unit, v.source_note)
            for v in version.values.all()
        )
        rows.append(FactorVersionRow(fields, values))
    return rows


def _source(version: FactorVersion) -> str:
    parts = [version.source_publisher, version.source_document, _text(version.source_year),
             version.source_url]
    return ", ".join(part for part in parts if part)


def _openlca_gas(gas: str, origin: Origin) -> GasAmount | None:
    """The (gas, origin) whose openLCA flow carries ``gas`` of ``origin``, or None.

    openLCA's (ecoinvent's) flows tell fossil from non-fossil only for CO2 and CH4; any other
    gas has one flow for every origin (e.g. soil N2O is "Dinitrogen monoxide" like any N2O),
    and the same GWP whatever its origin, so it goes to that flow.
    """
    if (gas, origin) in export_flows():
        return GasAmount(gas, 0.0, origin)
    flows = [key for key in export_flows() if key[0] == gas]
    same_gwp = all(get_gwp_set(name).factor(gas, origin) ==
                   get_gwp_set(name).factor(*flows[0]) for name in gwp_set_names()) \
        if len(flows) == 1 else False
    return GasAmount(gas, 0.0, flows[0][1]) if same_gwp else None


def factor_record(version: FactorVersion) -> FactorDatasetRecord:
    """A version as the JSON-LD writer's plain record (its values must be prefetched).

    Values without a GWP set (masses of each gas, or CO2e whose source names no set) are
    written under the platform's default set; a CO2e value counts 1 in every set. Raises
    :class:`NoOpenLcaFlow` for a gas and origin openLCA has no flow for.
    """
    dataset = version.dataset
    gases = []
    for value in version.values.all():
        target = _openlca_gas(value.gas, Origin(value.origin))
        if target is None:
            raise NoOpenLcaFlow(f"no openLCA flow for {value.gas} ({value.origin})")
        gases.append(GasAmount(target.gas, value.amount_kg_per_unit, target.origin))
    return FactorDatasetRecord(
        code=dataset.code, version=version.version, name_zh=dataset.name_zh,
        name_en=dataset.name_en, unit=dataset.unit, gases=tuple(gases),
        gwp_set=version.gwp_set or DEFAULT_GWP_SET, region=version.region,
        year=version.reference_year, source=_source(version), licence=version.licence,
        status=version.status, placeholder=version.status == Status.PLACEHOLDER,
    )


class NoOpenLcaFlow(YuntanLcaError):
    """A value whose gas and origin no openLCA elementary flow carries."""


@dataclass(frozen=True)
class ExportedFactors:
    """What an export wrote: the number of versions, and (``id@version``, why) of those left
    out because the format cannot carry them."""

    written: int
    left_out: tuple[tuple[str, str], ...] = ()


def _export_csv(versions: QuerySet[FactorVersion], target: Path) -> ExportedFactors:
    """``target`` is a folder (it receives datasets.csv and values.csv) or a .zip of both."""
    rows = version_rows(versions)
    if target.suffix.lower() != ".zip":
        target.mkdir(parents=True, exist_ok=True)
        write_factor_files(rows, target / "datasets.csv", target / "values.csv")
        return ExportedFactors(len(rows))
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "datasets.csv", Path(folder) / "values.csv"
        write_factor_files(rows, first, second)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(first, first.name)
            archive.write(second, second.name)
    return ExportedFactors(len(rows))


def _export_xlsx(versions: QuerySet[FactorVersion], target: Path) -> ExportedFactors:
    rows = version_rows(versions)
    write_factor_workbook(rows, target)
    return ExportedFactors(len(rows))


def _export_jsonld(versions: QuerySet[FactorVersion], target: Path) -> ExportedFactors:
    """An openLCA process per version. A placeholder has no figure, and an openLCA process
    needs at least one emission: placeholders without values are left out (never written
    as zero); one that has values is written flagged as a placeholder."""
    records, left_out = [], []
    for version in _with_values(versions):
        if not version.values.all():
            left_out.append((str(version), "placeholder without values"))
            continue
        try:
            records.append(factor_record(version))
        except NoOpenLcaFlow as exc:
            left_out.append((str(version), str(exc)))
    write_factor_datasets_jsonld(records, target)
    return ExportedFactors(len(records), tuple(left_out))


Exporter = Callable[[QuerySet[FactorVersion], Path], ExportedFactors]
EXPORTERS: dict[str, Exporter] = {
    "csv": _export_csv,
    "xlsx": _export_xlsx,
    "jsonld": _export_jsonld,
}


def export_format_of(target: Path) -> str:
    """The format a target's name implies: .xlsx a workbook, .zip JSON-LD, else a CSV folder."""
    return {".xlsx": "xlsx", ".zip": "jsonld"}.get(target.suffix.lower(), "csv")


def export_factors(versions: QuerySet[FactorVersion], target: Path,
                   format: str | None = None) -> ExportedFactors:
    """Write ``versions`` to ``target`` in ``format`` (default: from the target's name)."""
    return EXPORTERS[format or export_format_of(target)](versions, target)


# --- import -------------------------------------------------------------------------------

Reader = Callable[[Sequence[Path], Sequence[str], Progress | None], list[FactorVersionRow]]


def _read_pair(paths: Sequence[Path], names: Sequence[str],
               progress: Progress | None) -> list[FactorVersionRow]:
    if len(paths) != 2:
        raise FactorFileError([FactorFileProblem(
            ", ".join(names), "a CSV import needs two files: datasets.csv and values.csv.")])
    return read_factor_files(paths[0], paths[1], names=(names[0], names[1]),
                             progress=progress)


def _read_workbook(paths: Sequence[Path], names: Sequence[str],
                   progress: Progress | None) -> list[FactorVersionRow]:
    return read_factor_workbook(paths[0], name=names[0], progress=progress)


def _read_zip(paths: Sequence[Path], names: Sequence[str],
              progress: Progress | None) -> list[FactorVersionRow]:
    return read_factor_zip(paths[0], name=names[0], progress=progress,
                           max_member_bytes=settings.YUNTAN_UPLOAD_MAX_MB * 1024 * 1024)


READERS: dict[str, Reader] = {"csv": _read_pair, "xlsx": _read_workbook, "zip": _read_zip}


def read_factor_source(source: Path, progress: Progress | None = None
                       ) -> list[FactorVersionRow]:
    """Rows from an .xlsx workbook, a .zip of the CSV pair, or a folder with the CSV pair
    (checked, nothing stored)."""
    kind = source.suffix.lower().lstrip(".")
    if kind in ("xlsx", "zip"):
        return READERS[kind]([source], [source.name], progress)
    pair = [source / "datasets.csv", source / "values.csv"]
    return READERS["csv"](pair, [p.name for p in pair], progress)


def import_factors(source: Path) -> LoadedFactors:
    """Check the whole file first, then store the new versions in one transaction."""
    return load_factor_rows(read_factor_source(source))
