"""Our footprint facts to PACT v3.0 and v2.3 ProductFootprint JSON (写出 PACT 产品碳足迹).

The choices (which figure goes where, declared units, data quality, what is left out) are
in ``docs/pact.md``; each function says the rule it applies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from yuntan.errors import DimensionMismatch, UnknownUnit
from yuntan.pact.errors import NotExpressible
from yuntan.pact.model import (
    PINT_UNITS,
    V2_DECLARED_UNITS,
    Assurance,
    CarbonFigures,
    DataQualityScores,
    DeclaredUnit,
    FootprintFacts,
    SectorRule,
)
from yuntan.pact.schema import validate
from yuntan.units import conversion_factor

SPEC_VERSION_V3 = "3.0.3"
SPEC_VERSION_V2 = "2.3.0"  # the v2.3 data model; 2.3.1–2.3.3 changed only text and the API
SIGNIFICANT_DIGITS = 12
CPC_UNKNOWN = "unknown"  # v2 productCategoryCpc when no CPC code is known (docs/pact.md)
RULE_OPERATOR = "Yuntan rule pack (云碳核算规则)"  # otherOperatorName of our rule packs

# Our declared-unit words that pint does not know, all counted in pieces.
PIECE_WORDS = frozenset({"piece", "pieces", "pc", "pcs", "item", "stem", "stems", "件", "个",
                         "枝", "支", "株", "朵"})
# The PACT unit a dimension maps to, most preferred first (the yaml's order).
_PREFERENCE = (DeclaredUnit.KILOGRAM, DeclaredUnit.LITER, DeclaredUnit.CUBIC_METER,
               DeclaredUnit.KILOWATT_HOUR, DeclaredUnit.MEGAJOULE, DeclaredUnit.TON_KILOMETER,
               DeclaredUnit.SQUARE_METER, DeclaredUnit.HOUR, DeclaredUnit.MEGABIT_SECOND)
_MASSLESS = frozenset({DeclaredUnit.KILOWATT_HOUR, DeclaredUnit.MEGAJOULE,
                       DeclaredUnit.TON_KILOMETER, DeclaredUnit.HOUR,
                       DeclaredUnit.MEGABIT_SECOND})
_V2_STANDARDS_USED = {"GHGP-Product": "GHG Protocol Product standard",
                      "ISO14067": "ISO Standard 14067", "ISO14040-44": "ISO Standard 14044"}
_V2_ASSURANCE_COVERAGE = frozenset({"corporate level", "product line", "PCF system",
                                    "product level"})
_V3_VERIFICATION_COVERAGE = frozenset({"PCF calculation model", "PCF program",
                                       "product level"})
_TOLERANCE = 1e-9  # relative: float noise around zero is written as 0


def decimal_string(value: float, significant: int = SIGNIFICANT_DIGITS) -> str:
    """A PACT Decimal: a dotted decimal string (never exponent notation), rounded half-even
    to ``significant`` digits, without trailing zeros; ``-0`` is written ``0``."""
    if not math.isfinite(value):
        raise NotExpressible(f"PACT decimals must be finite, got {value!r}")
    rounded = Context(prec=significant, rounding=ROUND_HALF_EVEN).plus(Decimal(repr(float(value))))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def date_time(moment: datetime) -> str:
    """A PACT DateTime: UTC, ISO 8601 with ``Z``. Naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NotExpressible(f"{moment!r} has no time zone; PACT needs UTC date-times")
    text = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return text


