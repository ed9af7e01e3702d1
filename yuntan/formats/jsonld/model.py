"""What an imported JSON-LD package holds, as plain frozen values (no olca-schema objects).

Every exchange amount is also given in the reference unit of its flow's reference flow
property (``reference_amount``); impact factors are per reference unit too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yuntan.formats.jsonld.linking import LinkingReport


class FlowKind(StrEnum):
    ELEMENTARY = "elementary"
    PRODUCT = "product"
    WASTE = "waste"


class AllocationKind(StrEnum):
    """openLCA's allocation methods (``AllocationType``) that carry factors."""

    PHYSICAL = "PHYSICAL_ALLOCATION"
    ECONOMIC = "ECONOMIC_ALLOCATION"
    CAUSAL = "CAUSAL_ALLOCATION"


@dataclass(frozen=True)
class JsonLdFlow:
    id: str
    name: str
    kind: FlowKind
    reference_unit: str  # name of the reference unit of the reference flow property
    reference_property: str  # name of the reference flow property (e.g. "Mass")
    category: str = ""
    cas: str = ""
    formula: str = ""


@dataclass(frozen=True)
class JsonLdExchange:
    index: int  # position in the process's ``exchanges`` list
    flow: str  # flow @id
    is_input: bool
    amount: float  # as stored, in ``unit``
    unit: str
    reference_amount: float  # in the flow's reference unit
    is_reference: bool = False
    is_avoided: bool = False
    default_provider: str | None = None
    internal_id: int | None = None
    key: str | None = None  # the exchange's own ``@id`` (1.x files)
    formula: str | None = None


@dataclass(frozen=True)
class JsonLdProcess:
    """A process with its exchanges. ``providers`` are the flows it provides to others: the
    quantitative reference first, then co-products (and treated wastes) when the process's
    default allocation method gives factors for them."""

    id: str
    name: str
    exchanges: tuple[JsonLdExchange, ...]
    reference: int  # index into ``exchanges``
    providers: tuple[str, ...]  # flow @ids
    category: str = ""
    location: str = ""
    process_type: str = ""
    allocation: AllocationKind | None = None
    # (product flow @id, exchange index for causal factors, None for the whole product)
    allocation_factors: Mapping[tuple[str, int | None], float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    unallocated: tuple[str, ...] = ()  # co-products / treated wastes left to the reference

    @property
    def reference_exchange(self) -> JsonLdExchange:
        return self.exchanges[self.reference]

    def allocation_factor(self, product: str, exchange: JsonLdExchange) -> float:
        """openLCA's rule: a missing factor counts 1 ("no allocation")."""
        if self.allocation is None:
            return 1.0
        if self.allocation is AllocationKind.CAUSAL:
            return self.allocation_factors.get((product, exchange.index), 1.0)
        return self.allocation_factors.get((product, None), 1.0)


@dataclass(frozen=True)
class JsonLdImpactCategory:
    id: str
    name: str
    reference_unit: str
    factors: Mapping[str, float]  # elementary flow @id → factor per flow reference unit


@dataclass(frozen=True)
class JsonLdImpactMethod:
    id: str
    name: str
    categories: tuple[str, ...]  # impact category @ids


@dataclass(frozen=True)
class JsonLdImport:
    """The content of one package, complete and checked (see :func:`read_jsonld`)."""

    source: str
    package_version: int  # from the package marker, or 1 without one (openLCA's rule)
    version_marker: str  # how the version was found
    converted_files: int  # files converted from 1.x field names
    flows: Mapping[str, JsonLdFlow]
    processes: Mapping[str, JsonLdProcess]
    impact_categories: Mapping[str, JsonLdImpactCategory]
    impact_methods: Mapping[str, JsonLdImpactMethod]
    linking: LinkingReport
    notes: tuple[str, ...] = ()
    skipped_folders: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
