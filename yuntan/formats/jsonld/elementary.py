"""Elementary flows ↔ Yuntan's greenhouse gases.

``elementary_flows.csv`` lists the flow written for each (gas, origin) on export, with its
UUID (ecoinvent 3 biosphere UUIDs for CO2, CH4 and N2O, so that openLCA databases holding
ecoinvent's flows merge them; Yuntan's own ``uuid5`` UUIDs for the rest). ``gas_names.csv``
lists CAS numbers and names used to recognise the gases of other flows on import.

On import a flow is matched by UUID, else by CAS number, else (no CAS number) by name
(``methane, fossil``, ``carbon dioxide (biogenic)``, ``dinitrogen monoxide``): a known gas
name followed only by origin words or a refrigerant designation. The origin comes from the
name: *biogenic*/*non-fossil*, *land use*/*land transformation*/*from soil or biomass
stock*, *in air* (uptake); fossil otherwise. Only emissions to air (or flows without a
compartment) and CO2 taken from air count; anything else is left out and reported.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from yuntan.formats.jsonld.model import JsonLdFlow
from yuntan.gwp import Origin
from yuntan.lca.system import FlowKey

# Words that may follow a gas name in a flow name: origins and refrigerant designations.
_QUALIFIER = re.compile(
    r"^(fossil|biogenic|non-fossil|in air|from soil or biomass stock|land transformation|"
    r"(from )?land use change|(pfc|hfc|cfc|r)-?[0-9a-z]+)$"
)


@dataclass(frozen=True)
class ExportFlow:
    gas: str
    origin: Origin
    is_input: bool
    uuid: str
    name: str
    category: str


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("yuntan.formats.jsonld").joinpath(filename).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def export_flows() -> Mapping[tuple[str, Origin], ExportFlow]:
    """The elementary flow written for each (gas, origin)."""
    flows = {
        (row["gas"], Origin(row["origin"])): ExportFlow(
            row["gas"], Origin(row["origin"]), row["direction"] == "input", row["uuid"],
            row["name"], row["category"],
        )
        for row in _rows("elementary_flows.csv")
    }
    return MappingProxyType(flows)


@cache
def _by_uuid() -> Mapping[str, ExportFlow]:
    return MappingProxyType({flow.uuid: flow for flow in export_flows().values()})


@cache
def _gas_names() -> tuple[Mapping[str, str], tuple[tuple[str, str], ...]]:
    by_cas: dict[str, str] = {}
    names: list[tuple[str, str]] = []
    for row in _rows("gas_names.csv"):
        by_cas[row["cas"]] = row["gas"]
        names.extend((name, row["gas"]) for name in row["names"].split("|"))
    names.sort(key=lambda item: -len(item[0]))  # "methane, trifluoro-" before "methane"
    return MappingProxyType(by_cas), tuple(names)


def _normalise_cas(cas: str) -> str:
    return re.sub(r"^0+", "", cas.strip())


def _only_qualifiers(rest: str) -> bool:
    """Whether what follows a gas name in a flow name is only origins / designations."""
    parts = [p.strip() for p in re.split(r"[(),]", rest)]
    return all(_QUALIFIER.match(p) for p in parts if p)


def _origin(text: str) -> Origin:
    if "non-fossil" in text or "biogenic" in text:
        return Origin.BIOGENIC
    if "land use" in text or "land transformation" in text or "soil or biomass stock" in text:
        return Origin.LAND_USE_CHANGE
    if "in air" in text:
        return Origin.BIOGENIC_UPTAKE
    return Origin.FOSSIL


def gas_of(flow: JsonLdFlow, is_input: bool) -> FlowKey | None:
    """The gas and origin of an elementary flow, or None when it is not a greenhouse gas
    emission to air (or CO2 taken from air)."""
    known = _by_uuid().get(flow.id)
    if known is not None:
        return FlowKey(known.gas, known.origin) if known.is_input == is_input else None
    by_cas, names = _gas_names()
    name = flow.name.strip().lower()
    gas: str | None = None
    if flow.cas.strip():
        gas = by_cas.get(_normalise_cas(flow.cas))  # the CAS number decides
    else:
        for synonym, candidate in names:
            if name == synonym or name.startswith((synonym + ",", synonym + " ", synonym + "(")):
                gas = candidate if _only_qualifiers(name[len(synonym):]) else None
                break
    if gas is None:
        return None
    origin = _origin(name)
    category = flow.category.lower()
    if is_input:
        air = "air" in category or origin is Origin.BIOGENIC_UPTAKE
        return FlowKey(gas, Origin.BIOGENIC_UPTAKE) if gas == "CO2" and air else None
    if origin is Origin.BIOGENIC_UPTAKE or (category and "air" not in category):
        return None
    return FlowKey(gas, origin)
