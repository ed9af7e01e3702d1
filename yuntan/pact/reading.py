"""Reading suppliers' PACT footprints (读取供应商的 PACT 产品碳足迹), v2.x and v3.x."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from yuntan.errors import DimensionMismatch
from yuntan.pact.errors import NotExpressible, SchemaViolation, UnknownSpecVersion, Violation
from yuntan.pact.mapping import PIECE_WORDS
from yuntan.pact.model import PINT_UNITS, DeclaredUnit, Status, SupplierDqi, SupplierPcf
from yuntan.pact.schema import major, validate
from yuntan.units import conversion_factor, parse_unit


def spec_major(data: Mapping[str, Any]) -> str:
    """``"2"`` or ``"3"`` from a footprint's ``specVersion``."""
    version = data.get("specVersion") if isinstance(data, Mapping) else None
    if not isinstance(version, str):
        raise UnknownSpecVersion("the footprint has no specVersion string; cannot tell v2 "
                                 "from v3")
    return major(version)


def _decimal(value: Any, path: str = "$") -> float:
    """A PACT Decimal string as a float (v2's schema has no pattern for them: checked here)."""
    try:
        number = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise SchemaViolation("PACT ProductFootprint",
                              [Violation(path, f"{value!r} is not a decimal string")])
    return float(number)


def _optional(pcf: Mapping[str, Any], key: str) -> float | None:
    return None if pcf.get(key) is None else _decimal(pcf[key], f"$.pcf.{key}")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))


def parse_footprint(data: Mapping[str, Any], *, check: bool = True) -> SupplierPcf:
    """A supplier's ProductFootprint (v2.x or v3.x by ``specVersion``) validated against
    that version's official schema, then read into :class:`SupplierPcf`.

    Raises :class:`~yuntan.pact.errors.SchemaViolation` (every problem with its JSON path)
    or :class:`~yuntan.pact.errors.UnknownSpecVersion`. The headline figure is the v3
    ``pcfExcludingBiogenicUptake`` / v2 ``pCfExcludingBiogenic``: the one value both
    versions require and the one PACT's DQI and primary data share refer to (docs/pact.md).
    """
    version = spec_major(data)
    if check:  # (``check=False`` for a document validated when it was received)
        validate(data, "ProductFootprint", version)
    pcf = data["pcf"]
    geography = (pcf.get("geographyCountrySubdivision") or pcf.get("geographyCountry")
                 or pcf.get("geographyRegionOrSubregion"))
    if version == "3":
        unit, amount = pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"]
        headline_key = "pcfExcludingBiogenicUptake"
        headline, including = pcf[headline_key], pcf["pcfIncludingBiogenicUptake"]
        gwp = tuple(pcf["ipccCharacterizationFactors"])
        assurance = pcf.get("verification")
        assured = assurance is not None  # v3: the object's presence says it was verified
        dqi = pcf.get("dqi")
        quality = None if dqi is None else SupplierDqi(
            scale_max=5, technological=_decimal(dqi["technologicalDQR"]),
            temporal=_decimal(dqi["temporalDQR"]), geographical=_decimal(dqi["geographicalDQR"]))
    else:
        unit, amount = pcf["declaredUnit"], pcf["unitaryProductAmount"]
        headline_key = "pCfExcludingBiogenic"
        headline, including = pcf[headline_key], pcf.get("pCfIncludingBiogenic")
        gwp = tuple(pcf["ipccCharacterizationFactorsSources"])
        assurance = pcf.get("assurance")
        assured = bool(assurance and assurance.get("assurance"))
        dqi = pcf.get("dqi")
        quality = None if dqi is None else SupplierDqi(
            scale_max=3, technological=float(dqi["technologicalDQR"]),
            temporal=float(dqi["temporalDQR"]), geographical=float(dqi["geographicalDQR"]),
            completeness=float(dqi["completenessDQR"]), reliability=float(dqi["reliabilityDQR"]),
            coverage_percent=float(dqi["coveragePercent"]))
    amount_key = "declaredUnitAmount" if version == "3" else "unitaryProductAmount"
    amount_value = _decimal(amount, f"$.pcf.{amount_key}")
    if not amount_value > 0:
        raise SchemaViolation("PACT ProductFootprint",
                              [Violation(f"$.pcf.{amount_key}", f"{amount!r} is not > 0")])
    share = pcf.get("primaryDataShare")
    return SupplierPcf(
        id=UUID(data["id"]),
        spec_version=data["specVersion"],
        status=Status(data["status"]),
        company_name=data["companyName"],
        company_ids=tuple(data["companyIds"]),
        product_name=data["productNameCompany"],
        product_ids=tuple(data["productIds"]),
        product_classifications=tuple(data.get("productClassifications") or ()),
        declared_unit=DeclaredUnit(unit),
        declared_unit_amount=amount_value,
        product_mass_per_declared_unit_kg=_optional(pcf, "productMassPerDeclaredUnit"),
        co2e_kg_per_declared_unit=_decimal(headline, "$.pcf." + headline_key),
        including_biogenic_kg=None if including is None else _decimal(including, "$.pcf"),
        fossil_kg=_decimal(pcf["fossilGhgEmissions"], "$.pcf.fossilGhgEmissions"),
        gwp_sets=gwp,
        reference_period_start=_when(pcf["referencePeriodStart"]),
        reference_period_end=_when(pcf["referencePeriodEnd"]),
        geography=geography,
        primary_data_share_percent=None if share is None else float(share),
        dqi=quality,
        assured=assured,
        assurance_provider=(assurance or {}).get("providerName"),
        version=data.get("version") if version == "2" else None,
        raw=dict(data),
    )


def per_unit(pcf: SupplierPcf, unit: str, *, including_biogenic: bool = False) -> float:
    """kg CO2e per one ``unit`` of the supplier's product (e.g. ``"t"`` for a footprint
    declared per kilogram), from the headline figure (or the including-biogenic one).

    Converts with :mod:`yuntan.units` between units of the same kind; to a mass unit from a
    declared unit of another kind (piece, liter ...) through ``productMassPerDeclaredUnit``
    when the supplier gave it (> 0). Otherwise raises :class:`yuntan.errors.DimensionMismatch`.
    """
    value = pcf.including_biogenic_kg if including_biogenic else pcf.co2e_kg_per_declared_unit
    if value is None:
        raise NotExpressible("the supplier's footprint has no including-biogenic figure")
    declared = PINT_UNITS[pcf.declared_unit]
    if unit.strip().lower() in PIECE_WORDS:
        unit = "piece"
    try:
        per_declared = conversion_factor(declared, unit)  # `unit` in one PACT unit
        return value / (pcf.declared_unit_amount * per_declared)
    except DimensionMismatch:
        mass = pcf.product_mass_per_declared_unit_kg
        if mass and mass > 0 and parse_unit(unit).dimensionality == parse_unit("kg").dimensionality:
            return value / (mass * conversion_factor("kg", unit))
        raise
