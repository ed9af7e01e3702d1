"""Impact categories (characterisation factors of elementary flows, per flow reference unit)
and impact methods.

A factor ``v`` given per unit ``u`` of flow property ``p`` is ``v / factor`` per reference
unit of the flow, with ``factor`` the conversion of :meth:`ReferenceData.to_reference`
(e.g. 27 kg CO2e per kg methane given as 0.027 per g). Regionalised factors (with a
``location``) are skipped: the calculation is not regionalised.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import olca_schema as olca

from yuntan.formats.jsonld.checks import Checker, Document, Problems, parse_with
from yuntan.formats.jsonld.model import FlowKind, JsonLdImpactCategory, JsonLdImpactMethod
from yuntan.formats.jsonld.refdata import ReferenceData, ref_label


def read_impact_category(
    doc: Document, problems: Problems, ref: ReferenceData, notes: list[str]
) -> JsonLdImpactCategory | None:
    check = Checker(doc, problems)
    check.text(doc.data, "refUnit")
    factors: dict[str, float] = {}
    skipped = {"regionalised": 0, "not elementary": 0, "repeated": 0, "formula": 0}
    for i, entry in check.objects(doc.data, "impactFactors"):
        prefix = f"impactFactors[{i}]"
        before = check.count
        flow_ref = check.ref(entry, "flow", prefix, required=True)
        value = check.number(entry, "value", prefix, required=True)
        unit_ref = check.ref(entry, "unit", prefix)
        property_ref = check.ref(entry, "flowProperty", prefix)
        location = check.ref(entry, "location", prefix)
        if check.text(entry, "formula", prefix):
            skipped["formula"] += 1
        if flow_ref is None or value is None or check.count > before:
            continue
        flow_id = str(flow_ref["@id"])
        if flow_id in ref.broken:
            check.count += 1
            continue
        if flow_id not in ref.flows:
            check.problem(f"{prefix}.flow", f"unknown flow {ref_label(flow_ref)}: it is not in "
                                            f"the package (flows/)")
            continue
        units = ref.flows[flow_id]
        if unit_ref is not None:
            converted = ref.to_reference(flow_id, property_ref, unit_ref)
            if isinstance(converted, str):
                check.problem(f"{prefix}.unit", converted)
                continue
            factor = converted[0]
        elif property_ref is not None:
            if str(property_ref["@id"]) not in units.factors:
                check.problem(f"{prefix}.flowProperty", f"flow {units.flow.name!r} has no flow "
                                                        f"property {ref_label(property_ref)}")
                continue
            factor = 1 / units.factors[str(property_ref["@id"])]
        else:
            factor = 1.0
        if location is not None:
            skipped["regionalised"] += 1
        elif units.flow.kind is not FlowKind.ELEMENTARY:
            skipped["not elementary"] += 1
        elif flow_id in factors:
            skipped["repeated"] += 1
        else:
            factors[flow_id] = value / factor
    category = parse_with(doc, problems, olca.ImpactCategory.from_dict)
    if check.count or category is None:
        ref.broken.add(doc.uid)
        return None
    left = [f"{count} {what}" for what, count in skipped.items() if count]
    if left:
        notes.append(f"{doc.path} ({doc.label}): factors not used: {', '.join(left)} "
                     f"(formulas: the stored value is used)")
    return JsonLdImpactCategory(doc.uid, doc.label, category.ref_unit or "",
                                MappingProxyType(factors))


def read_impact_method(
    doc: Document, problems: Problems, categories: Mapping[str, JsonLdImpactCategory],
    broken: set[str],
) -> JsonLdImpactMethod | None:
    check = Checker(doc, problems)
    found: list[str] = []
    for i, entry in check.objects(doc.data, "impactCategories"):
        prefix = f"impactCategories[{i}]"
        if not isinstance(entry.get("@id"), str):
            check.problem(prefix, 'expected a reference {"@id": …}')
            continue
        uid = entry["@id"]
        if uid in broken:
            check.count += 1
        elif uid not in categories:
            check.problem(prefix, f"unknown impact category {ref_label(entry)}: it is not in "
                                  f"the package (lcia_categories/)")
        else:
            found.append(uid)
    method = parse_with(doc, problems, olca.ImpactMethod.from_dict)
    if check.count or method is None:
        return None
    return JsonLdImpactMethod(doc.uid, doc.label, tuple(found))
