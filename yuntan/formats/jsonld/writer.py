"""Factor datasets as an openLCA 2 JSON-LD package (``write_factor_datasets_jsonld``).

Each factor dataset version becomes an openLCA process of type ``LCI_RESULT``: one reference
product output (its declared unit, converted to kg or MJ/kWh when it is a mass or an energy)
and one elementary flow per gas — emissions as outputs, biogenic uptake as an input of
"Carbon dioxide, in air" — with the flows, flow properties, unit groups, locations, sources,
a "Yuntan GWP100" impact method with one category per GWP set used, and ``openlca.json``.
Written with olca-schema's ``ZipWriter``; the file appears only when complete.

Fixed identifiers (documented in docs/jsonld.md): openLCA's reference data UUIDs for Mass /
Units of mass / kg and Energy / Units of energy / MJ, kWh; the elementary flows of
``elementary_flows.csv``; everything else ``uuid5(YUNTAN_NAMESPACE, "<kind>/<key>")`` so a
second export of the same dataset version updates the same openLCA records.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import olca_schema as olca
from olca_schema import zipio

from yuntan.errors import YuntanLcaError
from yuntan.formats.jsonld.elementary import ExportFlow, export_flows
from yuntan.formats.jsonld.errors import InvalidFactorDataset
from yuntan.gwp import DEFAULT_GWP_SET, GwpSet, Origin, get_gwp_set
from yuntan.units import conversion_factor, normalise_unit_text, parse_unit

YUNTAN_NAMESPACE = uuid.UUID("41b9b74c-365e-561c-adc5-8f6fc9f427b1")  # uuid5(URL, urn:yuntan…)

# openLCA reference data (as in GreenDelta's own converters and openLCA databases).
MASS = ("93a60a56-a3c8-11da-a746-0800200b9a66", "Mass")
MASS_UNITS = ("93a60a57-a4c8-11da-a746-0800200c9a66", "Units of mass")
KG = ("20aadc24-a391-41cf-b340-3e4529f44bde", "kg", 1.0)
ENERGY = ("f6811440-ee37-11de-8a39-0800200c9a66", "Energy")
ENERGY_UNITS = ("93a60a57-a3c8-11da-a746-0800200c9a66", "Units of energy")
MJ = ("52765a6c-3896-43c2-b2f4-c679acf13efe", "MJ", 1.0)
KWH = ("86ad2244-1f0e-4912-af53-7865283103e4", "kWh", 3.6)


def yuntan_uuid(kind: str, key: str) -> str:
    return str(uuid.uuid5(YUNTAN_NAMESPACE, f"{kind}/{key}"))


@dataclass(frozen=True)
class GasAmount:
    """kg of one gas per declared unit; biogenic uptake is a positive mass taken up."""

    gas: str
    amount_kg: float
    origin: Origin = Origin.FOSSIL

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", Origin(self.origin))


@dataclass(frozen=True)
class FactorDatasetRecord:
    """One version of a factor dataset (排放因子数据集), as plain data for export.

    ``gases`` are kg per declared ``unit`` (a source that gives only a total uses the gas
    ``CO2e``); ``co2e_kg``, when given, is the total the source states under ``gwp_set`` and
    must agree with the gases.
    """

    code: str
    version: str
    name_zh: str
    name_en: str
    unit: str
    gases: tuple[GasAmount, ...]
    gwp_set: str = DEFAULT_GWP_SET
    region: str = ""
    year: int | None = None
    source: str = ""
    licence: str = ""
    status: str = ""
    placeholder: bool = False
    co2e_kg: float | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FactorDatasetRecord:
        """From a mapping with the same keys; ``gases`` as mappings {gas, amount_kg, origin}."""
        values = dict(data)
        values["gases"] = tuple(
            g if isinstance(g, GasAmount) else GasAmount(**g) for g in values.get("gases", ())
        )
        return cls(**values)

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def name(self) -> str:
        names = [n for n in (self.name_zh, self.name_en) if n]
        return " / ".join(names) or self.code

    def co2e(self, gwp: GwpSet | None = None) -> float:
        """kg CO2e per declared unit under ``gwp`` (default: the dataset's own set)."""
        gwp = gwp or get_gwp_set(self.gwp_set)
        return sum(
            (-1.0 if g.origin is Origin.BIOGENIC_UPTAKE else 1.0) * g.amount_kg
            * gwp.factor(g.gas, g.origin)
            for g in self.gases
        )


@dataclass(frozen=True)
class ExportedPackage:
    path: Path
    process_ids: Mapping[str, str]  # "code@version" → openLCA process @id
    gwp_sets: tuple[str, ...]


@dataclass(frozen=True)
class _Quantity:
    """Where a declared unit goes: flow property, unit group, unit, and the amount of it one
    declared unit is."""

    property: tuple[str, str]
    group: tuple[str, str]
    units: tuple[tuple[str, str, float], ...]
    unit: tuple[str, str, float]
    amount: float


def _quantity(unit: str) -> _Quantity:
    """Raises :class:`UnknownUnit` for a unit Yuntan does not know."""
    parse_unit(unit)
    spelled = normalise_unit_text(unit)
    try:
        return _Quantity(MASS, MASS_UNITS, (KG,), KG, conversion_factor(unit, "kg"))
    except YuntanLcaError:
        pass
    try:
        amount = conversion_factor(unit, "MJ")
        in_kwh = spelled.lower() in ("kwh", "度")
        return _Quantity(ENERGY, ENERGY_UNITS, (MJ, KWH), KWH if in_kwh else MJ,
                         amount / 3.6 if in_kwh else amount)
    except YuntanLcaError:
        pass
    # Any other unit gets its own quantity (openLCA cannot convert it to anything anyway).
    own = (yuntan_uuid("unit", spelled), spelled, 1.0)
    return _Quantity((yuntan_uuid("flow-property", spelled), f"Quantity in {spelled}"),
                     (yuntan_uuid("unit-group", spelled), f"Units of {spelled}"),
                     (own,), own, 1.0)


def _check(datasets: list[FactorDatasetRecord]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for i, d in enumerate(datasets):
        where = f"dataset {i + 1} ({d.key})"
        if not d.code or not d.version:
            problems.append(f"{where}, field 'code'/'version': both are required")
        if d.key in seen:
            problems.append(f"{where}: the same code and version appear twice")
        seen.add(d.key)
        try:
            gwp = get_gwp_set(d.gwp_set)
        except YuntanLcaError as exc:
            problems.append(f"{where}, field 'gwp_set': {exc}")
            continue
        try:
            _quantity(d.unit)
        except YuntanLcaError as exc:
            problems.append(f"{where}, field 'unit': {exc}")
        if not d.gases:
            problems.append(f"{where}, field 'gases': at least one gas is required")
        for k, g in enumerate(d.gases):
            if not math.isfinite(g.amount_kg):
                problems.append(f"{where}, field 'gases[{k}].amount_kg': not a finite number")
            if (g.gas, g.origin) not in export_flows():
                problems.append(f"{where}, field 'gases[{k}]': no elementary flow for "
                                f"{g.gas} ({g.origin})")
            else:
                try:
                    gwp.factor(g.gas, g.origin)
                except YuntanLcaError as exc:
                    problems.append(f"{where}, field 'gases[{k}].gas': {exc}")
        if d.co2e_kg is not None and not problems:
            total = d.co2e(gwp)
            if not math.isclose(total, d.co2e_kg, rel_tol=1e-6, abs_tol=1e-12):
                problems.append(f"{where}, field 'co2e_kg': {d.co2e_kg:g} does not match the "
                                f"gases under {gwp.name} ({total:g})")
    return problems


@dataclass
class _Writer:
    writer: zipio.ZipWriter
    timestamp: str
    written: set[str] = field(default_factory=set)

    def put(self, entity: Any) -> None:
        if entity.id in self.written:
            return
        self.written.add(entity.id)
        entity.last_change = self.timestamp
        self.writer.write(entity)

    def quantity(self, quantity: _Quantity) -> None:
        units = [olca.Unit(id=u_id, name=name, conversion_factor=factor,
                           is_ref_unit=factor == 1.0) for u_id, name, factor in quantity.units]
        self.put(olca.UnitGroup(id=quantity.group[0], name=quantity.group[1], units=units))
        self.put(olca.FlowProperty(
            id=quantity.property[0], name=quantity.property[1],
            flow_property_type=olca.FlowPropertyType.PHYSICAL_QUANTITY,
            unit_group=olca.Ref(id=quantity.group[0], name=quantity.group[1],
                                ref_type=olca.RefType.UnitGroup)))

    def flow(self, uid: str, name: str, flow_type: Any, quantity: _Quantity,
             category: str = "", description: str = "") -> olca.Ref:
        self.quantity(quantity)
        self.put(olca.Flow(
            id=uid, name=name, flow_type=flow_type, category=category or None,
            description=description or None,
            flow_properties=[olca.FlowPropertyFactor(
                conversion_factor=1.0, is_ref_flow_property=True,
                flow_property=olca.Ref(id=quantity.property[0], name=quantity.property[1],
                                       ref_type=olca.RefType.FlowProperty))]))
        return olca.Ref(id=uid, name=name, ref_type=olca.RefType.Flow)


def _ref(uid: str, name: str, ref_type: Any) -> olca.Ref:
    return olca.Ref(id=uid, name=name, ref_type=ref_type)


def _exchange(internal_id: int, flow: olca.Ref, amount: float, quantity: _Quantity,
              unit: tuple[str, str, float], is_input: bool = False,
              reference: bool = False) -> olca.Exchange:
    return olca.Exchange(
        internal_id=internal_id, flow=flow, amount=amount, is_input=is_input,
        is_quantitative_reference=reference or None,
        unit=_ref(unit[0], unit[1], olca.RefType.Unit),
        flow_property=_ref(quantity.property[0], quantity.property[1],
                           olca.RefType.FlowProperty))


def _description(d: FactorDatasetRecord) -> str:
    lines = [f"Yuntan factor dataset {d.code}, version {d.version}.",
             f"名称: {d.name_zh}" if d.name_zh else "", f"Name: {d.name_en}" if d.name_en else "",
             f"Declared unit: {d.unit}", f"GWP set: {d.gwp_set}",
             f"kg CO2e per {d.unit}: {d.co2e():.6g}",
             f"Region: {d.region}" if d.region else "", f"Year: {d.year}" if d.year else "",
             f"Status: {d.status}" if d.status else "",
             "PLACEHOLDER: illustrative value, not for declarations." if d.placeholder else "",
             f"Source: {d.source}" if d.source else "",
             f"Licence: {d.licence}" if d.licence else ""]
    return "\n".join(line for line in lines if line)


def _process(w: _Writer, d: FactorDatasetRecord) -> str:
    quantity = _quantity(d.unit)
    product = w.flow(yuntan_uuid("product", d.code), d.name, olca.FlowType.PRODUCT_FLOW,
                     quantity, "Yuntan factor datasets", f"Declared unit: {d.unit}")
    mass = _Quantity(MASS, MASS_UNITS, (KG,), KG, 1.0)
    exchanges = [_exchange(1, product, quantity.amount, quantity, quantity.unit,
                           reference=True)]
    for g in d.gases:
        target: ExportFlow = export_flows()[(g.gas, g.origin)]
        flow = w.flow(target.uuid, target.name, olca.FlowType.ELEMENTARY_FLOW, mass,
                      target.category)
        exchanges.append(_exchange(len(exchanges) + 1, flow, g.amount_kg, mass, KG,
                                   is_input=target.is_input))
    location = None
    if d.region:
        location = _ref(yuntan_uuid("location", d.region), d.region, olca.RefType.Location)
        w.put(olca.Location(id=location.id, name=d.region, code=d.region))
    doc = olca.ProcessDocumentation(
        valid_from=f"{d.year}-01-01" if d.year else None,
        valid_until=f"{d.year}-12-31" if d.year else None,
        geography_description=d.region or None, restrictions_description=d.licence or None,
        use_advice="Placeholder value: not for declarations." if d.placeholder else None)
    if d.source:
        source = _ref(yuntan_uuid("source", d.source), d.source[:250], olca.RefType.Source)
        w.put(olca.Source(id=source.id, name=source.name, text_reference=d.source))
        doc.publication = source
        doc.sources = [source]
    uid = yuntan_uuid("factor-dataset", d.key)
    tags = ["yuntan", f"version:{d.version}", f"gwp:{d.gwp_set}"]
    w.put(olca.Process(
        id=uid, name=f"{d.name} ({d.version})", process_type=olca.ProcessType.LCI_RESULT,
        category="Yuntan factor datasets", description=_description(d), location=location,
        exchanges=exchanges, last_internal_id=len(exchanges), process_documentation=doc,
        tags=[*tags, "placeholder"] if d.placeholder else tags))
    return uid


def _method(w: _Writer, datasets: list[FactorDatasetRecord]) -> tuple[str, ...]:
    """The "Yuntan GWP100" method: one category per GWP set, factors for the flows written."""
    used = {(g.gas, g.origin) for d in datasets for g in d.gases}
    sets = tuple(sorted({get_gwp_set(d.gwp_set).name for d in datasets}))
    categories = []
    for name in sets:
        gwp = get_gwp_set(name)
        factors = []
        for key in sorted(used):
            target = export_flows()[key]
            value = gwp.factor(*key)
            factors.append(olca.ImpactFactor(
                # openLCA convention: CO2 taken from air carries −1 (it is an input).
                flow=_ref(target.uuid, target.name, olca.RefType.Flow),
                value=-value if key[1] is Origin.BIOGENIC_UPTAKE else value,
                unit=_ref(KG[0], KG[1], olca.RefType.Unit),
                flow_property=_ref(MASS[0], MASS[1], olca.RefType.FlowProperty)))
        uid = yuntan_uuid("impact-category", f"gwp100/{name}")
        w.put(olca.ImpactCategory(id=uid, name=f"GWP100 ({name}, Yuntan)",
                                  ref_unit="kg CO2 eq", impact_factors=factors,
                                  description=f"IPCC {name} 100-year GWPs as shipped in "
                                              f"yuntan/data/gwp/gwp100.csv"))
        categories.append(_ref(uid, f"GWP100 ({name}, Yuntan)", olca.RefType.ImpactCategory))
    w.put(olca.ImpactMethod(id=yuntan_uuid("impact-method", "gwp100"), name="Yuntan GWP100",
                            impact_categories=categories))
    return sets


def write_factor_datasets_jsonld(
    datasets: Iterable[FactorDatasetRecord | Mapping[str, Any]],
    target: str | os.PathLike[str],
    *,
    timestamp: datetime | None = None,
) -> ExportedPackage:
    """Write ``datasets`` as an openLCA 2 JSON-LD zip at ``target`` (replaced if present).

    Raises :class:`InvalidFactorDataset` naming each dataset and field that cannot be
    exported; then nothing is written. ``timestamp`` sets every record's ``lastChange``
    (default: now).
    """
    records = [d if isinstance(d, FactorDatasetRecord) else FactorDatasetRecord.from_mapping(d)
               for d in datasets]
    problems = _check(records)
    if not records:
        problems.append("no factor datasets to export")
    if problems:
        raise InvalidFactorDataset(problems)
    path = Path(target)
    stamp = (timestamp or datetime.now(UTC)).isoformat()
    handle, temporary = tempfile.mkstemp(suffix=".zip", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:  # openLCA 2 reads this marker
            archive.writestr("openlca.json", json.dumps({"schemaVersion": 2}))
        ids: dict[str, str] = {}
        with zipio.ZipWriter(temporary) as writer:
            w = _Writer(writer, stamp)
            for d in records:
                ids[d.key] = _process(w, d)
            sets = _method(w, records)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ExportedPackage(path, MappingProxyType(ids), sets)
