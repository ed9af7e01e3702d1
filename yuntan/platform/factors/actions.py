"""Named state changes of the factor database; each runs in one transaction."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yuntan.formats.factor_csv import FactorVersionRow, read_factor_files
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status


def shipped_factor_files() -> tuple[Path, Path]:
    folder = Path(str(resources.files("yuntan.data.factors")))
    return folder / "datasets.csv", folder / "values.csv"


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


@transaction.atomic
def load_factor_rows(rows: list[FactorVersionRow]) -> tuple[int, int]:
    """Store factor versions that are not in the database yet; returns (added, present).

    Versions already stored are left untouched (published ones are immutable), so loading
    the shipped files again is harmless. All or nothing: one bad row changes nothing.
    """
    added = present = 0
    for row in rows:
        f = row.fields
        dataset, _ = FactorDataset.objects.get_or_create(
            code=f["id"],
            defaults={"name_zh": f["name_zh"], "name_en": f["name_en"],
                      "category": f["category"], "unit": f["unit"]},
        )
        if FactorVersion.objects.filter(dataset=dataset, version=f["version"]).exists():
            present += 1
            continue
        target = Status.PLACEHOLDER if row.placeholder else Status(f["status"])
        version = FactorVersion.objects.create(
            dataset=dataset, version=f["version"], region=f["region"],
            reference_year=_int_or_none(f["reference_year"]),
            valid_from=f["valid_from"] or None, valid_to=f["valid_to"] or None,
            method=f["method"], status=Status.DRAFT, gwp_set=f["gwp_set"],
            source_publisher=f["source_publisher"], source_document=f["source_document"],
            source_year=_int_or_none(f["source_year"]), source_url=f["source_url"],
            source_quality=f["source_quality"] or "unverified", licence=f["licence"],
            note=f["note"],
        )
        FactorValue.objects.bulk_create(
            FactorValue(version=version, gas=v.gas, origin=v.origin,
                        amount_kg_per_unit=v.amount_kg_per_unit, source_note=v.source_note)
            for v in row.values
        )
        version.status = target
        if target == Status.PUBLISHED:
            version.published_at = timezone.now()
        version.save()
        added += 1
    return added, present


def load_shipped_factors() -> tuple[int, int]:
    """Load ``yuntan/data/factors`` into the database (idempotent)."""
    return load_factor_rows(read_factor_files(*shipped_factor_files()))
