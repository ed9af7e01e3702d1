"""What one PACT ProductFootprint says, as frozen values (产品碳足迹数据交换的数据模型).

:class:`FootprintFacts` holds everything :func:`yuntan.pact.to_v3` and
:func:`yuntan.pact.to_v2` need; :class:`SupplierPcf` is a supplier's footprint read back by
:func:`yuntan.pact.parse_footprint`. Carbon figures are kg CO2e (or kg C for carbon
contents) per PACT declared unit, i.e. per ``unitary_product_amount`` × ``declared_unit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class DeclaredUnit(StrEnum):
    """PACT ``declaredUnitOfMeasurement`` (v3) / ``declaredUnit`` (v2)."""

    LITER = "liter"
    KILOGRAM = "kilogram"
    CUBIC_METER = "cubic meter"
    KILOWATT_HOUR = "kilowatt hour"
    MEGAJOULE = "megajoule"
    TON_KILOMETER = "ton kilometer"
    SQUARE_METER = "square meter"
    PIECE = "piece"  # v3 only
    HOUR = "hour"  # v3 only
    MEGABIT_SECOND = "megabit second"  # v3 only


V2_DECLARED_UNITS = frozenset(list(DeclaredUnit)[:7])

# PACT unit -> a unit yuntan.units (pint) reads.
PINT_UNITS: dict[DeclaredUnit, str] = {
    DeclaredUnit.LITER: "L",
    DeclaredUnit.KILOGRAM: "kg",
    DeclaredUnit.CUBIC_METER: "m3",
    DeclaredUnit.KILOWATT_HOUR: "kWh",
    DeclaredUnit.MEGAJOULE: "MJ",
    DeclaredUnit.TON_KILOMETER: "tkm",
    DeclaredUnit.SQUARE_METER: "m**2",
    DeclaredUnit.PIECE: "piece",
    DeclaredUnit.HOUR: "hour",
    DeclaredUnit.MEGABIT_SECOND: "megabit*second",
}


class Status(StrEnum):
    ACTIVE = "Active"
    DEPRECATED = "Deprecated"


@dataclass(frozen=True)
class CarbonFigures:
    """Our ISO 14067 split (:class:`yuntan.lca.results.BiogenicSplit`), kg CO2e per PACT
    declared unit, plus the product's carbon contents in kg C per declared unit."""

    including_biogenic: float
    excluding_biogenic_uptake: float
    excluding_biogenic_co2: float
    fossil: float
    biogenic: float  # biogenic emissions, CO2 and non-CO2
    biogenic_uptake: float  # <= 0
    land_use_change: float
    fossil_carbon_content_kg_c: float = 0.0
    biogenic_carbon_content_kg_c: float | None = None  # None: unknown

    @property
    def biogenic_non_co2(self) -> float:
        """Biogenic emissions other than CO2 (CH4 ...): the biogenic part of the total minus
        the biogenic CO2 emissions (``including − excluding_biogenic_co2 − uptake``)."""
        biogenic_co2 = self.including_biogenic - self.excluding_biogenic_co2 - self.biogenic_uptake
        return self.biogenic - biogenic_co2


@dataclass(frozen=True)
class DataQualityScores:
    """Contribution-weighted pedigree scores of the result, on our scale 1 (best) … 5
    (worst), and the share of the footprint they cover in percent. ``None``: not known."""

    coverage_percent: float | None = None
    technological: float | None = None
    temporal: float | None = None
    geographical: float | None = None
    completeness: float | None = None
    reliability: float | None = None


@dataclass(frozen=True)
class SectorRule:
    """One ``productOrSectorSpecificRules`` entry: operator ``PEF``, ``EPD International``
    or ``Other`` (then ``other_operator_name`` names it)."""

    operator: str
    rule_names: tuple[str, ...]
    other_operator_name: str | None = None


@dataclass(frozen=True)
class Assurance:
    """Third-party verification of the footprint: v2 ``assurance``, v3 ``verification``.

    ``coverage`` takes the values of either version (``product level`` exists in both);
    a value the target version does not list is left out, as are ``level`` and
    ``boundary`` in v3, which has no such fields.
    """

    assured: bool
    provider_name: str
    coverage: str | None = "product level"
    level: str | None = None  # "limited" | "reasonable" (v2 only)
    boundary: str | None = "Cradle-to-Gate"  # "Gate-to-Gate" | "Cradle-to-Gate" (v2 only)
    completed_at: datetime | None = None
    standard_name: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class EmissionFactorSource:
    name: str
    version: str


