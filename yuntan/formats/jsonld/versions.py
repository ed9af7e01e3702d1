"""Schema version detection and the openLCA 1.x → 2.x conversion of plain JSON dicts.

olca-schema 2.x reads 1.x files without complaint but ignores every renamed field: an
exchange's ``input`` flag is dropped (``is_input`` stays ``None``, so every exchange looks
like an output), and so are ``quantitativeReference``, ``avoidedProduct``,
``referenceFlowProperty`` and ``referenceUnit``. Files are therefore converted as dicts
*before* ``from_dict``.

Sources (see docs/jsonld.md): the rename table of GreenDelta/olca-schema ``CHANGES.md``
("Changes in version 2"); openLCA's own upgrade of version-1 packages
(GreenDelta/olca-modules, ``org.openlca.jsonld.upgrades.Upgrade2``), which also turns
category references into paths using the ``categories`` folder; and the package markers of
``org.openlca.jsonld.PackageInfo`` (``openlca.json``, ``schemaVersion``) and
``SchemaVersion`` (``olca-schema.json``, ``version``; version 1 when neither is present).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

FALLBACK_VERSION = 1  # openLCA: a package without a version marker is version 1
CURRENT_VERSION = 2
# Versions 3 and 4 of openLCA 2.x only changed review documentation and EPDs
# (``Upgrade3``, ``Upgrade4``), nothing this reader uses.
NEWEST_KNOWN_VERSION = 4

# (where, 1.x name, 2.x name). "where" is the folder of the root entity and, after a dot, the
# list (or object) inside it whose elements carry the field.
RENAMES: tuple[tuple[str, str, str], ...] = (
    ("processes.exchanges", "input", "isInput"),
    ("processes.exchanges", "quantitativeReference", "isQuantitativeReference"),
    ("processes.exchanges", "avoidedProduct", "isAvoidedProduct"),
    ("processes", "infrastructureProcess", "isInfrastructureProcess"),
    ("processes.parameters", "inputParameter", "isInputParameter"),
    ("processes.processDocumentation", "copyright", "isCopyrightProtected"),
    ("parameters", "inputParameter", "isInputParameter"),
    ("flows", "infrastructureFlow", "isInfrastructureFlow"),
    ("flows.flowProperties", "referenceFlowProperty", "isRefFlowProperty"),
    ("unit_groups.units", "referenceUnit", "isRefUnit"),
    ("lcia_categories", "referenceUnitName", "refUnit"),
    ("lcia_categories.parameters", "inputParameter", "isInputParameter"),
    ("product_systems", "referenceProcess", "refProcess"),
    ("product_systems", "referenceExchange", "refExchange"),
    ("currencies", "referenceCurrency", "refCurrency"),
)


def package_version(markers: Mapping[str, Any]) -> tuple[int, str]:
    """The schema version a package declares and where it says so.

    ``markers`` maps ``openlca.json`` / ``olca-schema.json`` to their parsed content (when
    present). openLCA 2 writes ``openlca.json`` with ``schemaVersion``; olca-schema's
    ``ZipWriter`` (and early openLCA 2) ``olca-schema.json`` with ``version``.
    """
    for filename, key in (("openlca.json", "schemaVersion"), ("olca-schema.json", "version")):
        content = markers.get(filename)
        if isinstance(content, Mapping):
            value = content.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                return value, f"{filename} {key}={value}"
    return FALLBACK_VERSION, "no version marker (openlca.json / olca-schema.json): version 1"


def _targets(data: Mapping[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """(field path prefix, object) pairs that the rename at ``where`` applies to."""
    if "." not in where:
        return [("", data)] if isinstance(data, dict) else []
    _, inner = where.split(".", 1)
    value = data.get(inner)
    if isinstance(value, dict):
        return [(inner + ".", value)]
    if isinstance(value, list):
        return [(f"{inner}[{i}].", item) for i, item in enumerate(value)
                if isinstance(item, dict)]
    return []


def detect_version(folder: str, data: Mapping[str, Any], package: int) -> int:
    """1 or 2 for one file: its field names decide, then the package marker.

    A file is 1.x when it uses a 1.x name of the table (or a ``@context``, or a category
    given as a reference) and none of the 2.x names. The per-file check matters because
    openLCA trusts the marker alone: a 1.x file inside a package marked version 2 would be
    misread there.
    """
    old = new = False
    for where, old_name, new_name in RENAMES:
        if where.split(".", 1)[0] != folder:
            continue
        for _, target in _targets(data, where):
            old = old or old_name in target
            new = new or new_name in target
    if "@context" in data or isinstance(data.get("category"), dict):
        old = True
    if old and not new:
        return 1
    if new and not old:
        return CURRENT_VERSION
    return CURRENT_VERSION if package >= CURRENT_VERSION else FALLBACK_VERSION


def category_paths(categories: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """``{category @id: "parent/child"}`` from the 1.x ``categories`` folder (parsed files)."""
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for uid, data in categories.items():
        if isinstance(data.get("name"), str):
            names[uid] = data["name"]
        parent = data.get("category")
        if isinstance(parent, Mapping) and isinstance(parent.get("@id"), str):
            parents[uid] = parent["@id"]
    paths: dict[str, str] = {}
    for uid in names:
        segments: list[str] = []
        seen: set[str] = set()
        node: str | None = uid
        while node is not None and node not in seen and node in names:
            seen.add(node)  # a parent loop would otherwise never end
            segments.append(names[node])
            node = parents.get(node)
        paths[uid] = "/".join(reversed(segments))
    return paths


def _category_path(ref: Mapping[str, Any], paths: Mapping[str, str]) -> str:
    uid = ref.get("@id")
    if isinstance(uid, str) and uid in paths:
        return paths[uid]
    # Without the categories folder: the path the reference itself carries.
    segments = [str(p) for p in ref.get("categoryPath") or () if isinstance(p, str)]
    if isinstance(ref.get("name"), str):
        segments.append(ref["name"])
    return "/".join(segments)


def upgrade_v1(
    folder: str, data: dict[str, Any], paths: Mapping[str, str], *, in_place: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """A 2.x copy of the 1.x dict ``data`` of a file in ``folder``, and the renames made
    (``"exchanges[0].input→isInput"``); ``in_place`` changes ``data`` itself (the reader
    owns the dicts it just parsed, and copying them costs a third of a 1.x import).

    Raises ``ValueError`` naming the field when a file carries both names with different
    values. ``paths`` are the category paths from :func:`category_paths`.
    """
    upgraded = data if in_place else copy.deepcopy(data)
    done: list[str] = []
    for where, old_name, new_name in RENAMES:
        if where.split(".", 1)[0] != folder:
            continue
        for prefix, target in _targets(upgraded, where):
            if old_name not in target:
                continue
            value = target.pop(old_name)
            if new_name in target and target[new_name] != value:
                raise ValueError(
                    f"{prefix}{old_name} and {prefix}{new_name} are both given and differ "
                    f"({value!r} vs {target[new_name]!r})"
                )
            target.setdefault(new_name, value)
            done.append(f"{prefix}{old_name}→{new_name}")
    category = upgraded.get("category")
    if isinstance(category, Mapping):
        # 1.x: a reference to a Category entity; 2.x: the path as a string.
        upgraded["category"] = _category_path(category, paths)
        done.append("category→path")
    upgraded.pop("@context", None)
    return upgraded, done
