"""Small openLCA JSON-LD packages built in code, in openLCA 2 or 1.x shape.

``Package`` holds 2.x-shaped records; ``write(path, version=1)`` turns them into what
openLCA 1.x exported (the renames of olca-schema CHANGES.md, categories as references to
``categories/`` files, ``@context``, no version marker). Amounts are made up for hand
calculation, not data.
"""

from __future__ import annotations

import copy
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NS = uuid.UUID("6f1f5cf0-3c52-4d43-9d6b-0d1c2e0b7a11")

MASS_GROUP = "93a60a57-a4c8-11da-a746-0800200c9a66"
ENERGY_GROUP = "93a60a57-a3c8-11da-a746-0800200c9a66"
MASS = "93a60a56-a3c8-11da-a746-0800200b9a66"
ENERGY = "f6811440-ee37-11de-8a39-0800200c9a66"
UNITS = {  # name → (@id, group, factor to the group's reference unit)
    "kg": ("20aadc24-a391-41cf-b340-3e4529f44bde", MASS_GROUP, 1.0),
    "g": ("uid-g", MASS_GROUP, 0.001),
    "t": ("uid-t", MASS_GROUP, 1000.0),
    "MJ": ("52765a6c-3896-43c2-b2f4-c679acf13efe", ENERGY_GROUP, 1.0),
    "kWh": ("86ad2244-1f0e-4912-af53-7865283103e4", ENERGY_GROUP, 3.6),
}
PROPERTY_OF_GROUP = {MASS_GROUP: MASS, ENERGY_GROUP: ENERGY}

# openLCA 2 → 1.x field names (olca-schema CHANGES.md, "Renamed fields").
V1_NAMES = {
    "isInput": "input", "isQuantitativeReference": "quantitativeReference",
    "isAvoidedProduct": "avoidedProduct", "isRefUnit": "referenceUnit",
    "isRefFlowProperty": "referenceFlowProperty", "refUnit": "referenceUnitName",
    "isInfrastructureProcess": "infrastructureProcess",
    "isInfrastructureFlow": "infrastructureFlow",
}


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


def ref(type_name: str, uid_: str, name: str | None = None) -> dict[str, Any]:
    found = {"@type": type_name, "@id": uid_}
    if name is not None:
        found["name"] = name
    return found


def unit_ref(name: str) -> dict[str, Any]:
    return ref("Unit", UNITS[name][0], name)


@dataclass
class Package:
    """Records by folder and @id, in openLCA 2 shape."""

    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for group, name, prop, prop_name in ((MASS_GROUP, "Units of mass", MASS, "Mass"),
                                             (ENERGY_GROUP, "Units of energy", ENERGY,
                                              "Energy")):
            units = [{"@type": "Unit", "@id": u_id, "name": unit, "conversionFactor": factor,
                      **({"isRefUnit": True} if factor == 1 else {})}
                     for unit, (u_id, g, factor) in UNITS.items() if g == group]
            self.put("unit_groups", {"@type": "UnitGroup", "@id": group, "name": name,
                                     "units": units})
            self.put("flow_properties", {"@type": "FlowProperty", "@id": prop,
                                         "name": prop_name, "flowPropertyType":
                                         "PHYSICAL_QUANTITY",
                                         "unitGroup": ref("UnitGroup", group, name)})

    def put(self, folder: str, record: dict[str, Any]) -> str:
        self.records.setdefault(folder, {})[record["@id"]] = record
        return str(record["@id"])

    def get(self, folder: str, uid_: str) -> dict[str, Any]:
        return self.records[folder][uid_]

    def flow(self, name: str, kind: str = "PRODUCT_FLOW", unit: str = "kg",
             category: str | None = None, cas: str | None = None,
             also: dict[str, float] | None = None) -> str:
        """A flow whose reference unit is ``unit``'s group reference; ``also`` adds flow
        properties {unit of another group: how much of it one reference unit is}."""
        group = UNITS[unit][1]
        factors = [{"@type": "FlowPropertyFactor", "isRefFlowProperty": True,
                    "conversionFactor": 1.0,
                    "flowProperty": ref("FlowProperty", PROPERTY_OF_GROUP[group])}]
        for other, factor in (also or {}).items():
            factors.append({"@type": "FlowPropertyFactor", "conversionFactor": factor,
                            "flowProperty": ref("FlowProperty",
                                                PROPERTY_OF_GROUP[UNITS[other][1]])})
        record: dict[str, Any] = {"@type": "Flow", "@id": uid("flow", name), "name": name,
                                  "flowType": kind, "flowProperties": factors}
        if category:
            record["category"] = category
        if cas:
            record["cas"] = cas
        return self.put("flows", record)

    def process(self, name: str, exchanges: list[dict[str, Any]], **extra: Any) -> str:
        for i, exchange in enumerate(exchanges, start=1):
            exchange.setdefault("internalId", i)
        record = {"@type": "Process", "@id": uid("process", name), "name": name,
                  "processType": "UNIT_PROCESS", "category": "Test/Chain",
                  "exchanges": exchanges, **extra}
        return self.put("processes", record)

    def exchange(self, flow: str, amount: float, unit: str = "kg", *, is_input: bool = False,
                 reference: bool = False, provider: str | None = None, avoided: bool = False,
                 prop: str | None = None) -> dict[str, Any]:
        flow_record = self.get("flows", flow)
        exchange: dict[str, Any] = {
            "@type": "Exchange", "amount": amount, "isInput": is_input,
            "flow": ref("Flow", flow, flow_record["name"]), "unit": unit_ref(unit),
            "flowProperty": ref("FlowProperty", prop or PROPERTY_OF_GROUP[UNITS[unit][1]]),
        }
        if reference:
            exchange["isQuantitativeReference"] = True
        if avoided:
            exchange["isAvoidedProduct"] = True
        if provider is not None:
            exchange["defaultProvider"] = ref("Process", provider)
        return exchange

    def impact_category(self, name: str, unit: str,
                        factors: list[tuple[str, float, str]]) -> str:
        return self.put("lcia_categories", {
            "@type": "ImpactCategory", "@id": uid("impact", name), "name": name,
            "refUnit": unit,
            "impactFactors": [
                {"@type": "ImpactFactor", "flow": ref("Flow", f), "value": value,
                 "unit": unit_ref(u),
                 "flowProperty": ref("FlowProperty", PROPERTY_OF_GROUP[UNITS[u][1]])}
                for f, value, u in factors
            ],
        })

    def method(self, name: str, categories: list[str]) -> str:
        return self.put("lcia_methods", {
            "@type": "ImpactMethod", "@id": uid("method", name), "name": name,
            "impactCategories": [ref("ImpactCategory", c) for c in categories],
        })

    def write(self, path: Path, version: int | None = 2) -> Path:
        """Write the zip; ``version=1`` in openLCA 1.x shape, ``None`` 2.x without marker."""
        with zipfile.ZipFile(path, "w") as archive:
            if version == 2:
                archive.writestr("openlca.json", json.dumps({"schemaVersion": 2}))
            categories: dict[str, dict[str, Any]] = {}
            for folder, records in self.records.items():
                for uid_, record in records.items():
                    data = to_v1(folder, record, categories) if version == 1 else record
                    archive.writestr(f"{folder}/{uid_}.json", json.dumps(data))
            for uid_, category in categories.items():
                archive.writestr(f"categories/{uid_}.json", json.dumps(category))
        return path


