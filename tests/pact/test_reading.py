"""yuntan.pact.reading: suppliers' v2 and v3 footprints read into one shape."""

from __future__ import annotations

import math

import pytest
from pact_fixtures import aluminium, example, roses

from yuntan.errors import DimensionMismatch
from yuntan.pact import (
    DeclaredUnit,
    SchemaViolation,
    UnknownSpecVersion,
    parse_footprint,
    per_unit,
    to_v2,
    to_v3,
)


def test_a_v3_footprint_reads_with_its_headline_and_quality() -> None:
    pcf = parse_footprint(example("v3/example-2.json"))
    assert (pcf.declared_unit, pcf.declared_unit_amount) == (DeclaredUnit.LITER, 12.0)
    assert pcf.co2e_kg_per_declared_unit == 5.14  # pcfExcludingBiogenicUptake
    assert pcf.product_mass_per_declared_unit_kg == 9.468
    assert pcf.version is None and pcf.spec_version == "3.0.0"


def test_a_v2_footprint_reads_with_its_v2_fields() -> None:
    pcf = parse_footprint(example("v2/get-footprint-response.json")["data"])
    assert pcf.co2e_kg_per_declared_unit == 1.63  # pCfExcludingBiogenic
    assert pcf.including_biogenic_kg == 1.85
    assert pcf.version == 1 and pcf.geography == "Western Europe"
    assert pcf.dqi is not None and pcf.dqi.scale_max == 3 and pcf.dqi.completeness == 1.7
    assert pcf.primary_data_share_percent == 12.9


def test_our_own_footprints_read_back() -> None:
    for pf in (to_v3(aluminium()), to_v2(aluminium())):
        pcf = parse_footprint(pf)
        assert pcf.co2e_kg_per_declared_unit == 15.0 and pcf.assured
        assert pcf.assurance_provider == "Demo Verification Co."
        assert pcf.geography == "CN-YN" and pcf.gwp_sets == ("AR6",)


@pytest.mark.parametrize(("unit", "expected"), [("kg", 15.0), ("t", 15_000.0), ("吨", 15_000.0),
                                                ("g", 0.015)])
def test_a_footprint_per_kilogram_feeds_an_input_in_tonnes(unit: str, expected: float) -> None:
    assert math.isclose(per_unit(parse_footprint(to_v3(aluminium())), unit), expected)


def test_per_unit_divides_by_the_declared_amount_and_goes_through_the_mass() -> None:
    ethanol = parse_footprint(example("v3/example-2.json"))  # 5.14 kg per 12 liter, 9.468 kg
    assert math.isclose(per_unit(ethanol, "L"), 5.14 / 12)
    assert math.isclose(per_unit(ethanol, "m3"), 5.14 / 12 * 1000)
    assert math.isclose(per_unit(ethanol, "t"), 5.14 / 9.468 * 1000)
    stem = parse_footprint(to_v3(roses()))
    assert math.isclose(per_unit(stem, "枝"), 0.125)
    assert math.isclose(per_unit(stem, "kg"), 0.125 / 0.03)
    with pytest.raises(DimensionMismatch):
        per_unit(stem, "kWh")


def test_a_broken_supplier_footprint_lists_its_paths() -> None:
    data = example("v3/example-1.json")
    data["pcf"]["pcfExcludingBiogenicUptake"] = "1,5"
    with pytest.raises(SchemaViolation) as caught:
        parse_footprint(data)
    assert caught.value.violations[0].path == "$.pcf.pcfExcludingBiogenicUptake"


def test_v2_decimals_without_a_schema_pattern_are_checked_here() -> None:
    data = example("v2/get-footprint-response.json")["data"]
    data["pcf"]["pCfExcludingBiogenic"] = "lots"
    with pytest.raises(SchemaViolation, match=r"\$\.pcf\.pCfExcludingBiogenic"):
        parse_footprint(data)
    data = example("v2/get-footprint-response.json")["data"]
    data["pcf"]["unitaryProductAmount"] = "0"
    with pytest.raises(SchemaViolation, match="unitaryProductAmount"):
        parse_footprint(data)


@pytest.mark.parametrize("version", ["1.0.0", "4.0.0", None])
def test_other_spec_versions_are_refused(version: str | None) -> None:
    data = example("v3/example-1.json")
    data["specVersion"] = version
    with pytest.raises(UnknownSpecVersion):
        parse_footprint(data)


def test_a_document_validated_before_can_be_read_without_validating_again() -> None:
    document = example("v3/example-2.json")
    off_schema = {**document, "productNameCompany": ""}  # minLength 1 in the schema
    with pytest.raises(SchemaViolation):
        parse_footprint(off_schema)
    assert parse_footprint(off_schema, check=False).co2e_kg_per_declared_unit == 5.14
