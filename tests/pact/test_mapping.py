"""yuntan.pact.mapping: our facts written as PACT v3 and v2, valid against the official
schemas, with the figures where docs/pact.md says."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pact_fixtures import DESCRIPTIVE, aluminium, result, roses

from yuntan.pact import (
    DataQualityScores,
    DeclaredUnit,
    FootprintFacts,
    NotExpressible,
    decimal_string,
    facts_from_outcome,
    pact_declared_unit,
    parse_footprint,
    to_v2,
    to_v3,
    v2_dqr,
    validate,
)

DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")  # the v3 Decimal pattern


def test_aluminium_per_tonne_is_written_per_kilogram_in_v3() -> None:
    pf = to_v3(aluminium())
    pcf = pf["pcf"]
    assert pf["specVersion"] == "3.0.3"
    assert (pcf["declaredUnitOfMeasurement"], pcf["declaredUnitAmount"]) == ("kilogram", "1")
    assert pcf["productMassPerDeclaredUnit"] == "1"
    assert pcf["pcfExcludingBiogenicUptake"] == pcf["pcfIncludingBiogenicUptake"] == "15"
    assert (pcf["fossilGhgEmissions"], pcf["landUseChangeGhgEmissions"]) == ("14.99", "0.01")
    assert pcf["ipccCharacterizationFactors"] == ["AR6"]
    assert pcf["geographyCountrySubdivision"] == "CN-YN" and "geographyCountry" not in pcf
    assert pcf["productOrSectorSpecificRules"] == [{
        "operator": "Other", "ruleNames": ["electrolytic-aluminium 1.0.0"],
        "otherOperatorName": "Yuntan rule pack (云碳核算规则)"}]
    assert pcf["primaryDataShare"] == "80"
    assert pcf["dqi"] == {"technologicalDQR": "2", "geographicalDQR": "1.5",
                          "temporalDQR": "2.5"}
    assert pcf["verification"]["providerName"] == "Demo Verification Co."
    assert "level" not in pcf["verification"]  # v3 has no assurance level


def test_aluminium_in_v2_has_the_deprecated_mandatory_fields() -> None:
    pf = to_v2(aluminium())
    pcf = pf["pcf"]
    assert (pf["specVersion"], pf["version"], pf["comment"]) == ("2.3.0", 1, "")
    assert pf["productCategoryCpc"] == "unknown"
    assert (pcf["declaredUnit"], pcf["unitaryProductAmount"]) == ("kilogram", "1")
    assert pcf["pCfExcludingBiogenic"] == "15" and pcf["dLucGhgEmissions"] == "0.01"
    assert pcf["characterizationFactors"] == "AR6"
    assert pcf["crossSectoralStandardsUsed"] == ["ISO Standard 14067"]
    assert pcf["primaryDataShare"] == 80  # a JSON number in v2
    assert pcf["dqi"] == {"coveragePercent": 90, "technologicalDQR": 1.5, "temporalDQR": 1.75,
                          "geographicalDQR": 1.25, "completenessDQR": 2, "reliabilityDQR": 1.5}
    assert pcf["assurance"] == {
        "assurance": True, "coverage": "product level", "level": "limited",
        "boundary": "Cradle-to-Gate", "providerName": "Demo Verification Co.",
        "completedAt": "2025-02-01T00:00:00Z", "standardName": "ISO 14064-3"}


def test_a_cpc_classification_fills_the_v2_cpc_code() -> None:
    facts = aluminium(product_classifications=("urn:cpc:41431",))
    assert to_v2(facts)["productCategoryCpc"] == "41431"
    assert to_v2(aluminium(cpc_code="4143"))["productCategoryCpc"] == "4143"


def test_roses_are_pieces_in_v3_and_kilograms_of_one_stem_in_v2() -> None:
    v3 = to_v3(roses())["pcf"]
    assert (v3["declaredUnitOfMeasurement"], v3["declaredUnitAmount"]) == ("piece", "1")
    assert v3["productMassPerDeclaredUnit"] == "0.03"
    assert v3["biogenicCO2Uptake"] == "-0.005"
    assert v3["pcfExcludingBiogenicUptake"] == "0.125"
    assert v3["biogenicNonCO2Emissions"] == "0.006"  # 0.01 biogenic − 0.004 biogenic CO2
    v2 = to_v2(roses())["pcf"]
    assert (v2["declaredUnit"], v2["unitaryProductAmount"]) == ("kilogram", "0.03")
    assert v2["pCfExcludingBiogenic"] == "0.121"  # without biogenic CO2 and uptake
    assert v2["biogenicCarbonWithdrawal"] == "-0.005"
    assert v2["otherBiogenicGhgEmissions"] == "0.01"


@pytest.mark.parametrize(("amount", "unit", "expected"), [
    (1, "t", (DeclaredUnit.KILOGRAM, 1.0, 0.001)),
    (1, "吨", (DeclaredUnit.KILOGRAM, 1.0, 0.001)),
    (1, "kg", (DeclaredUnit.KILOGRAM, 1.0, 1.0)),
    (500, "g", (DeclaredUnit.KILOGRAM, 1.0, 2.0)),
    (1, "kWh", (DeclaredUnit.KILOWATT_HOUR, 1.0, 1.0)),
    (1, "万千瓦时", (DeclaredUnit.KILOWATT_HOUR, 1.0, 1e-4)),
    (1, "MJ", (DeclaredUnit.MEGAJOULE, 1.0, 1.0)),
    (1, "m3", (DeclaredUnit.CUBIC_METER, 1.0, 1.0)),
    (1, "L", (DeclaredUnit.LITER, 1.0, 1.0)),
    (1, "tkm", (DeclaredUnit.TON_KILOMETER, 1.0, 1.0)),
    (1, "piece", (DeclaredUnit.PIECE, 1.0, 1.0)),
    (1, "stem", (DeclaredUnit.PIECE, 1.0, 1.0)),
    (10, "枝", (DeclaredUnit.PIECE, 10.0, 1.0)),
])
def test_our_declared_units_map_to_pact_units(
        amount: float, unit: str, expected: tuple[DeclaredUnit, float, float]) -> None:
    got = pact_declared_unit(amount, unit)
    assert got[:2] == expected[:2] and math.isclose(got[2], expected[2])


def test_a_unit_pact_cannot_declare_is_refused() -> None:
    with pytest.raises(NotExpressible, match="no PACT counterpart"):
        pact_declared_unit(1, "Nm3")  # normal cubic metres are not geometric volume


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (-0.0, "0"), (15.0, "15"), (1e-7, "0.0000001"), (1.5e20, "150000000000000000000"),
    (0.1 + 0.2, "0.3"), (-182.84, "-182.84"), (2 / 3, "0.666666666667"),
])
def test_decimals_are_dotted_strings_never_exponents(value: float, text: str) -> None:
    assert decimal_string(value) == text


@pytest.mark.parametrize(("ours", "v2"), [(1, 1), (2, 1.5), (3, 2), (4, 2.5), (5, 3), (7, 3)])
def test_pedigree_scores_map_linearly_to_the_v2_scale(ours: float, v2: float) -> None:
    assert v2_dqr(ours) == v2


def test_unknown_quality_indicators_leave_dqi_out() -> None:
    partial = DataQualityScores(coverage_percent=50, technological=2, temporal=2,
                                geographical=2)  # no completeness / reliability
    assert "dqi" in to_v3(aluminium(dqi=partial))["pcf"]
    assert "dqi" not in to_v2(aluminium(dqi=partial))["pcf"]
    assert "dqi" not in to_v3(aluminium(dqi=None))["pcf"]


def test_packaging_emissions_are_written_only_when_included() -> None:
    assert "packagingGhgEmissions" not in to_v3(aluminium(packaging_ghg_emissions=0.2))["pcf"]
    pcf = to_v3(aluminium(packaging_emissions_included=True, packaging_ghg_emissions=0.2))["pcf"]
    assert (pcf["packagingEmissionsIncluded"], pcf["packagingGhgEmissions"]) == (True, "0.2")


def test_v2_only_fields_appear_only_in_v2() -> None:
    from datetime import UTC, datetime
    facts = aluminium(version=3, updated=datetime(2025, 6, 1, tzinfo=UTC),
                      status_comment="Updated upstream data")
    v2, v3 = to_v2(facts), to_v3(facts)
    assert (v2["version"], v2["updated"], v2["statusComment"]) == (
        3, "2025-06-01T00:00:00Z", "Updated upstream data")
    assert not {"version", "updated", "statusComment", "productCategoryCpc"} & set(v3)


@pytest.mark.parametrize(("make", "to", "match"), [
    (lambda: roses(mass=None), to_v3, "productMassPerDeclaredUnit"),
    (lambda: roses(mass=None), to_v2, "no declared unit 'piece'"),
    (lambda: aluminium(result=result(gwp_set="AR4")), to_v2, "AR5 or AR6"),
    (lambda: aluminium(cross_sectoral_standards=("PEF",)), to_v2, "crossSectoralStandardsUsed"),
    (lambda: aluminium(exempted_emissions_percent=6.0), to_v2, "at most 5 %"),
    (lambda: aluminium(geography_country="CN"), to_v3, "at most one"),
    (lambda: aluminium(result=result(1.0, fossil=-1.0, luc=2.0)), to_v3, "fossilGhgEmissions"),
    (lambda: aluminium(created=__import__("datetime").datetime(2025, 1, 1)), to_v3, "time zone"),
])
def test_what_a_version_cannot_say_is_refused_with_the_field(
        make: Callable[[], FootprintFacts], to: Callable[[FootprintFacts], dict[str, Any]],
        match: str) -> None:
    with pytest.raises(NotExpressible, match=match):
        to(make())


def test_v2_needs_the_biogenic_carbon_content() -> None:
    facts = aluminium()
    unknown = dataclasses.replace(facts, figures=dataclasses.replace(
        facts.figures, biogenic_carbon_content_kg_c=None))
    assert "biogenicCarbonContent" not in to_v3(unknown)["pcf"]
    with pytest.raises(NotExpressible, match="biogenicCarbonContent"):
        to_v2(unknown)


figure = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(fossil=figure, biogenic=figure, luc=figure,
       uptake=st.floats(min_value=-1e9, max_value=0, allow_nan=False),
       share_co2=st.floats(min_value=0, max_value=1))
def test_any_finite_split_round_trips_through_v3_and_v2(
        fossil: float, biogenic: float, luc: float, uptake: float, share_co2: float) -> None:
    total = fossil + biogenic + uptake + luc
    stored = result(total, fossil=fossil, biogenic=biogenic, uptake=uptake, luc=luc,
                    biogenic_co2=biogenic * share_co2)
    facts = aluminium(result=stored, product_classifications=())
    for to, headline in ((to_v3, facts.figures.excluding_biogenic_uptake),
                         (to_v2, facts.figures.excluding_biogenic_co2)):
        pf = to(facts)
        for key, value in pf["pcf"].items():
            if isinstance(value, str) and key[0].islower() and DECIMAL.match(value):
                assert "e" not in value.lower()
        read = parse_footprint(pf)
        assert read.co2e_kg_per_declared_unit == float(Decimal(decimal_string(headline)))
        assert read.including_biogenic_kg == float(Decimal(decimal_string(total / 1000)))
        assert math.isclose(read.co2e_kg_per_declared_unit, headline, rel_tol=1e-11,
                            abs_tol=1e-12 * max(abs(fossil), abs(uptake), 1e-3))
        validate(pf, "ProductFootprint", pf["specVersion"])


def test_land_management_n2o_is_fossil_in_v3_and_land_management_in_v2() -> None:
    stem = result(0.09, fossil=0.07, biogenic=0.01, uptake=-0.005, luc=0.015,
                  biogenic_co2=0.004)
    split = stem["biogenic_split"]
    split["land_management"] = 0.03  # fertiliser N2O, on top of the other parts
    for key in ("including_biogenic", "excluding_biogenic_uptake", "excluding_biogenic_co2"):
        split[key] += 0.03
    stem["total"] += 0.03
    facts = facts_from_outcome(
        stem, declared_unit_amount=1, declared_unit="stem",
        product_mass_kg_per_declared_unit=0.03, biogenic_carbon_content_kg_c=0.001,
        rule_pack=("cut-roses", "2.0.0"), **DESCRIPTIVE)
    v3 = to_v3(facts)["pcf"]
    assert v3["landManagementFossilGhgEmissions"] == "0.03"
    assert v3["fossilGhgEmissions"] == "0.1"  # 0.07 fossil + 0.03 land management
    assert v3["biogenicNonCO2Emissions"] == "0.006"  # no N2O there
    v2 = to_v2(facts)["pcf"]
    assert v2["landManagementGhgEmissions"] == "0.03"
