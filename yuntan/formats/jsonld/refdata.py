"""Unit groups, flow properties and flows, and the conversion of any amount to the reference
unit of its flow.

An amount ``a`` in unit ``u`` of flow property ``p`` of flow ``f`` is, in the reference unit
of ``f``'s reference flow property, ``a · factor(u) / factor(f, p)``: ``factor(u)`` converts
``u`` to the reference unit of its unit group, and the flow property factor
``factor(f, p)`` is how much of ``p`` one reference unit of ``f`` is (1 kg of water is
0.001 m3; the reference flow property's factor is 1). See the olca-schema documentation of
``FlowPropertyFactor``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import olca_schema as olca

from yuntan.formats.jsonld.checks import Checker, Document, Problems, parse_with
from yuntan.formats.jsonld.model import FlowKind, JsonLdFlow

REFERENCE_TOLERANCE = 1e-9
FLOW_KINDS = {"ELEMENTARY_FLOW": FlowKind.ELEMENTARY, "PRODUCT_FLOW": FlowKind.PRODUCT,
              "WASTE_FLOW": FlowKind.WASTE}


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    factor: float  # to the reference unit of its group


@dataclass(frozen=True)
class UnitGroup:
    id: str
    name: str
    units: tuple[Unit, ...]
    reference: Unit

    def find(self, unit_id: str | None, unit_name: str | None) -> Unit | None:
        """The unit with this @id, else (files that name units only) with this name."""
        for unit in self.units:
            if unit_id and unit.id == unit_id:
                return unit
        for unit in self.units:
            if unit_name and unit.name == unit_name:
                return unit
        return None


@dataclass(frozen=True)
class FlowProperty:
    id: str
    name: str
    unit_group: str


@dataclass(frozen=True)
class FlowUnits:
    """A flow with its flow property factors (flow property @id → factor)."""

    flow: JsonLdFlow
    factors: Mapping[str, float]
    reference_property: str


@dataclass
class ReferenceData:
    unit_groups: dict[str, UnitGroup] = field(default_factory=dict)
    properties: dict[str, FlowProperty] = field(default_factory=dict)
    flows: dict[str, FlowUnits] = field(default_factory=dict)
    # @ids of records with problems: references to them are not reported again.
    broken: set[str] = field(default_factory=set)

    def to_reference(
        self, flow_id: str, property_ref: Mapping[str, Any] | None, unit_ref: Mapping[str, Any]
    ) -> tuple[float, str] | str:
        """(factor to the flow's reference unit, unit name), or what is wrong."""
        units = self.flows[flow_id]
        unit_id = unit_ref.get("@id")
        unit_name = unit_ref.get("name")
        label = f"{unit_name!r} ({unit_id})" if unit_name else repr(unit_id)
        if property_ref is not None:
            property_id = str(property_ref["@id"])
            if property_id not in units.factors:
                have = ", ".join(repr(self._property_name(p)) for p in units.factors)
                return (f"flow {units.flow.name!r} has no flow property "
                        f"{self._property_name(property_id)!r} ({property_id}); it has {have}")
            candidates = [property_id]
        else:
            # No flow property given: the reference one, else the one whose group has the unit.
            candidates = [units.reference_property,
                          *(p for p in units.factors if p != units.reference_property)]
        for property_id in candidates:
            group = self.unit_groups[self.properties[property_id].unit_group]
            unit = group.find(unit_id if isinstance(unit_id, str) else None,
                              unit_name if isinstance(unit_name, str) else None)
            if unit is not None:
                return unit.factor / units.factors[property_id], unit.name
        group = self.unit_groups[self.properties[candidates[0]].unit_group]
        elsewhere = [g.name for g in self.unit_groups.values() if g.find(unit_id, None)]
        where = f"; it belongs to {', '.join(map(repr, elsewhere))}" if elsewhere else \
            "; no unit group of the package has it"
        return (f"unit {label} is not a unit of {group.name!r} (flow property "
                f"{self._property_name(candidates[0])!r} of flow {units.flow.name!r}){where}")

    def _property_name(self, property_id: str) -> str:
        found = self.properties.get(property_id)
        return found.name if found else property_id


def read_unit_group(doc: Document, problems: Problems, data: ReferenceData) -> None:
    check = Checker(doc, problems)
    units: list[Unit] = []
    references: list[Unit] = []
    entries = check.objects(doc.data, "units", required=True)
    if not entries and check.count == 0:
        check.problem("units", "a unit group needs at least one unit")
    for i, entry in entries:
        prefix = f"units[{i}]"
        name = check.text(entry, "name", prefix, required=True)
        factor = check.number(entry, "conversionFactor", prefix, required=True, positive=True)
        is_reference = check.flag(entry, "isRefUnit", prefix)
        uid = check.text(entry, "@id", prefix) or ""
        if name is None or factor is None:
            continue
        unit = Unit(uid, name, factor)
        units.append(unit)
        if is_reference:
            references.append(unit)
    if entries and len(references) != 1:
        found = ", ".join(repr(u.name) for u in references) or "none"
        check.problem("units", f"exactly one unit must be the reference unit (isRefUnit), "
                               f"found {found}")
    elif references and abs(references[0].factor - 1) > REFERENCE_TOLERANCE:
        check.problem("units", f"the reference unit {references[0].name!r} must have the "
                               f"conversion factor 1, found {references[0].factor:g}")
    group = parse_with(doc, problems, olca.UnitGroup.from_dict)
    if check.count or group is None:
        data.broken.add(doc.uid)
        return
    data.unit_groups[doc.uid] = UnitGroup(doc.uid, doc.label, tuple(units), references[0])


def read_flow_property(doc: Document, problems: Problems, data: ReferenceData) -> None:
    check = Checker(doc, problems)
    ref = check.ref(doc.data, "unitGroup", required=True)
    known = ref is None or ref["@id"] in data.unit_groups or ref["@id"] in data.broken
    if ref is not None and not known:
        check.problem("unitGroup", f"unknown unit group {ref_label(ref)}: it is not in "
                                   f"the package (unit_groups/)")
    prop = parse_with(doc, problems, olca.FlowProperty.from_dict)
    if check.count or prop is None or ref is None or ref["@id"] in data.broken:
        data.broken.add(doc.uid)
        return
    data.properties[doc.uid] = FlowProperty(doc.uid, doc.label, str(prop.unit_group.id))


def read_flow(doc: Document, problems: Problems, data: ReferenceData) -> None:
    check = Checker(doc, problems)
    kind = check.choice(doc.data, "flowType", tuple(FLOW_KINDS), required=True)
    for key in ("category", "cas", "formula"):
        check.text(doc.data, key)
    factors: dict[str, float] = {}
    references: list[str] = []
    dependent = False
    entries = check.objects(doc.data, "flowProperties", required=True)
    if not entries and check.count == 0:
        check.problem("flowProperties", "a flow needs at least one flow property")
    for i, entry in entries:
        prefix = f"flowProperties[{i}]"
        ref = check.ref(entry, "flowProperty", prefix, required=True)
        factor = check.number(entry, "conversionFactor", prefix, required=True, positive=True)
        is_reference = check.flag(entry, "isRefFlowProperty", prefix)
        if ref is None or factor is None:
            continue
        property_id = str(ref["@id"])
        if property_id in data.broken:
            dependent = True
        elif property_id not in data.properties:
            check.problem(f"{prefix}.flowProperty", f"unknown flow property {ref_label(ref)}: "
                                                    f"it is not in the package (flow_properties/)")
        factors[property_id] = factor
        if is_reference:
            references.append(property_id)
    if entries and len(references) != 1:
        check.problem("flowProperties", f"exactly one flow property must be the reference "
                                        f"(isRefFlowProperty), found {len(references)}")
    elif references and abs(factors[references[0]] - 1) > REFERENCE_TOLERANCE:
        check.problem("flowProperties", f"the reference flow property must have the "
                                        f"conversion factor 1, found {factors[references[0]]:g}")
    flow = parse_with(doc, problems, olca.Flow.from_dict)
    if check.count or dependent or flow is None or kind is None:
        data.broken.add(doc.uid)
        return
    reference = data.properties[references[0]]
    unit = data.unit_groups[reference.unit_group].reference.name
    data.flows[doc.uid] = FlowUnits(
        JsonLdFlow(
            id=doc.uid, name=doc.label, kind=FLOW_KINDS[flow.flow_type.value],
            reference_unit=unit, reference_property=reference.name,
            category=flow.category or "", cas=flow.cas or "", formula=flow.formula or "",
        ),
        factors, references[0],
    )


def ref_label(ref: Mapping[str, Any]) -> str:
    """``'steel' (3f2c…)`` for a reference with a name, else its quoted @id."""
    name = ref.get("name")
    return f"{name!r} ({ref['@id']})" if isinstance(name, str) else repr(ref["@id"])


def read_reference_data(
    unit_groups: Iterable[Document], properties: Iterable[Document], flows: Iterable[Document],
    problems: Problems,
) -> ReferenceData:
    data = ReferenceData()
    for doc in unit_groups:
        read_unit_group(doc, problems, data)
    for doc in properties:
        read_flow_property(doc, problems, data)
    for doc in flows:
        read_flow(doc, problems, data)
    return data