def _rename(data: Any) -> Any:
    if isinstance(data, list):
        return [_rename(item) for item in data]
    if isinstance(data, dict):
        return {V1_NAMES.get(key, key): _rename(value) for key, value in data.items()}
    return data


def to_v1(folder: str, record: dict[str, Any], categories: dict[str, dict[str, Any]]
          ) -> dict[str, Any]:
    """``record`` as openLCA 1.x wrote it (categories collected into ``categories``)."""
    data = _rename(copy.deepcopy(record))
    data["@context"] = "http://greendelta.github.io/olca-schema/context.jsonld"
    path = data.get("category")
    if isinstance(path, str) and path:
        del data["category"]
        parent = None
        for depth, name in enumerate(path.split("/")):
            category_id = uid("category", folder, *path.split("/")[:depth + 1])
            category = {"@type": "Category", "@id": category_id, "name": name,
                        "modelType": folder.upper()}
            if parent is not None:
                category["category"] = {"@type": "Category", "@id": parent}
            categories[category_id] = category
            parent = category_id
        data["category"] = {"@type": "Category", "@id": parent}
    return data


def chain_package() -> tuple[Package, dict[str, str]]:
    """Power plant → steel mill (with scrap to treatment) → part maker, and a GWP method.

    Per kg of part: 1.2 kg steel + 5 MJ electricity. Per t of steel: 2000 kWh electricity,
    1800 kg CO2, 100 kg scrap to treatment. Per kWh: 0.5 kg CO2. Per kg scrap treated:
    10 g CH4. GWP: CO2 1, CH4 29.8 (given per g: 0.0298).
    """
    p = Package()
    ids: dict[str, str] = {}
    ids["electricity"] = p.flow("electricity", unit="MJ")
    ids["steel"] = p.flow("steel")
    ids["part"] = p.flow("part")
    ids["scrap"] = p.flow("steel scrap", kind="WASTE_FLOW")
    ids["co2"] = p.flow("Carbon dioxide, fossil", kind="ELEMENTARY_FLOW",
                        category="Elementary flows/Emission to air/unspecified", cas="124-38-9")
    ids["ch4"] = p.flow("Methane, fossil", kind="ELEMENTARY_FLOW",
                        category="Elementary flows/Emission to air/unspecified", cas="74-82-8")
    ids["plant"] = p.process("power plant", [
        p.exchange(ids["electricity"], 1, "kWh", reference=True),
        p.exchange(ids["co2"], 0.5),
    ])
    ids["mill"] = p.process("steel mill", [
        p.exchange(ids["steel"], 1, "t", reference=True),
        p.exchange(ids["electricity"], 2000, "kWh", is_input=True, provider=ids["plant"]),
        p.exchange(ids["co2"], 1.8, "t"),
        p.exchange(ids["scrap"], 100, "kg"),
    ])
    ids["treatment"] = p.process("scrap treatment", [
        p.exchange(ids["scrap"], 1, "kg", is_input=True, reference=True),
        p.exchange(ids["ch4"], 10, "g"),
    ])
    ids["maker"] = p.process("part maker", [
        p.exchange(ids["part"], 1, "kg", reference=True),
        p.exchange(ids["steel"], 1200, "g", is_input=True),
        p.exchange(ids["electricity"], 5, "MJ", is_input=True),
    ])
    ids["gwp"] = p.impact_category("GWP100", "kg CO2 eq", [
        (ids["co2"], 1.0, "kg"), (ids["ch4"], 0.0298, "g"),
    ])
    ids["method"] = p.method("Test GWP method", [ids["gwp"]])
    return p, ids


STEEL_PER_KG = 1.8 + 2 * 0.5 + 0.1 * 0.010 * 29.8  # 2.8298
PART_PER_KG = 1.2 * STEEL_PER_KG + 5 / 3.6 * 0.5
