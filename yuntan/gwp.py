"""GWP100 characterisation sets (IPCC AR6 default, AR5, AR4) read from ``yuntan/data/gwp``.

Every value in the data file carries its source. Methane has separate fossil and non-fossil
factors in AR5 and AR6; the origin of an elementary flow decides which one applies.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

from yuntan.errors import UnknownGas, UnknownGwpSet

DEFAULT_GWP_SET = "AR6"


class Origin(StrEnum):
    """Where the carbon of an elementary flow comes from (ISO 14067 6.4.9, PACT fields)."""

    FOSSIL = "fossil"
    BIOGENIC = "biogenic"
    BIOGENIC_UPTAKE = "biogenic_uptake"
    LAND_USE_CHANGE = "land_use_change"
    # Non-CO2 emissions of land management (N2O from fertilised soils, CH4 of rice paddies):
    # neither fossil carbon nor biogenic CO2. PACT v3 counts them in fossilGhgEmissions and
    # reports them as landManagementFossilGhgEmissions; methane keeps its non-fossil GWP.
    LAND_MANAGEMENT = "land_management"

    @property
    def is_fossil(self) -> bool:
        return self is Origin.FOSSIL


@dataclass(frozen=True)
class Gas:
    gas: str
    formula: str
    name_zh: str
    name_en: str
    group: str


@dataclass(frozen=True)
class GwpValue:
    value: float
    source: str
    note: str


@dataclass(frozen=True)
class GwpSet:
    """One set of 100-year global warming potentials, kg CO2e per kg of gas."""

    name: str
    values: Mapping[tuple[str, str], GwpValue]

    def entry(self, gas: str, origin: Origin | str) -> GwpValue:
        """The factor for ``gas`` emitted with ``origin``, with its source."""
        kind = "fossil" if Origin(origin).is_fossil else "non_fossil"
        for applies_to in (kind, "all"):
            found = self.values.get((gas, applies_to))
            if found is not None:
                return found
        known = sorted({g for g, _ in self.values})
        raise UnknownGas(
            f"Gas {gas!r} has no GWP100 value in {self.name}; use one of {', '.join(known)} "
            f"(or report the amount as 'CO2e' if the source gives only CO2 equivalents)."
        )

    def factor(self, gas: str, origin: Origin | str) -> float:
        return self.entry(gas, origin).value

    @property
    def gases(self) -> frozenset[str]:
        return frozenset(g for g, _ in self.values)


def _rows(filename: str) -> list[dict[str, str]]:
    with resources.files("yuntan.data.gwp").joinpath(filename).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def gases() -> Mapping[str, Gas]:
    """The greenhouse gases the platform knows, with Chinese and English names."""
    return MappingProxyType({row["gas"]: Gas(**row) for row in _rows("gases.csv")})


@cache
def _all_sets() -> Mapping[str, GwpSet]:
    collected: dict[str, dict[tuple[str, str], GwpValue]] = {}
    for row in _rows("gwp100.csv"):
        values = collected.setdefault(row["gwp_set"], {})
        values[(row["gas"], row["applies_to"])] = GwpValue(
            value=float(row["value"]), source=row["source"], note=row["note"]
        )
    return MappingProxyType(
        {name: GwpSet(name, MappingProxyType(values)) for name, values in collected.items()}
    )


def gwp_set_names() -> tuple[str, ...]:
    return tuple(sorted(_all_sets()))


def get_gwp_set(name: str = DEFAULT_GWP_SET) -> GwpSet:
    """The GWP100 set called ``name`` (``AR6``, ``AR5`` or ``AR4``)."""
    try:
        return _all_sets()[name.upper()]
    except KeyError:
        raise UnknownGwpSet(
            f"Unknown GWP set {name!r}; choose one of {', '.join(gwp_set_names())}."
        ) from None
