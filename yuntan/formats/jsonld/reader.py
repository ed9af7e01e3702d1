"""``read_jsonld``: an openLCA JSON-LD package (openLCA 2 or 1.x) read completely or not at
all.

Steps: find the version marker; parse every file of the folders used (``unit_groups``,
``flow_properties``, ``flows``, ``processes``, ``lcia_categories``, ``lcia_methods``,
``locations`` and, in 1.x packages, ``categories``); convert 1.x files to 2.x field names;
check every record and resolve every unit; if anything is wrong raise one
:class:`InvalidJsonLdPackage` listing it all; else link providers and return the import.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from yuntan.formats.jsonld.checks import Document, Problems
from yuntan.formats.jsonld.errors import InvalidJsonLdPackage, JsonLdProblem
from yuntan.formats.jsonld.impacts import read_impact_category, read_impact_method
from yuntan.formats.jsonld.linking import link_processes
from yuntan.formats.jsonld.model import (
    JsonLdImpactCategory,
    JsonLdImpactMethod,
    JsonLdImport,
    JsonLdProcess,
)
from yuntan.formats.jsonld.package import (
    Package,
    PackageUnreadable,
    Source,
    open_package,
    source_name,
)
from yuntan.formats.jsonld.processes import Tally, read_process, tally_notes
from yuntan.formats.jsonld.refdata import read_reference_data
from yuntan.formats.jsonld.versions import (
    NEWEST_KNOWN_VERSION,
    category_paths,
    detect_version,
    package_version,
    upgrade_v1,
)

Progress = Callable[[int, int, str], None]

TYPES = {
    "categories": "Category", "locations": "Location", "unit_groups": "UnitGroup",
    "flow_properties": "FlowProperty", "flows": "Flow", "processes": "Process",
    "lcia_categories": "ImpactCategory", "lcia_methods": "ImpactMethod",
}
DATA_FOLDERS = ("flows", "processes", "lcia_categories", "lcia_methods")
PROGRESS_STEPS = 200  # at most this many progress calls while reading files


def read_jsonld(source: Source, progress: Progress | None = None) -> JsonLdImport:
    """Read an openLCA JSON-LD package (zip file, open ``ZipFile``, binary stream or an
    unpacked directory) of openLCA 2 or 1.x.

    Parameters
    ----------
    source:
        The package.
    progress:
        Called as ``progress(done, total, message)`` while reading (about 200 times at most),
        so a background job can report how far it got; an exception it raises stops the
        import.

    Returns the complete :class:`JsonLdImport` (processes, flows, impact methods and
    categories, linking report, notes). Raises :class:`InvalidJsonLdPackage` listing every
    problem (file, record, field) when anything is wrong; nothing is returned then.

    Example
    -------
    >>> imported = read_jsonld("ecoinvent_subset.zip")      # doctest: +SKIP
    >>> imported.linking.summary()                           # doctest: +SKIP
    '1204 linkable exchanges: 980 default provider, 200 single producer, 24 unlinked'
    """
    name = source_name(source)
    try:
        with open_package(source) as package:
            return _read(package, progress or (lambda done, total, message: None))
    except PackageUnreadable as exc:
        raise InvalidJsonLdPackage(name, [JsonLdProblem(name, "", None, None, "", str(exc))]) \
            from None


def _parse(package: Package, path: str, type_name: str, problems: Problems) -> Any:
    try:
        return json.loads(package.read(path))
    except (zipfile.BadZipFile, OSError) as exc:
        problems.add_file(path, type_name, f"cannot be read from the package ({exc})")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add_file(path, type_name, f"is not valid JSON ({exc})")
    except RecursionError:  # a hostile file of [[[[…: a problem, not a crashed import
        problems.add_file(path, type_name, "is not valid JSON (nested too deeply)")
    return None


def _document(folder: str, path: str, data: Any, version: int, paths: dict[str, str],
              problems: Problems) -> Document | None:
    type_name = TYPES[folder]
    if not isinstance(data, dict):
        problems.add_file(path, type_name, f"expected a JSON object, found {type(data).__name__}")
        return None
    uid = data.get("@id")
    if not isinstance(uid, str) or not uid:
        problems.add_file(path, type_name, "required field is missing (a string @id)", "@id")
        return None
    doc = Document(path, type_name, uid, data)
    declared = data.get("@type")
    if declared is not None and declared != type_name:
        problems.add(doc, "@type", f"a file in {folder}/ must be a {type_name}, found "
                                   f"{declared!r}")
        return None
    if folder == "categories":  # 1.x only; read as they are, for the category paths
        return doc
    doc.version = detect_version(folder, data, version)
    if doc.version == 1:
        try:
            doc.data, renames = upgrade_v1(folder, data, paths, in_place=True)
        except ValueError as exc:
            problems.add(doc, "", str(exc))
            return None
        doc.converted = bool(renames)
    return doc


def _read(package: Package, progress: Progress) -> JsonLdImport:
    problems = Problems()
    notes: list[str] = []
    markers = {name: _parse(package, path, "", problems)
               for name, path in package.markers.items()}
    version, marker = package_version(markers)
    if version > NEWEST_KNOWN_VERSION:
        notes.append(f"schema version {version} is newer than the versions this reader "
                     f"knows (up to {NEWEST_KNOWN_VERSION}); read as version 2")
    if not any(package.folders.get(folder) for folder in DATA_FOLDERS):
        problems.add_file(package.name, "", "no openLCA JSON-LD data found (folders "
                                            "processes/, flows/, lcia_categories/, lcia_methods/)")
        raise InvalidJsonLdPackage(package.name, problems.found)

    total = sum(len(package.folders.get(folder, ())) for folder in TYPES) + 2
    step = max(1, (total - 2) // PROGRESS_STEPS)
    done = 0
    progress(0, total, "reading the package")
    docs: dict[str, dict[str, Document]] = {folder: {} for folder in TYPES}
    paths: dict[str, str] = {}
    for folder in TYPES:  # categories first: 1.x files need their paths
        for path in package.folders.get(folder, ()):
            data = _parse(package, path, TYPES[folder], problems)
            doc = None if data is None else _document(folder, path, data, version, paths,
                                                      problems)
            if doc is not None:
                if doc.uid in docs[folder]:
                    problems.add(doc, "@id", f"the same @id is also used by "
                                             f"{docs[folder][doc.uid].path}")
                else:
                    docs[folder][doc.uid] = doc
            done += 1
            if done % step == 0:
                progress(done, total, f"reading {folder}")
        if folder == "categories":
            paths = category_paths({uid: d.data for uid, d in docs[folder].items()})

    progress(done, total, "checking units, flows, processes and impact methods")
    ref = read_reference_data(docs["unit_groups"].values(), docs["flow_properties"].values(),
                              docs["flows"].values(), problems)
    locations = {uid: str(d.data.get("code") or d.data.get("name") or "")
                 for uid, d in docs["locations"].items()}
    processes: dict[str, JsonLdProcess] = {}
    tally = Tally()
    for doc in docs["processes"].values():
        process = read_process(doc, problems, ref, locations, notes, tally)
        if process is not None:
            processes[doc.uid] = process
    notes.extend(tally_notes(tally))
    _embedded_categories(docs, problems)
    categories: dict[str, JsonLdImpactCategory] = {}
    for doc in docs["lcia_categories"].values():
        category = read_impact_category(doc, problems, ref, notes)
        if category is not None:
            categories[doc.uid] = category
    methods: dict[str, JsonLdImpactMethod] = {}
    for doc in docs["lcia_methods"].values():
        method = read_impact_method(doc, problems, categories, ref.broken)
        if method is not None:
            methods[doc.uid] = method
    if problems:
        raise InvalidJsonLdPackage(package.name, problems.found)

    progress(done + 1, total, "linking providers")
    flows = {uid: units.flow for uid, units in ref.flows.items()}
    linking = link_processes(processes, flows)
    converted = sum(d.converted for folder in docs.values() for d in folder.values())
    notes[:0] = _general_notes(version, marker, converted, processes)
    progress(total, total, linking.summary())
    return JsonLdImport(
        source=package.name, package_version=version, version_marker=marker,
        converted_files=converted, flows=MappingProxyType(flows),
        processes=MappingProxyType(processes), impact_categories=MappingProxyType(categories),
        impact_methods=MappingProxyType(methods), linking=linking, notes=tuple(notes),
        skipped_folders=MappingProxyType({f: len(p) for f, p in sorted(package.folders.items())
                                          if f not in TYPES}),
    )


def _embedded_categories(docs: dict[str, dict[str, Document]], problems: Problems) -> None:
    """Early 1.x methods carried their categories (with factors) inline; file them."""
    for method in docs["lcia_methods"].values():
        entries = method.data.get("impactCategories")
        for i, entry in enumerate(entries if isinstance(entries, list) else ()):
            if not isinstance(entry, dict) or "impactFactors" not in entry:
                continue
            uid = entry.get("@id")
            if not isinstance(uid, str) or not uid or uid in docs["lcia_categories"]:
                continue
            try:
                data, renames = upgrade_v1("lcia_categories", entry, {})
            except ValueError as exc:
                problems.add(method, f"impactCategories[{i}]", str(exc))
                continue
            docs["lcia_categories"][uid] = Document(
                f"{method.path}#impactCategories[{i}]", "ImpactCategory", uid, data, 1,
                bool(renames))


def _general_notes(version: int, marker: str, converted: int,
                   processes: dict[str, JsonLdProcess]) -> list[str]:
    notes = [f"schema version {version} ({marker})"]
    if converted:
        notes.append(f"{converted} files used openLCA 1.x field names and were converted "
                     f"(input→isInput, quantitativeReference→isQuantitativeReference, "
                     f"referenceUnit→isRefUnit, category references→paths, …)")
    formulas = sum(e.formula is not None for p in processes.values() for e in p.exchanges)
    if formulas:
        notes.append(f"{formulas} exchanges have an amount formula: the stored amount is used; "
                     f"parameters and formulas are not re-evaluated")
    return notes