@dataclass(frozen=True)
class FootprintFacts:
    """Everything needed to write one PACT ProductFootprint, version-neutral.

    Figures are per PACT declared unit (``unitary_product_amount`` × ``declared_unit``).
    Geography: at most one of ``geography_region``, ``geography_country`` (ISO 3166-1
    alpha-2, e.g. ``CN``), ``geography_subdivision`` (ISO 3166-2, e.g. ``CN-YN``); none
    means Global. ``version``/``updated``/``status_comment`` exist in v2 only.
    """

    id: UUID
    created: datetime
    company_name: str
    company_ids: tuple[str, ...]
    product_ids: tuple[str, ...]
    product_name: str
    product_description: str
    declared_unit: DeclaredUnit
    unitary_product_amount: float
    figures: CarbonFigures
    reference_period_start: datetime
    reference_period_end: datetime
    gwp_sets: tuple[str, ...] = ("AR6",)
    cross_sectoral_standards: tuple[str, ...] = ("ISO14067",)
    version: int = 1
    updated: datetime | None = None
    status: Status = Status.ACTIVE
    status_comment: str | None = None
    preceding_pf_ids: tuple[UUID, ...] = ()
    validity_period_start: datetime | None = None
    validity_period_end: datetime | None = None
    product_classifications: tuple[str, ...] = ()
    cpc_code: str | None = None  # v2 productCategoryCpc; see mapping.cpc_for
    comment: str = ""
    product_mass_per_declared_unit_kg: float | None = None
    sector_rules: tuple[SectorRule, ...] = ()
    boundary_processes_description: str = ""
    geography_region: str | None = None
    geography_country: str | None = None
    geography_subdivision: str | None = None
    secondary_emission_factor_sources: tuple[EmissionFactorSource, ...] = ()
    exempted_emissions_percent: float = 0.0
    exempted_emissions_description: str = ""
    packaging_emissions_included: bool = False
    packaging_ghg_emissions: float | None = None
    aircraft_ghg_emissions: float | None = None  # per declared unit, without radiative forcing
    allocation_rules_description: str | None = None
    primary_data_share_percent: float | None = None
    dqi: DataQualityScores | None = None
    assurance: Assurance | None = None
    extensions: tuple[dict[str, object], ...] = field(default=())


@dataclass(frozen=True)
class SupplierDqi:
    """A supplier's data quality ratings as sent: v2 scores 1–3, v3 scores 1–5
    (``scale_max``); 1 is best in both."""

    scale_max: int
    technological: float
    temporal: float
    geographical: float
    completeness: float | None = None
    reliability: float | None = None
    coverage_percent: float | None = None


@dataclass(frozen=True)
class SupplierPcf:
    """A supplier's ProductFootprint (v2.x or v3.x) read into one shape.

    ``co2e_kg_per_declared_unit`` is the headline: v3 ``pcfExcludingBiogenicUptake``, v2
    ``pCfExcludingBiogenic``; ``including_biogenic_kg`` is v3 ``pcfIncludingBiogenicUptake``
    / v2 ``pCfIncludingBiogenic`` (``None`` if absent). The declared unit is
    ``declared_unit_amount`` × ``declared_unit``.
    """

    id: UUID
    spec_version: str
    status: Status
    company_name: str
    company_ids: tuple[str, ...]
    product_name: str
    product_ids: tuple[str, ...]
    product_classifications: tuple[str, ...]
    declared_unit: DeclaredUnit
    declared_unit_amount: float
    product_mass_per_declared_unit_kg: float | None
    co2e_kg_per_declared_unit: float
    including_biogenic_kg: float | None
    fossil_kg: float
    gwp_sets: tuple[str, ...]
    reference_period_start: datetime
    reference_period_end: datetime
    geography: str | None  # region, country or subdivision as sent; None: Global
    primary_data_share_percent: float | None
    dqi: SupplierDqi | None
    assured: bool
    assurance_provider: str | None
    version: int | None = None  # v2 only
    raw: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
