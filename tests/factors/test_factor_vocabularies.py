"""The exchange format (pure core) and the platform's models name the same categories,
statuses, source qualities, methods and lengths, so whatever is stored exports and imports
again."""

from __future__ import annotations

from yuntan.formats import factor_csv
from yuntan.platform.factors.forms import VersionForm
from yuntan.platform.factors.models import (
    PEDIGREE_INDICATORS,
    Category,
    FactorDataset,
    FactorVersion,
    SourceQuality,
    Status,
)


def test_the_vocabularies_are_the_model_choices() -> None:
    assert set(factor_csv.CATEGORIES) == set(Category.values)
    assert set(factor_csv.STATUSES) == set(Status.values)
    assert set(factor_csv.SOURCE_QUALITIES) == set(SourceQuality.values)
    assert tuple(PEDIGREE_INDICATORS) == factor_csv.PEDIGREE_COLUMNS


def test_the_curators_form_offers_the_methods_the_files_accept() -> None:
    offered = [value for value, _label in VersionForm().fields["method"].choices if value]

    assert offered == list(factor_csv.METHODS)


def test_the_length_limits_are_the_database_columns() -> None:
    columns = {"id": FactorDataset._meta.get_field("code")}
    for name in factor_csv.MAX_LENGTHS:
        if name != "id":
            model = FactorDataset if name in ("name_zh", "name_en", "unit") else FactorVersion
            columns[name] = model._meta.get_field(name)

    assert {name: field.max_length for name, field in columns.items()} == \
        factor_csv.MAX_LENGTHS


def test_every_version_field_has_a_column() -> None:
    # change_reason belongs to the curation record (why this draft differs), not the data.
    stored_elsewhere = {"id", "dataset", "status", "supersedes", "created_by", "reviewer",
                        "reviewed_at", "published_by", "published_at", "created_at",
                        "change_reason"}
    fields = {f.name for f in FactorVersion._meta.concrete_fields} - stored_elsewhere

    assert fields <= set(factor_csv.DATASET_COLUMNS)
