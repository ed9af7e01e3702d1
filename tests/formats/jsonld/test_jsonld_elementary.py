"""Recognising greenhouse gases among elementary flows (used without an impact category)."""

from __future__ import annotations

import pytest

from yuntan.formats.jsonld import FlowKind, JsonLdFlow
from yuntan.formats.jsonld.elementary import export_flows, gas_of
from yuntan.gwp import Origin, gases, get_gwp_set

AIR = "Elementary flows/Emission to air/unspecified"


def _flow(name: str, cas: str = "", category: str = AIR, uid: str = "x",
          formula: str = "") -> JsonLdFlow:
    return JsonLdFlow(uid, name, FlowKind.ELEMENTARY, "kg", "Mass", category, cas, formula)


@pytest.mark.parametrize("name,cas,is_input,expected", [
    ("Carbon dioxide, fossil", "124-38-9", False, ("CO2", Origin.FOSSIL)),
    ("Carbon dioxide, fossil", "000124-38-9", False, ("CO2", Origin.FOSSIL)),
    ("Carbon dioxide, non-fossil", "124-38-9", False, ("CO2", Origin.BIOGENIC)),
    ("carbon dioxide (biogenic)", "", False, ("CO2", Origin.BIOGENIC)),
    ("Carbon dioxide, from soil or biomass stock", "124-38-9", False,
     ("CO2", Origin.LAND_USE_CHANGE)),
    ("Carbon dioxide (land use change)", "", False, ("CO2", Origin.LAND_USE_CHANGE)),
    ("Carbon dioxide", "", False, ("CO2", Origin.FOSSIL)),
    ("Carbon dioxide, in air", "124-38-9", True, ("CO2", Origin.BIOGENIC_UPTAKE)),
    ("Methane, fossil", "74-82-8", False, ("CH4", Origin.FOSSIL)),
    ("Methane, biogenic", "", False, ("CH4", Origin.BIOGENIC)),
    ("Dinitrogen monoxide", "10024-97-2", False, ("N2O", Origin.FOSSIL)),
    ("nitrous oxide", "", False, ("N2O", Origin.FOSSIL)),
    ("Sulfur hexafluoride", "2551-62-4", False, ("SF6", Origin.FOSSIL)),
    ("Methane, tetrafluoro-, R-14", "", False, ("CF4", Origin.FOSSIL)),
    ("Ethane, 1,1,1,2-tetrafluoro-, HFC-134a", "811-97-2", False, ("HFC-134a", Origin.FOSSIL)),
    # Not greenhouse gases of the GWP sets, or not to air:
    ("Methane, dichloro-, HCC-30", "75-09-2", False, None),
    ("Methane, dichloro-", "", False, None),
    ("Carbon monoxide, fossil", "630-08-0", False, None),
    ("Methane, fossil", "74-82-8", True, None),  # methane is not taken up
    ("Carbon dioxide, in air", "124-38-9", False, None),
])
def test_it_recognises_gases_by_cas_and_name(name: str, cas: str, is_input: bool,
                                             expected: tuple[str, Origin] | None) -> None:
    key = gas_of(_flow(name, cas), is_input)
    assert (None if key is None else (key.gas, key.origin)) == expected


def test_emissions_to_water_are_not_greenhouse_gas_emissions() -> None:
    assert gas_of(_flow("Methane", "74-82-8", "Elementary flows/Emission to water"),
                  False) is None


def test_it_knows_its_own_export_flows_by_uuid() -> None:
    for (gas, origin), flow in export_flows().items():
        key = gas_of(_flow("any name", uid=flow.uuid, category=""), flow.is_input)
        assert key is not None and (key.gas, key.origin) == (gas, origin)


def test_every_export_flow_is_a_gas_the_gwp_sets_characterise() -> None:
    ar6 = get_gwp_set("AR6")
    for gas, origin in export_flows():
        assert gas in gases()
        assert ar6.factor(gas, origin) > 0
    uuids = [flow.uuid for flow in export_flows().values()]
    assert len(set(uuids)) == len(uuids)


# Flows as real openLCA exports carry them: the name alone would not do.
@pytest.mark.parametrize("name,cas,formula,category,expected", [
    # A primary aluminium's PFC: the "FC-14" designation is not in the name pattern.
    ("Methane, tetrafluoro-, FC-14", "75-73-0", "CF4", AIR, ("CF4", Origin.FOSSIL)),
    ("Methane, tetrafluoro-, FC-14", "", "CF4", AIR, ("CF4", Origin.FOSSIL)),
    ("Methane, tetrafluoro-, FC-14", "", "", AIR, ("CF4", Origin.FOSSIL)),
    ("Tetrafluoromethane", "CAS 75-73-0", "", AIR, ("CF4", Origin.FOSSIL)),
    ("Ethane, hexafluoro-, FC-116", "", "C2F6", AIR, ("C2F6", Origin.FOSSIL)),
    ("Difluoromethane", "", "CF2H2", AIR, ("HFC-32", Origin.FOSSIL)),
    # Filed in a top-level category with no compartment below it.
    ("Methane, biogenic", "74-82-8", "CH4", "Elementary flows", ("CH4", Origin.BIOGENIC)),
    ("Carbon dioxide, biogenic", "124-38-9", "CO2", "Emissions", ("CO2", Origin.BIOGENIC)),
    ("Carbon dioxide, biogenic", "", "", "Elementary flows", ("CO2", Origin.BIOGENIC)),
    # The origin from the category when the name has none.
    ("Carbon dioxide", "124-38-9", "CO2", "Emission to air/biogenic", ("CO2", Origin.BIOGENIC)),
    # The CAS number or formula of something else decides, whatever the name says.
    ("Methane, dichloro-", "", "CH2Cl2", AIR, None),
    ("Methane, tetrafluoro-", "75-09-2", "", AIR, None),
    # Isomers share a formula: C2H2F4 is HFC-134a or HFC-134; the name decides.
    ("Ethane, 1,1,2,2-tetrafluoro-", "", "C2H2F4", AIR, None),
    # Another compartment than air.
    ("Methane, biogenic", "74-82-8", "CH4", "Elementary flows/Emission to water/river", None),
    ("Carbon dioxide", "124-38-9", "CO2", "Emission to soil", None),
])
def test_it_recognises_gases_by_cas_and_formula_before_the_name(
        name: str, cas: str, formula: str, category: str,
        expected: tuple[str, Origin] | None) -> None:
    key = gas_of(_flow(name, cas, category, formula=formula), False)
    assert (None if key is None else (key.gas, key.origin)) == expected
