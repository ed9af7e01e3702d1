"""Read a product system written as TOML (``[[factor]]`` and ``[[process]]`` tables).

The format used by the shipped demo and by ``yuntan footprint FILE``. An exchange is a table
with ``product``, ``amount``, ``unit`` and optionally ``provider``, ``waste``, ``recycled``
and uncertainty: ``gsd`` (lognormal), ``sd`` (normal), ``min``/``max`` (uniform, or
triangular with ``distribution = "triangular"``). ``pedigree`` is a list of five scores
(reliability, completeness, temporal, geographical, technological).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yuntan.lca.errors import YuntanLcaError
from yuntan.lca.model import (
    AllocationMethod,
    Distribution,
    Emission,
    FactorDataset,
    Input,
    Output,
    Pedigree,
    Process,
)


class InventoryFormatError(YuntanLcaError):
    """A TOML inventory that does not follow the format (names the table and field)."""


@dataclass(frozen=True)
class Study:
    """A study read from TOML: what to compute and the processes to compute it with."""

    id: str
    name_zh: str
    name_en: str
    declared_unit: str
    product: str
    amount: float
    illustrative: bool
    processes: tuple[Process, ...]


@dataclass(frozen=True)
class FactorInfo:
    dataset: FactorDataset
    name_zh: str
    name_en: str
    source: str
    placeholder: bool


@dataclass(frozen=True)
class Inventory:
    factors: Mapping[str, FactorInfo] = field(default_factory=dict)
    study: Study | None = None


def _distribution(table: Mapping[str, Any], where: str) -> Distribution | None:
    if "gsd" in table:
        return Distribution.lognormal(float(table["gsd"]))
    if "sd" in table:
        return Distribution.normal(float(table["sd"]))
    if "min" in table and "max" in table:
        if table.get("distribution") == "triangular":
            return Distribution.triangular(float(table["min"]), float(table["max"]))
        return Distribution.uniform(float(table["min"]), float(table["max"]))
    if "min" in table or "max" in table:
        raise InventoryFormatError(f"{where}: give both min and max.")
    return None


def _pedigree(value: Any, where: str) -> Pedigree | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 5:
        raise InventoryFormatError(f"{where}: pedigree must be a list of five scores 1…5.")
    return Pedigree(*(int(v) for v in value))


def _require(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise InventoryFormatError(f"{where}: the field {key!r} is missing.")
    return table[key]


def _emission(table: Mapping[str, Any], where: str) -> Emission:
    return Emission(
        gas=str(_require(table, "gas", where)),
        amount=float(_require(table, "amount", where)),
        unit=str(table.get("unit", "kg")),
        origin=table.get("origin", "fossil"),
        uncertainty=_distribution(table, where),
        pedigree=_pedigree(table.get("pedigree"), where),
    )


def _input(table: Mapping[str, Any], where: str) -> Input:
    return Input(
        product=str(_require(table, "product", where)),
        amount=float(_require(table, "amount", where)),
        unit=str(_require(table, "unit", where)),
        provider=table.get("provider"),
        waste=bool(table.get("waste", False)),
        recycled=bool(table.get("recycled", False)),
        uncertainty=_distribution(table, where),
        pedigree=_pedigree(table.get("pedigree"), where),
    )


def _output(table: Mapping[str, Any], where: str) -> Output:
    return Output(
        product=str(_require(table, "product", where)),
        amount=float(_require(table, "amount", where)),
        unit=str(_require(table, "unit", where)),
        name=str(table.get("name", "")),
        properties=dict(table.get("properties", {})),
        allocation_factor=table.get("allocation_factor"),
        substitutes=table.get("substitutes"),
        substitution_ratio=float(table.get("substitution_ratio", 1.0)),
    )


def parse(document: Mapping[str, Any]) -> Inventory:
    """Turn a parsed TOML document into model objects."""
    factors: dict[str, FactorInfo] = {}
    for k, table in enumerate(document.get("factor", [])):
        where = f"[[factor]] #{k + 1} ({table.get('id', '?')})"
        dataset = FactorDataset(
            id=str(_require(table, "id", where)),
            unit=str(_require(table, "unit", where)),
            emissions=tuple(_emission(e, f"{where}, emission") for e in table.get("emissions", [])),
            name=str(table.get("name_zh", "")),
            version=str(table.get("version", "")),
            pedigree=_pedigree(table.get("pedigree"), where),
        )
        factors[dataset.id] = FactorInfo(
            dataset, str(table.get("name_zh", "")), str(table.get("name_en", "")),
            str(_require(table, "source", where)), bool(table.get("placeholder", False)),
        )
    processes = []
    for k, table in enumerate(document.get("process", [])):
        where = f"[[process]] #{k + 1} ({table.get('id', '?')})"
        allocation = table.get("allocation")
        processes.append(Process(
            id=str(_require(table, "id", where)),
            name=str(table.get("name_zh", table.get("name", ""))),
            outputs=tuple(
                _output(o, f"{where}, output") for o in _require(table, "outputs", where)
            ),
            inputs=tuple(_input(i, f"{where}, input") for i in table.get("inputs", [])),
            emissions=tuple(
                _emission(e, f"{where}, emission") for e in table.get("emissions", [])
            ),
            stage=table.get("stage"),
            allocation=AllocationMethod(allocation) if allocation else None,
            primary=bool(table.get("primary", False)),
            pedigree=_pedigree(table.get("pedigree"), where),
        ))
    study = None
    if "study" in document:
        table = document["study"]
        study = Study(
            id=str(_require(table, "id", "[study]")),
            name_zh=str(table.get("name_zh", "")),
            name_en=str(table.get("name_en", "")),
            declared_unit=str(table.get("declared_unit", "")),
            product=str(_require(table, "product", "[study]")),
            amount=float(table.get("amount", 1.0)),
            illustrative=bool(table.get("illustrative", False)),
            processes=tuple(processes),
        )
    return Inventory(factors=factors, study=study)


def load(path: Path) -> Inventory:
    """Read and parse one TOML file; syntax errors name the file and line."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InventoryFormatError(f"{path}: {exc}") from exc
    return parse(document)