def pact_declared_unit(amount: float, unit: str) -> tuple[DeclaredUnit, float, float]:
    """Our declared unit (``amount`` ``unit``, e.g. ``1 t``) as PACT
    ``(unit, unitary amount, scale)``: multiply our per-declared-unit figures by ``scale``.

    Counted units (piece, stem, 件 …) stay pieces with our amount. Everything else is a
    bulk quantity: PACT says the amount MUST then be 1, so ``1 t`` becomes ``1 kilogram``
    with figures scaled by 1/1000 (v3 ``declaredUnitAmount``; v2 ``unitaryProductAmount``).
    """
    if not amount > 0:
        raise NotExpressible(f"the declared unit amount must be > 0, got {amount!r}")
    if unit.strip().lower() in PIECE_WORDS:
        return DeclaredUnit.PIECE, amount, 1.0
    matches: list[tuple[DeclaredUnit, float]] = []
    for candidate in _PREFERENCE:
        try:
            matches.append((candidate, conversion_factor(unit, PINT_UNITS[candidate])))
        except (DimensionMismatch, UnknownUnit):
            continue
    if not matches:
        raise NotExpressible(
            f"declared unit {unit!r} has no PACT counterpart; PACT declares per "
            f"{', '.join(u.value for u in DeclaredUnit)}")
    same = [m for m in matches if math.isclose(m[1], 1.0)]
    pact_unit, factor = (same or matches)[0]
    return pact_unit, 1.0, 1.0 / (amount * factor)


def _nonnegative(value: float, name: str, scale: float) -> float:
    if value < 0:
        if value >= -_TOLERANCE * max(scale, 1e-300):
            return 0.0
        raise NotExpressible(f"{name} must be >= 0 in PACT but is {value!r}")
    return value


def _nonpositive(value: float, name: str, scale: float) -> float:
    if value > 0:
        if value <= _TOLERANCE * max(scale, 1e-300):
            return 0.0
        raise NotExpressible(f"{name} must be <= 0 in PACT but is {value!r}")
    return value


def _magnitude(f: CarbonFigures) -> float:
    return max(abs(f.fossil), abs(f.biogenic), abs(f.biogenic_uptake),
               abs(f.land_use_change), abs(f.including_biogenic), 1e-12)


def cpc_for(facts: FootprintFacts) -> str:
    """v2 ``productCategoryCpc``: ``facts.cpc_code``, else the code of a ``urn:cpc:``
    classification, else :data:`CPC_UNKNOWN`. The field is mandatory but deprecated in
    v2.3 (superseded by ``productClassifications``) and we keep no unverified CPC codes."""
    if facts.cpc_code:
        return facts.cpc_code
    for urn in facts.product_classifications:
        if urn.lower().startswith("urn:cpc:"):
            return urn[len("urn:cpc:"):]
    return CPC_UNKNOWN


def v2_dqr(score: float) -> float:
    """Our pedigree score (1 best … 5 worst) on PACT v2's 1 … 3 scale: 1 + (score − 1)/2.

    Linear, so mapping each input's score and then averaging (what PACT v2 Table 9 asks)
    equals mapping our contribution-weighted average: 1→1, 2→1.5, 3→2, 4→2.5, 5→3."""
    return 1 + (min(max(score, 1.0), 5.0) - 1) / 2


def _geography(facts: FootprintFacts) -> dict[str, str]:
    given = {k: v for k, v in (("geographyRegionOrSubregion", facts.geography_region),
                               ("geographyCountry", facts.geography_country),
                               ("geographyCountrySubdivision", facts.geography_subdivision))
             if v}
    if len(given) > 1:
        raise NotExpressible("give at most one of geography region, country and subdivision "
                             f"(PACT scope rule), got {sorted(given)}")
    return given


def _mass_per_declared_unit(facts: FootprintFacts) -> float | None:
    if facts.product_mass_per_declared_unit_kg is not None:
        return facts.product_mass_per_declared_unit_kg
    if facts.declared_unit is DeclaredUnit.KILOGRAM:
        return facts.unitary_product_amount
    if facts.declared_unit in _MASSLESS:
        return 0.0
    return None


