"""Processes: exchanges checked and converted to reference units, the quantitative reference,
and the default allocation method's factors for multi-output processes.

Allocation follows openLCA's ``AllocationIndex``: with the process's default method
PHYSICAL or ECONOMIC every non-provider exchange of product ``p`` is multiplied by ``p``'s
factor, with CAUSAL by the factor of (``p``, exchange); a missing factor counts 1. A
multi-output process without such a method is *not* allocated (openLCA would give each
co-product every input in full): its co-products are not offered as providers, the reference
product carries everything, and the linking report says so.

Real exports are not always tidy; two things are tallied (``Tally``) and noted instead of
refusing the package: allocation factors that apply to no method of the process (openLCA 1.x
writes factors naming no product in processes without a default method; they change nothing),
and a process with no exchange marked as quantitative reference but exactly one product
output (or waste input), which is taken as the reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import olca_schema as olca

from yuntan.formats.jsonld.checks import Checker, Document, Problems, parse_with
from yuntan.formats.jsonld.linking import is_provider_side
from yuntan.formats.jsonld.model import AllocationKind, FlowKind, JsonLdExchange, JsonLdProcess
from yuntan.formats.jsonld.refdata import ReferenceData, ref_label

ALLOCATION_TYPES = ("PHYSICAL_ALLOCATION", "ECONOMIC_ALLOCATION", "CAUSAL_ALLOCATION",
                    "USE_DEFAULT_ALLOCATION", "NO_ALLOCATION")

# What ``read_process`` let through with a note: the keys of a ``Tally`` (a Counter).
IGNORED_FACTORS = "allocation factors that apply to no method of their process"
IGNORED_FACTORS_WITHOUT_PRODUCT = "of them naming no product"
PROCESSES_WITH_IGNORED_FACTORS = "processes with ignored allocation factors"
REFERENCE_TAKEN = "processes without a marked quantitative reference"
Tally = Counter[str]


def tally_notes(tally: Tally) -> list[str]:
    """The import's notes for what was tallied (nothing tallied: no note)."""
    notes: list[str] = []
    if tally[IGNORED_FACTORS]:
        notes.append(
            f"{tally[IGNORED_FACTORS]} allocation factors in "
            f"{tally[PROCESSES_WITH_IGNORED_FACTORS]} processes apply to no allocation method "
            f"of their process ({tally[IGNORED_FACTORS_WITHOUT_PRODUCT]} of them name no "
            f"product) and were ignored; they would change nothing in openLCA either")
    if tally[REFERENCE_TAKEN]:
        notes.append(
            f"{tally[REFERENCE_TAKEN]} processes mark no exchange as the quantitative "
            f"reference; their only product output (or waste input) was taken as the reference")
    return notes


@dataclass(frozen=True)
class _Checked:
    """What pass 1 learned about an exchange whose fields are all right."""

    flow: str
    factor: float  # to the flow's reference unit
    unit: str


def _check_exchanges(
    check: Checker, ref: ReferenceData
) -> dict[int, _Checked]:
    checked: dict[int, _Checked] = {}
    for i, entry in check.objects(check.doc.data, "exchanges", required=True):
        prefix = f"exchanges[{i}]"
        before = check.count
        flow_ref = check.ref(entry, "flow", prefix, required=True)
        check.number(entry, "amount", prefix, required=True)
        for key in ("isInput", "isQuantitativeReference", "isAvoidedProduct"):
            check.flag(entry, key, prefix)
        unit_ref = check.ref(entry, "unit", prefix, required=True)
        property_ref = check.ref(entry, "flowProperty", prefix)
        check.ref(entry, "defaultProvider", prefix)
        check.integer(entry, "internalId", prefix)
        check.text(entry, "amountFormula", prefix)
        if flow_ref is None or unit_ref is None or check.count > before:
            continue
        flow_id = str(flow_ref["@id"])
        if flow_id in ref.broken:
            check.count += 1  # already reported on the flow itself
            continue
        if flow_id not in ref.flows:
            check.problem(f"{prefix}.flow", f"unknown flow {ref_label(flow_ref)}: it is not "
                                            f"in the package (flows/)")
            continue
        converted = ref.to_reference(flow_id, property_ref, unit_ref)
        if isinstance(converted, str):
            wrong_property = property_ref is not None and \
                str(property_ref["@id"]) not in ref.flows[flow_id].factors
            check.problem(f"{prefix}.{'flowProperty' if wrong_property else 'unit'}", converted)
            continue
        checked[i] = _Checked(flow_id, converted[0], converted[1])
    return checked


def _provides(ref: ReferenceData, checked: Mapping[int, _Checked], i: int,
              entry: Mapping[str, Any]) -> bool:
    flow = ref.flows[checked[i].flow].flow
    return ((flow.kind is FlowKind.PRODUCT and entry.get("isInput") is not True)
            or (flow.kind is FlowKind.WASTE and entry.get("isInput") is True)) \
        and entry.get("isAvoidedProduct") is not True


