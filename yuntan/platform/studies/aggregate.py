"""Factors from the platform's own data: the production-weighted average of the verified
footprints of one product category, year and region, as a draft factor version.

Confidentiality: the average is made only when at least ``min_enterprises`` enterprises
contribute and no single one holds more than ``dominance`` of the production (a (1, k)
dominance rule, as statistical offices use for business data), so no enterprise's own
figure can be read back from it. The draft names how many enterprises contributed, never
which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuntan.errors import YuntanLcaError
from yuntan.platform.accounts.models import OrganisationKind
from yuntan.platform.factors.actions import FactorValueInput, create_draft_version
from yuntan.platform.factors.models import FactorDataset, FactorVersion
from yuntan.platform.studies.models import Study, StudyStatus
from yuntan.rules import get_pack
from yuntan.units import conversion_factor

MIN_ENTERPRISES = 3
DOMINANCE = 0.75


class AggregationRefused(YuntanLcaError):
    """The average would not be representative or would reveal an enterprise."""


@dataclass(frozen=True)
class Aggregate:
    pack_id: str
    pack_version: str
    variant: str
    year: int
    region: str
    enterprises: int
    studies: int
    production: float  # declared units, all contributors together
    per_declared_unit: dict[tuple[str, str], float]  # (gas, origin) → kg per declared unit
    total_kg_co2e: float  # production-weighted mean of the headline totals


def _in_region(region: str) -> dict[str, Any]:
    """``CN-YN`` (the province: every enterprise) or a prefecture's GB/T 2260 code."""
    if region in ("CN-YN", "CN-53"):
        return {}
    return {"product__organisation__prefecture": region}


def aggregate(pack_id: str, variant: str, year: int, region: str = "CN-YN", *,
              min_enterprises: int = MIN_ENTERPRISES, dominance: float = DOMINANCE
              ) -> Aggregate:
    """The production-weighted average of the latest results of the verified studies of
    ``pack_id``/``variant`` whose reference period ends in ``year``, in ``region``."""
    studies = (Study.objects.filter(
        status=StudyStatus.VERIFIED, rule_pack_id=pack_id, variant=variant,
        period_end__year=year, scenario_of__isnull=True,
        product__organisation__kind=OrganisationKind.ENTERPRISE, **_in_region(region))
        .select_related("product__organisation"))
    weights: dict[int, float] = defaultdict(float)
    sums: dict[tuple[str, str], float] = defaultdict(float)
    total = 0.0
    counted = 0
    versions: set[str] = set()
    for study in studies:
        result = study.latest_result()
        if result is None:
            continue
        pack = get_pack(study.rule_pack_id, study.rule_pack_version)
        versions.add(pack.version)
        reference = pack.field(pack.variant(variant).reference_field)
        amount, unit = result.inputs["activity"][reference.id]
        declared = pack.declared_unit
        weight = amount * conversion_factor(unit, declared.unit) / declared.amount
        if weight <= 0:
            continue
        outcome = result.outcome["results"][result.outcome["headline"]]
        for gas, origin, kg in outcome["inventory_kg"]:
            sums[(gas, origin)] += weight * kg
        total += weight * outcome["total"]
        weights[study.product.organisation_id] += weight
        counted += 1
    if len(weights) < min_enterprises:
        raise AggregationRefused(
            _("Only %(found)s enterprises have verified results for this category, year and "
              "region; at least %(needed)s are needed.")
            % {"found": len(weights), "needed": min_enterprises})
    production = sum(weights.values())
    if max(weights.values()) > dominance * production:
        raise AggregationRefused(
            _("One enterprise holds more than %(share)s%% of the production: the average "
              "would reveal its footprint.") % {"share": round(dominance * 100)})
    return Aggregate(
        pack_id=pack_id, pack_version=", ".join(sorted(versions)), variant=variant, year=year,
        region=region, enterprises=len(weights), studies=counted, production=production,
        per_declared_unit={key: value / production for key, value in sorted(sums.items())},
        total_kg_co2e=total / production,
    )


@transaction.atomic
def draft_from_aggregate(result: Aggregate, *, code: str, created_by: Any) -> FactorVersion:
    """A draft factor version (per declared unit) for the curators' review."""
    pack = get_pack(result.pack_id)
    variant = pack.variant(result.variant)
    declared = pack.declared_unit
    dataset = FactorDataset.objects.filter(code=code).first() or FactorDataset(
        code=code, name_zh=f"{variant.name_zh}（云南平台平均）",
        name_en=f"{variant.name_en} (Yunnan platform average)", category="material",
        unit=declared.unit)
    scale = 1.0 / declared.amount  # values per 1 unit of the declared unit's unit
    return create_draft_version(
        dataset, created_by=created_by,
        fields={
            "version": f"platform-{result.year}-{result.region}",
            "region": result.region, "reference_year": result.year,
            "method": pack.system_boundary.value,
            "source_publisher": "云碳平台 / Yuntan platform",
            "source_document": (
                f"Production-weighted average of the verified footprints of "
                f"{result.enterprises} enterprises ({result.studies} studies), rule pack "
                f"{result.pack_id} {result.pack_version}, variant {result.variant}"),
            "source_year": result.year, "source_quality": "primary",
            "note": (f"{result.enterprises} enterprises contributed; none holds more than "
                     f"{round(DOMINANCE * 100)}% of the production. Individual figures "
                     f"are not disclosed."),
        },
        values=[FactorValueInput(gas, origin, kg * scale, "platform average")
                for (gas, origin), kg in result.per_declared_unit.items() if kg != 0.0],
    )