def _rules(rules: tuple[SectorRule, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for rule in rules:
        item: dict[str, Any] = {"operator": rule.operator, "ruleNames": list(rule.rule_names)}
        if rule.operator == "Other":
            if not rule.other_operator_name:
                raise NotExpressible("a sector rule with operator 'Other' needs its "
                                     "other_operator_name")
            item["otherOperatorName"] = rule.other_operator_name
        out.append(item)
    return out


def _header(facts: FootprintFacts, spec_version: str) -> dict[str, Any]:
    pf: dict[str, Any] = {"id": str(facts.id), "specVersion": spec_version}
    if facts.preceding_pf_ids:
        pf["precedingPfIds"] = [str(i) for i in facts.preceding_pf_ids]
    return pf


def _common_tail(facts: FootprintFacts, pf: dict[str, Any]) -> None:
    if facts.validity_period_start:
        pf["validityPeriodStart"] = date_time(facts.validity_period_start)
    if facts.validity_period_end:
        pf["validityPeriodEnd"] = date_time(facts.validity_period_end)
    pf["companyName"] = facts.company_name
    pf["companyIds"] = list(facts.company_ids)
    pf["productDescription"] = facts.product_description
    pf["productIds"] = list(facts.product_ids)
    if facts.product_classifications:
        pf["productClassifications"] = list(facts.product_classifications)


def to_v3(facts: FootprintFacts, *, check: bool = True) -> dict[str, Any]:
    """The facts as a PACT v3.0 ProductFootprint (JSON-ready dict).

    ``check`` validates the result against the official schema (a
    :class:`~yuntan.pact.errors.SchemaViolation` there is a bug in this mapping). Raises
    :class:`~yuntan.pact.errors.NotExpressible` when a mandatory value is unknown.
    """
    f = facts.figures
    size = _magnitude(f)
    pf = _header(facts, SPEC_VERSION_V3)
    pf["created"] = date_time(facts.created)
    pf["status"] = facts.status.value
    _common_tail(facts, pf)
    pf["productNameCompany"] = facts.product_name
    if facts.comment:
        pf["comment"] = facts.comment
    mass = _mass_per_declared_unit(facts)
    if mass is None:
        raise NotExpressible(
            f"PACT v3 needs productMassPerDeclaredUnit for a declared unit in "
            f"{facts.declared_unit.value}; give product_mass_per_declared_unit_kg")
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": facts.declared_unit.value,
        "declaredUnitAmount": _positive_amount(facts.unitary_product_amount),
        "productMassPerDeclaredUnit": decimal_string(_nonnegative(mass, "mass", mass)),
        "referencePeriodStart": date_time(facts.reference_period_start),
        "referencePeriodEnd": date_time(facts.reference_period_end),
        **_geography(facts),
    }
    if facts.boundary_processes_description:
        pcf["boundaryProcessesDescription"] = facts.boundary_processes_description
    pcf["pcfExcludingBiogenicUptake"] = decimal_string(f.excluding_biogenic_uptake)
    pcf["pcfIncludingBiogenicUptake"] = decimal_string(f.including_biogenic)
    pcf["fossilCarbonContent"] = decimal_string(
        _nonnegative(f.fossil_carbon_content_kg_c, "fossilCarbonContent", size))
    if f.biogenic_carbon_content_kg_c is not None:
        pcf["biogenicCarbonContent"] = decimal_string(
            _nonnegative(f.biogenic_carbon_content_kg_c, "biogenicCarbonContent", size))
    pcf["fossilGhgEmissions"] = decimal_string(_nonnegative(f.fossil, "fossilGhgEmissions", size))
    pcf["landUseChangeGhgEmissions"] = decimal_string(
        _nonnegative(f.land_use_change, "landUseChangeGhgEmissions", size))
    pcf["biogenicCO2Uptake"] = decimal_string(
        _nonpositive(f.biogenic_uptake, "biogenicCO2Uptake", size))
    pcf["biogenicNonCO2Emissions"] = decimal_string(
        _nonnegative(f.biogenic_non_co2, "biogenicNonCO2Emissions", size))
    pcf["packagingEmissionsIncluded"] = facts.packaging_emissions_included
    if facts.packaging_emissions_included and facts.packaging_ghg_emissions is not None:
        pcf["packagingGhgEmissions"] = decimal_string(
            _nonnegative(facts.packaging_ghg_emissions, "packagingGhgEmissions", size))
    if facts.aircraft_ghg_emissions is not None:
        pcf["aircraftGhgEmissions"] = decimal_string(
            _nonnegative(facts.aircraft_ghg_emissions, "aircraftGhgEmissions", size))
    pcf["ccsTechnologicalCO2CaptureIncluded"] = False  # our studies model no CCS
    pcf["ipccCharacterizationFactors"] = list(facts.gwp_sets)
    pcf["crossSectoralStandards"] = list(facts.cross_sectoral_standards)
    if facts.sector_rules:
        pcf["productOrSectorSpecificRules"] = _rules(facts.sector_rules)
    pcf["exemptedEmissionsPercent"] = decimal_string(
        _percent(facts.exempted_emissions_percent, "exemptedEmissionsPercent"))
    pcf["exemptedEmissionsDescription"] = facts.exempted_emissions_description
    if facts.allocation_rules_description:
        pcf["allocationRulesDescription"] = facts.allocation_rules_description
    if facts.secondary_emission_factor_sources:
        pcf["secondaryEmissionFactorSources"] = [
            {"name": s.name, "version": s.version} for s in facts.secondary_emission_factor_sources]
    if facts.primary_data_share_percent is not None:
        pcf["primaryDataShare"] = decimal_string(
            _percent(facts.primary_data_share_percent, "primaryDataShare"), 6)
    dqi = _v3_dqi(facts.dqi)
    if dqi:
        pcf["dqi"] = dqi
    if facts.assurance is not None and facts.assurance.assured:
        pcf["verification"] = _verification(facts.assurance)
    pf["pcf"] = pcf
    if facts.extensions:
        pf["extensions"] = [dict(e) for e in facts.extensions]
    if check:
        validate(pf, "ProductFootprint", "3")
    return pf


def to_v2(facts: FootprintFacts, *, check: bool = True) -> dict[str, Any]:
    """The facts as a PACT v2.3 ProductFootprint (JSON-ready dict).

    A declared unit in pieces is written as ``kilogram`` with ``unitaryProductAmount`` the
    mass of the pieces (v2 has no ``piece``; the figures stay per the same product amount).
    Raises :class:`~yuntan.pact.errors.NotExpressible` for what v2 cannot say.
    """
    f = facts.figures
    size = _magnitude(f)
    unit, amount = facts.declared_unit, facts.unitary_product_amount
    mass = _mass_per_declared_unit(facts)
    if unit not in V2_DECLARED_UNITS:
        if mass is None or mass <= 0:
            raise NotExpressible(
                f"PACT v2 has no declared unit {unit.value!r}; give "
                "product_mass_per_declared_unit_kg so it can be declared in kilogram")
        unit, amount = DeclaredUnit.KILOGRAM, mass
    pf = _header(facts, SPEC_VERSION_V2)
    pf["version"] = facts.version
    pf["created"] = date_time(facts.created)
    if facts.updated:
        pf["updated"] = date_time(facts.updated)
    pf["status"] = facts.status.value
    if facts.status_comment:
        pf["statusComment"] = facts.status_comment
    _common_tail(facts, pf)
    pf["productCategoryCpc"] = cpc_for(facts)
    pf["productNameCompany"] = facts.product_name
    pf["comment"] = facts.comment
    if f.biogenic_carbon_content_kg_c is None:
        raise NotExpressible("PACT v2 requires biogenicCarbonContent; give "
                             "biogenic_carbon_content_kg_c (0 for products without biogenic "
                             "carbon, e.g. aluminium)")
    earliest = min(facts.gwp_sets, key=lambda s: int(s[2:]) if s[2:].isdigit() else 0)
    if earliest not in ("AR5", "AR6"):
        raise NotExpressible(f"PACT v2 characterizationFactors is AR5 or AR6, not {earliest}")
    used = [_V2_STANDARDS_USED[s] for s in facts.cross_sectoral_standards
            if s in _V2_STANDARDS_USED]
    if not used:
        raise NotExpressible("PACT v2 crossSectoralStandardsUsed needs one of "
                             f"{', '.join(_V2_STANDARDS_USED)} in cross_sectoral_standards")
    pcf: dict[str, Any] = {
        "declaredUnit": unit.value,
        "unitaryProductAmount": _positive_amount(amount),
    }
    if mass is not None:
        pcf["productMassPerDeclaredUnit"] = decimal_string(_nonnegative(mass, "mass", mass))
    pcf.update({
        "pCfExcludingBiogenic": decimal_string(
            _nonnegative(f.excluding_biogenic_co2, "pCfExcludingBiogenic", size)),
        "pCfIncludingBiogenic": decimal_string(f.including_biogenic),
        "fossilGhgEmissions": decimal_string(_nonnegative(f.fossil, "fossilGhgEmissions", size)),
        "fossilCarbonContent": decimal_string(
            _nonnegative(f.fossil_carbon_content_kg_c, "fossilCarbonContent", size)),
        "biogenicCarbonContent": decimal_string(
            _nonnegative(f.biogenic_carbon_content_kg_c, "biogenicCarbonContent", size)),
        "dLucGhgEmissions": decimal_string(
            _nonnegative(f.land_use_change, "dLucGhgEmissions", size)),
        "otherBiogenicGhgEmissions": decimal_string(
            _nonnegative(f.biogenic, "otherBiogenicGhgEmissions", size)),
        "biogenicCarbonWithdrawal": decimal_string(
            _nonpositive(f.biogenic_uptake, "biogenicCarbonWithdrawal", size)),
        "characterizationFactors": earliest,
        "ipccCharacterizationFactorsSources": list(facts.gwp_sets),
        "crossSectoralStandardsUsed": used,
        "crossSectoralStandards": list(facts.cross_sectoral_standards),
    })
    if facts.sector_rules:
        pcf["productOrSectorSpecificRules"] = _rules(facts.sector_rules)
    pcf["boundaryProcessesDescription"] = facts.boundary_processes_description
    pcf["referencePeriodStart"] = date_time(facts.reference_period_start)
    pcf["referencePeriodEnd"] = date_time(facts.reference_period_end)
    pcf.update(_geography(facts))
    if facts.secondary_emission_factor_sources:
        pcf["secondaryEmissionFactorSources"] = [
            {"name": s.name, "version": s.version} for s in facts.secondary_emission_factor_sources]
    exempted = _percent(facts.exempted_emissions_percent, "exemptedEmissionsPercent")
    if exempted > 5:
        raise NotExpressible(f"PACT v2 allows at most 5 % exempted emissions, not {exempted}")
    pcf["exemptedEmissionsPercent"] = _number(exempted)
    pcf["exemptedEmissionsDescription"] = facts.exempted_emissions_description
    pcf["packagingEmissionsIncluded"] = facts.packaging_emissions_included
    if facts.packaging_emissions_included and facts.packaging_ghg_emissions is not None:
        pcf["packagingGhgEmissions"] = decimal_string(
            _nonnegative(facts.packaging_ghg_emissions, "packagingGhgEmissions", size))
    if facts.aircraft_ghg_emissions is not None:
        pcf["aircraftGhgEmissions"] = decimal_string(
            _nonnegative(facts.aircraft_ghg_emissions, "aircraftGhgEmissions", size))
    if facts.allocation_rules_description:
        pcf["allocationRulesDescription"] = facts.allocation_rules_description
    if facts.primary_data_share_percent is not None:
        pcf["primaryDataShare"] = _number(
            _percent(facts.primary_data_share_percent, "primaryDataShare"))
    dqi = _v2_dqi(facts.dqi)
    if dqi:
        pcf["dqi"] = dqi
    if facts.assurance is not None:
        pcf["assurance"] = _v2_assurance(facts.assurance)
    pf["pcf"] = pcf
    if facts.extensions:
        pf["extensions"] = [dict(e) for e in facts.extensions]
    if check:
        validate(pf, "ProductFootprint", "2")
    return pf


def _positive_amount(amount: float) -> str:
    text = decimal_string(amount)
    if not amount > 0 or text == "0":
        raise NotExpressible(f"the declared unit amount must be > 0, got {amount!r}")
    return text


def _percent(value: float, name: str) -> float:
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise NotExpressible(f"{name} is a percentage 0–100, got {value!r}")
    return value


def _number(value: float) -> float | int:
    """A JSON number for v2's Percent fields: 6 decimals, integral values as integers."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _v3_dqi(scores: DataQualityScores | None) -> dict[str, str] | None:
    if scores is None:
        return None
    values = {"technologicalDQR": scores.technological, "geographicalDQR": scores.geographical,
              "temporalDQR": scores.temporal}
    if any(v is None for v in values.values()):
        return None  # all three are required together; we write none rather than guess
    return {k: decimal_string(min(max(v, 1.0), 5.0), 4)
            for k, v in values.items() if v is not None}


def _v2_dqi(scores: DataQualityScores | None) -> dict[str, float | int] | None:
    if scores is None:
        return None
    values = {"technologicalDQR": scores.technological, "temporalDQR": scores.temporal,
              "geographicalDQR": scores.geographical, "completenessDQR": scores.completeness,
              "reliabilityDQR": scores.reliability}
    if scores.coverage_percent is None or any(v is None for v in values.values()):
        return None  # v2 requires all six together
    out: dict[str, float | int] = {
        "coveragePercent": _number(_percent(scores.coverage_percent, "coveragePercent"))}
    out.update({k: _number(round(v2_dqr(v), 4)) for k, v in values.items() if v is not None})
    return out


def _verification(a: Assurance) -> dict[str, str]:
    out: dict[str, str] = {}
    if a.coverage in _V3_VERIFICATION_COVERAGE:
        out["coverage"] = a.coverage
    if a.provider_name:
        out["providerName"] = a.provider_name
    if a.completed_at:
        out["completedAt"] = date_time(a.completed_at)
    if a.standard_name:
        out["standardName"] = a.standard_name
    if a.comments is not None:
        out["comments"] = a.comments
    return out


def _v2_assurance(a: Assurance) -> dict[str, Any]:
    out: dict[str, Any] = {"assurance": a.assured}
    if a.coverage in _V2_ASSURANCE_COVERAGE:
        out["coverage"] = a.coverage
    if a.level:
        out["level"] = a.level
    if a.boundary:
        out["boundary"] = a.boundary
    out["providerName"] = a.provider_name
    if a.completed_at:
        out["completedAt"] = date_time(a.completed_at)
    if a.standard_name:
        out["standardName"] = a.standard_name
    if a.comments is not None:
        out["comments"] = a.comments
    return out


def facts_from_outcome(
    result: Mapping[str, Any],
    *,
    declared_unit_amount: float,
    declared_unit: str,
    product_mass_kg_per_declared_unit: float | None = None,
    fossil_carbon_content_kg_c: float = 0.0,
    biogenic_carbon_content_kg_c: float | None = None,
    rule_pack: tuple[str, str] | None = None,
    aircraft_kg: float | None = None,
    **descriptive: Any,
) -> FootprintFacts:
    """:class:`FootprintFacts` from one method's stored result
    (:func:`yuntan.accounting.result_as_dict`) and the descriptive fields.

    Parameters
    ----------
    result:
        ``total``, ``gwp_set``, ``biogenic_split``, ``primary_data_share`` (0–1) and
        ``data_quality`` of one electricity method; figures are per our declared unit.
    declared_unit_amount, declared_unit:
        Our declared unit (the rule pack's, e.g. ``1``, ``"t"``); mapped by
        :func:`pact_declared_unit`, which rescales every figure to the PACT declared unit.
    product_mass_kg_per_declared_unit, fossil_carbon_content_kg_c, biogenic_carbon_content_kg_c:
        Per *our* declared unit; rescaled the same way. Fossil carbon content defaults to 0
        (none of the shipped product groups contains fossil carbon); biogenic carbon
        content ``None`` means unknown (v3 leaves it out, v2 refuses).
    aircraft_kg:
        Emissions from aircraft engines per *our* declared unit (air freight), when any;
        rescaled like the other figures.
    rule_pack:
        ``(id, version)``: written as a sector rule, operator ``Other``
        (``otherOperatorName`` :data:`RULE_OPERATOR`), unless ``sector_rules`` is given.
    descriptive:
        The other :class:`FootprintFacts` fields (``id``, ``created``, ``company_name``,
        ``company_ids``, ``product_ids``, ``product_name``, ``product_description``,
        ``reference_period_start`` / ``_end``, geography, assurance ...).

    Example
    -------
    ``facts_from_outcome(outcome_dict["results"]["location_based"], declared_unit_amount=1,
    declared_unit="t", rule_pack=("electrolytic-aluminium", "1.0.0"), id=uuid4(), ...)``
    """
    unit, amount, scale = pact_declared_unit(declared_unit_amount, declared_unit)
    split = result["biogenic_split"]
    figures = CarbonFigures(
        including_biogenic=float(split["including_biogenic"]) * scale,
        excluding_biogenic_uptake=float(split["excluding_biogenic_uptake"]) * scale,
        excluding_biogenic_co2=float(split["excluding_biogenic_co2"]) * scale,
        fossil=float(split["fossil"]) * scale,
        biogenic=float(split["biogenic"]) * scale,
        biogenic_uptake=float(split["biogenic_uptake"]) * scale,
        land_use_change=float(split["land_use_change"]) * scale,
        fossil_carbon_content_kg_c=fossil_carbon_content_kg_c * scale,
        biogenic_carbon_content_kg_c=(None if biogenic_carbon_content_kg_c is None
                                      else biogenic_carbon_content_kg_c * scale),
    )
    if not math.isclose(figures.including_biogenic, float(result["total"]) * scale,
                        rel_tol=1e-9, abs_tol=1e-12):
        raise NotExpressible("the biogenic split does not add up to the result's total")
    share = result.get("primary_data_share")
    quality = result.get("data_quality") or {}
    dqi = _scores(quality)
    fields: dict[str, Any] = {
        "declared_unit": unit,
        "unitary_product_amount": amount,
        "figures": figures,
        "gwp_sets": (str(result["gwp_set"]),),
        "primary_data_share_percent": (None if share is None
                                       else min(max(float(share) * 100, 0.0), 100.0)),
        "dqi": dqi,
        "product_mass_per_declared_unit_kg": (None if product_mass_kg_per_declared_unit is None
                                              else product_mass_kg_per_declared_unit * scale),
        "aircraft_ghg_emissions": None if not aircraft_kg else aircraft_kg * scale,
    }
    if rule_pack is not None and "sector_rules" not in descriptive:
        fields["sector_rules"] = (SectorRule("Other", (f"{rule_pack[0]} {rule_pack[1]}",),
                                             RULE_OPERATOR),)
    return FootprintFacts(**{**fields, **descriptive})


def _scores(quality: Mapping[str, Any]) -> DataQualityScores | None:
    names = ("technological", "temporal", "geographical", "completeness", "reliability")
    values = {n: (None if quality.get(n) is None else float(quality[n])) for n in names}
    if all(v is None for v in values.values()):
        return None
    coverage = quality.get("coverage")
    return DataQualityScores(
        coverage_percent=None if coverage is None else min(max(float(coverage) * 100, 0), 100),
        **values)