def _reference_index(check: Checker, ref: ReferenceData,
                     checked: Mapping[int, _Checked], tally: Tally) -> int | None:
    exchanges = check.doc.data.get("exchanges") or []
    marked = [i for i in checked if exchanges[i].get("isQuantitativeReference") is True]
    if not marked and len(checked) == len(exchanges):
        # openLCA 1.x exports hold such processes; one candidate leaves no doubt.
        candidates = [i for i in checked if _provides(ref, checked, i, exchanges[i])]
        if len(candidates) == 1:
            tally[REFERENCE_TAKEN] += 1
            marked = candidates
    if len(marked) != 1:
        check.problem("exchanges", f"exactly one exchange must be the quantitative reference "
                                   f"(isQuantitativeReference), found {len(marked)}")
        return None
    i = marked[0]
    entry = exchanges[i]
    flow = ref.flows[checked[i].flow].flow
    if not _provides(ref, checked, i, entry):
        check.problem(f"exchanges[{i}]", f"the quantitative reference {flow.name!r} must be a "
                                         f"product output or a waste input (not avoided)")
        return None
    if float(entry["amount"]) <= 0:
        check.problem(f"exchanges[{i}].amount", "the quantitative reference must have an "
                                                "amount greater than zero")
        return None
    return i


def _allocation(
    check: Checker, method: str | None, internal_ids: Mapping[Any, int], tally: Tally
) -> tuple[AllocationKind | None, dict[tuple[str, int | None], float]]:
    factors: dict[tuple[str, int | None], float] = {}
    kinds = {k.value: k for k in AllocationKind}
    kind = kinds.get(method) if method else None
    ignored = 0
    for i, entry in check.objects(check.doc.data, "allocationFactors"):
        prefix = f"allocationFactors[{i}]"
        if kind is None or entry.get("allocationType") != kind.value:
            # A factor of no method the process uses changes nothing (openLCA reads only the
            # default method's factors): not checked, only counted.
            ignored += 1
            tally[IGNORED_FACTORS_WITHOUT_PRODUCT] += not isinstance(entry.get("product"), dict)
            continue
        check.choice(entry, "allocationType", ALLOCATION_TYPES, prefix, required=True)
        product = check.ref(entry, "product", prefix, required=True)
        value = check.number(entry, "value", prefix, required=True)
        if product is None or value is None:
            continue
        if kind is AllocationKind.CAUSAL:
            target = entry.get("exchange")
            key = None
            if isinstance(target, dict):
                key = target.get("internalId", target.get("@id"))
            if not isinstance(key, int | str) or key not in internal_ids:
                check.problem(f"{prefix}.exchange", f"causal factor for no exchange of this "
                                                    f"process ({key!r})")
                continue
            factors.setdefault((str(product["@id"]), internal_ids[key]), value)
        else:
            factors.setdefault((str(product["@id"]), None), value)
    if ignored:
        tally[IGNORED_FACTORS] += ignored
        tally[PROCESSES_WITH_IGNORED_FACTORS] += 1
    return (kind if factors else None), factors


def read_process(
    doc: Document, problems: Problems, ref: ReferenceData, locations: Mapping[str, str],
    notes: list[str], tally: Tally | None = None,
) -> JsonLdProcess | None:
    """The process of ``doc``, or ``None`` when it has problems (they are in ``problems``).
    What was let through with a note is counted in ``tally`` (see :func:`tally_notes`)."""
    tally = Counter() if tally is None else tally
    check = Checker(doc, problems)
    checked = _check_exchanges(check, ref)
    method = check.choice(doc.data, "defaultAllocationMethod", ALLOCATION_TYPES)
    location = check.ref(doc.data, "location")
    check.text(doc.data, "category")
    if check.count:
        return None
    reference = _reference_index(check, ref, checked, tally)
    raw = doc.data["exchanges"]
    internal_ids: dict[Any, int] = {}
    for i, entry in enumerate(raw):
        for key in ("internalId", "@id"):  # 2.x ExchangeRef; 1.x files may use @id
            if isinstance(entry.get(key), int | str):
                internal_ids[entry[key]] = i
    kind, factors = _allocation(check, method, internal_ids, tally)
    process = parse_with(doc, problems, olca.Process.from_dict)
    if check.count or process is None or reference is None:
        return None

    exchanges = tuple(
        JsonLdExchange(
            index=i, flow=checked[i].flow, is_input=bool(e.is_input), amount=float(e.amount),
            unit=checked[i].unit, reference_amount=float(e.amount) * checked[i].factor,
            is_reference=i == reference, is_avoided=bool(e.is_avoided_product),
            default_provider=e.default_provider.id if e.default_provider else None,
            internal_id=e.internal_id, key=raw[i].get("@id"), formula=e.amount_formula,
        )
        for i, e in enumerate(process.exchanges)
    )
    ref_flow = exchanges[reference].flow
    others: list[str] = []
    for e in exchanges:
        if is_provider_side(e, ref.flows[e.flow].flow) and e.flow != ref_flow \
                and e.flow not in others:
            others.append(e.flow)
            if kind is not None and e.reference_amount <= 0:
                check.problem(f"exchanges[{e.index}].amount", "an allocated co-product must "
                                                              "have an amount greater than zero")
    if check.count:
        return None
    if kind is not None and others:
        missing = [f for f in [ref_flow, *others] if kind is not AllocationKind.CAUSAL
                   and (f, None) not in factors]
        if missing:
            notes.append(f"{doc.path} ({doc.label}): no {kind.value} factor for "
                         f"{', '.join(ref.flows[f].flow.name for f in missing)}; counted as 1 "
                         f"(openLCA's default)")
    allocated = kind is not None and bool(others)
    return JsonLdProcess(
        id=doc.uid, name=doc.label, exchanges=exchanges, reference=reference,
        providers=(ref_flow, *others) if allocated else (ref_flow,),
        category=process.category or "",
        location=locations.get(location["@id"], str(location.get("name") or ""))
        if location else "",
        process_type=process.process_type.value if process.process_type else "",
        allocation=kind if allocated else None,
        allocation_factors=MappingProxyType(factors if allocated else {}),
        unallocated=() if allocated else tuple(others),
    )
