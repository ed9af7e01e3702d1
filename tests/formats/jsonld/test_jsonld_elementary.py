"""Recognising greenhouse gases among elementary flows (used without an impact category)."""

from __future__ import annotations

import pytest

from yuntan.formats.jsonld import FlowKind, JsonLdFlow
from yuntan.formats.jsonld.elementary import export_flows, gas_of
from yuntan.gwp import Origin, gases, get_gwp_set

AIR = "Elementary flows/Emission to air/unspecified"


def _flow(name: str, cas: str = "", category: str = AIR, uid: str = "x") -> JsonLdFlow:
    return JsonLdFlow(uid, name, FlowKind.ELEMENTARY, "kg", "Mass", category, cas)


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
