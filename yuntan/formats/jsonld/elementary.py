"""Elementary flows ↔ Yuntan's greenhouse gases.

``elementary_flows.csv`` lists the flow written for each (gas, origin) on export, with its
UUID (ecoinvent 3 biosphere UUIDs for CO2, CH4 and N2O, so that openLCA databases holding
ecoinvent's flows merge them; Yuntan's own ``uuid5`` UUIDs for the rest). ``gas_names.csv``
lists CAS numbers and names used to recognise the gases of other flows on import.

On import a flow is matched by UUID, else by CAS number (openLCA's ``cas``, with or
without leading zeros), else (no CAS number) by molecular formula (``formula``; only formulas
that name one gas, not isomers), else by name (``methane, fossil``, ``carbon dioxide
(biogenic)``, ``Methane, tetrafluoro-, FC-14``): a known gas name followed only by origin
words or a refrigerant designation. The origin comes from the name, else from the category:
*biogenic*/*non-fossil*, *land use*/*land transformation*/*from soil or biomass stock*, *in
air* (uptake); fossil otherwise. Emissions count unless the category names another
compartment than air (water, soil, ground, sea, resources): a flow filed only under
"Elementary flows" counts. CO2 taken from air counts as uptake; anything else is left out
and reported.
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

# Words that may follow a gas name in a flow name: origins and refrigerant designations
# (R-14, PFC-14, FC-14, HFC-134a, …).
_QUALIFIER = re.compile(
    r"^(fossil|biogenic|non-fossil|in air|from soil or biomass stock|land transformation|"
    r"(from )?land use change|(pfc|hfc|hcfc|cfc|fc|r)-?[0-9a-z]+)$"
)
# Compartments of a category that are not air: an emission filed there is no emission to air.
_OTHER_COMPARTMENT = re.compile(r"\b(water|soil|ground|sea|ocean|river|lake|resources?)\b")
_CAS = re.compile(r"(\d{2,7})-(\d{2})-(\d)")
_ELEMENT = re.compile(r"([A-Z][a-z]?)(\d*)")


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


@dataclass(frozen=True)
class _GasNames:
    by_cas: Mapping[str, str]
    by_formula: Mapping[tuple[tuple[str, int], ...], str]
    names: tuple[tuple[str, str], ...]  # (lower-case name, gas), longest first


@cache
def _gas_names() -> _GasNames:
    by_cas: dict[str, str] = {}
    by_formula: dict[tuple[tuple[str, int], ...], str] = {}
    names: list[tuple[str, str]] = []
    for row in _rows("gas_names.csv"):
        by_cas[row["cas"]] = row["gas"]
        if row["formula"]:
            formula = _normalise_formula(row["formula"])
            assert formula is not None and formula not in by_formula, row["formula"]
            by_formula[formula] = row["gas"]
        names.extend((name, row["gas"]) for name in row["names"].split("|"))
    names.sort(key=lambda item: -len(item[0]))  # "methane, trifluoro-" before "methane"
    return _GasNames(MappingProxyType(by_cas), MappingProxyType(by_formula), tuple(names))


def _normalise_cas(cas: str) -> str | None:
    """``000124-38-9`` and ``CAS 124-38-9`` → ``124-38-9``; None when there is no number."""
    found = _CAS.search(cas)
    if found is None:
        return None
    return f"{int(found.group(1))}-{found.group(2)}-{found.group(3)}"


def _normalise_formula(formula: str) -> tuple[tuple[str, int], ...] | None:
    """Element counts of a molecular formula in any order (``CF4``, ``CH2F2`` = ``CF2H2``);
    None when it is not a plain formula (charges, brackets, words)."""
    text = formula.replace(" ", "")
    if not text or _ELEMENT.sub("", text):
        return None
    counts: dict[str, int] = {}
    for element, number in _ELEMENT.findall(text):
        counts[element] = counts.get(element, 0) + (int(number) if number else 1)
    return tuple(sorted(counts.items()))


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


def _gas_by_name(name: str, names: tuple[tuple[str, str], ...]) -> str | None:
    for synonym, candidate in names:
        if name == synonym or name.startswith((synonym + ",", synonym + " ", synonym + "(")):
            return candidate if _only_qualifiers(name[len(synonym):]) else None
    return None


def gas_of_flow(flow: JsonLdFlow) -> str | None:
    """The greenhouse gas a flow is, whatever its compartment: by CAS number, else by formula,
    else by name. A CAS number or formula of something else decides: not a gas of ours."""
    known = _gas_names()
    cas = _normalise_cas(flow.cas)
    if cas is not None:
        return known.by_cas.get(cas)
    formula = _normalise_formula(flow.formula)
    if formula is not None:
        return known.by_formula.get(formula)
    return _gas_by_name(flow.name.strip().lower(), known.names)


def gas_of(flow: JsonLdFlow, is_input: bool) -> FlowKey | None:
    """The gas and origin of an elementary flow, or None when it is not a greenhouse gas
    emission to air (or CO2 taken from air)."""
    known = _by_uuid().get(flow.id)
    if known is not None:
        return FlowKey(known.gas, known.origin) if known.is_input == is_input else None
    gas = gas_of_flow(flow)
    if gas is None:
        return None
    name = flow.name.strip().lower()
    category = flow.category.lower()
    origin = _origin(name)
    if origin is Origin.FOSSIL and "in air" not in category:
        origin = _origin(category)  # "…/biogenic", "…/land use change": the category says
    if is_input:
        air = "air" in category or origin is Origin.BIOGENIC_UPTAKE
        return FlowKey(gas, Origin.BIOGENIC_UPTAKE) if gas == "CO2" and air else None
    if origin is Origin.BIOGENIC_UPTAKE:
        return None
    if "air" not in category and _OTHER_COMPARTMENT.search(category):
        return None
    return FlowKey(gas, origin)
