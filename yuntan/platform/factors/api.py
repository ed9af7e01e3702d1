"""JSON API of the factor database: list and search, fetch a dataset or one version."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from yuntan.platform.factors.models import (
    PEDIGREE_INDICATORS,
    PUBLIC_STATUSES,
    FactorDataset,
    FactorVersion,
)

router = Router(tags=["factors"])

VISIBLE = PUBLIC_STATUSES


class ValueOut(Schema):
    gas: str
    origin: str
    amount_kg_per_unit: float


class PedigreeOut(Schema):
    """Scores of the pedigree matrix, 1 (best) … 5 (worst)."""

    reliability: int
    completeness: int
    temporal: int
    geographical: int
    technological: int


class VersionOut(Schema):
    version: str
    status: str
    placeholder: bool
    region: str
    reference_year: int | None
    method: str
    gwp_set: str
    source_publisher: str
    source_document: str
    source_year: int | None
    source_url: str
    source_quality: str
    note: str
    uncertainty_gsd: float | None = Field(
        description="geometric standard deviation of a lognormal distribution of every value; "
                    "null when the source states none")
    pedigree: PedigreeOut | None = Field(description="null when not scored")
    values: list[ValueOut]


class DatasetOut(Schema):
    id: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    versions: list[VersionOut]


def _pedigree_out(version: FactorVersion) -> PedigreeOut | None:
    scores = {name.removeprefix("pedigree_"): getattr(version, name)
              for name in PEDIGREE_INDICATORS}
    if any(score is None for score in scores.values()):
        return None
    return PedigreeOut(**scores)


def _version_out(version: FactorVersion) -> VersionOut:
    return VersionOut(
        version=version.version, status=version.status, placeholder=version.is_placeholder,
        region=version.region, reference_year=version.reference_year, method=version.method,
        gwp_set=version.gwp_set, source_publisher=version.source_publisher,
        source_document=version.source_document, source_year=version.source_year,
        source_url=version.source_url, source_quality=version.source_quality,
        note=version.note, uncertainty_gsd=version.uncertainty_gsd,
        pedigree=_pedigree_out(version),
        values=[ValueOut(gas=v.gas, origin=v.origin, amount_kg_per_unit=v.amount_kg_per_unit)
                for v in version.values.all()],
    )


def _dataset_out(dataset: FactorDataset, versions: QuerySet[FactorVersion]) -> DatasetOut:
    return DatasetOut(
        id=dataset.code, name_zh=dataset.name_zh, name_en=dataset.name_en,
        category=dataset.category, unit=dataset.unit,
        versions=[_version_out(v) for v in versions],
    )


def _public_versions(dataset: FactorDataset) -> QuerySet[FactorVersion]:
    return dataset.versions.filter(status__in=VISIBLE).prefetch_related("values")


@router.get("/factors", response=list[DatasetOut], summary="List and search factor datasets")
def list_factors(request: object, q: str = "", category: str = "",
                 region: str = "") -> list[DatasetOut]:
    datasets = FactorDataset.objects.filter(versions__status__in=VISIBLE).distinct()
    if q:
        datasets = datasets.filter(
            Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    if category:
        datasets = datasets.filter(category=category)
    if region:
        datasets = datasets.filter(versions__region=region).distinct()
    return [_dataset_out(d, _public_versions(d)) for d in datasets]


@router.get("/factors/{code}", response=DatasetOut, summary="One factor dataset")
def get_factor(request: object, code: str) -> DatasetOut:
    # distinct(): the join over versions would otherwise repeat the dataset once per version.
    dataset = get_object_or_404(
        FactorDataset.objects.filter(versions__status__in=VISIBLE).distinct(), code=code)
    return _dataset_out(dataset, _public_versions(dataset))


@router.get("/factors/{code}/versions/{version}", response=VersionOut,
            summary="One version of a factor dataset")
def get_factor_version(request: object, code: str, version: str) -> VersionOut:
    found = get_object_or_404(
        FactorVersion.objects.prefetch_related("values"),
        dataset__code=code, version=version, status__in=VISIBLE,
    )
    return _version_out(found)
