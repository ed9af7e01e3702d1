"""Provider linking of technosphere exchanges, and the report of how each was linked.

Linkable exchanges are product inputs and waste outputs (openLCA treats waste flows in
reverse: the treatment process has the waste as an input and "provides" its treatment), and
avoided products / avoided wastes, which are linked like inputs and enter with the opposite
sign. Rules, in order:

1. the exchange's ``defaultProvider`` if that process is in the package and provides the
   flow → *default provider*;
2. otherwise, if exactly one process of the package provides the flow → *single producer*;
3. otherwise the exchange stays *unlinked*, with the reason (no producer in the package, or
   several producers and no usable default provider). Unlinked exchanges are left out of
   the matrices (a cut-off) and listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from yuntan.formats.jsonld.model import FlowKind, JsonLdExchange, JsonLdFlow, JsonLdProcess


class LinkStatus(StrEnum):
    DEFAULT_PROVIDER = "default provider"
    SINGLE_PRODUCER = "single producer"
    UNLINKED = "unlinked"


@dataclass(frozen=True)
class ExchangeLink:
    """How one linkable exchange of a process was linked."""

    process: str
    process_name: str
    exchange: int  # index in the process's exchanges
    flow: str
    flow_name: str
    waste: bool
    avoided: bool
    status: LinkStatus
    provider: str | None  # provider process @id
    reason: str = ""  # why unlinked, or why the default provider was not used

    def describe(self) -> str:
        what = f"{self.process_name!r} ({self.process}) exchange {self.exchange} " \
               f"{self.flow_name!r} ({self.flow})"
        if self.provider is None:
            return f"{what}: unlinked, {self.reason}"
        note = f"; {self.reason}" if self.reason else ""
        return f"{what}: {self.status} {self.provider}{note}"


@dataclass(frozen=True)
class LinkingReport:
    links: tuple[ExchangeLink, ...]
    unallocated: tuple[str, ...] = ()  # co-products not allocated (one line per process)

    @property
    def counts(self) -> Mapping[LinkStatus, int]:
        counted = dict.fromkeys(LinkStatus, 0)
        for link in self.links:
            counted[link.status] += 1
        return MappingProxyType(counted)

    @property
    def unlinked(self) -> tuple[ExchangeLink, ...]:
        return tuple(link for link in self.links if link.status is LinkStatus.UNLINKED)

    def by_exchange(self) -> dict[tuple[str, int], ExchangeLink]:
        """``{(process @id, exchange index): link}``."""
        return {(link.process, link.exchange): link for link in self.links}

    def summary(self) -> str:
        counts = self.counts
        return (f"{len(self.links)} linkable exchanges: "
                + ", ".join(f"{counts[s]} {s}" for s in LinkStatus))


def is_provider_side(exchange: JsonLdExchange, flow: JsonLdFlow) -> bool:
    """A product output or waste input that is not avoided: what a process provides."""
    if flow.kind is FlowKind.PRODUCT:
        return not exchange.is_input and not exchange.is_avoided
    if flow.kind is FlowKind.WASTE:
        return exchange.is_input and not exchange.is_avoided
    return False


def is_linkable(exchange: JsonLdExchange, flow: JsonLdFlow) -> bool:
    """A product input, waste output, avoided product or avoided waste."""
    if flow.kind is FlowKind.ELEMENTARY:
        return False
    return not is_provider_side(exchange, flow)


def _label(process: JsonLdProcess) -> str:
    return f"{process.name!r} ({process.id})"


def link_processes(
    processes: Mapping[str, JsonLdProcess], flows: Mapping[str, JsonLdFlow]
) -> LinkingReport:
    """Link every linkable exchange of ``processes`` (see the module docstring)."""
    producers: dict[str, list[JsonLdProcess]] = {}
    coproducers: dict[str, list[JsonLdProcess]] = {}
    for process in processes.values():
        for flow_id in process.providers:
            producers.setdefault(flow_id, []).append(process)
        for flow_id in process.unallocated:
            coproducers.setdefault(flow_id, []).append(process)

    links: list[ExchangeLink] = []
    for process in processes.values():
        for exchange in process.exchanges:
            flow = flows[exchange.flow]
            if not is_linkable(exchange, flow):
                continue
            status, provider, reason = _link(exchange, flow, processes, producers, coproducers)
            links.append(ExchangeLink(
                process=process.id, process_name=process.name, exchange=exchange.index,
                flow=flow.id, flow_name=flow.name, waste=flow.kind is FlowKind.WASTE,
                avoided=exchange.is_avoided, status=status, provider=provider, reason=reason,
            ))
    unallocated = tuple(
        f"{_label(p)}: co-products {', '.join(repr(flows[f].name) for f in p.unallocated)} are "
        f"not allocated (no default allocation method with factors); the reference product "
        f"{flows[p.reference_exchange.flow].name!r} carries all inputs and emissions"
        for p in processes.values() if p.unallocated
    )
    return LinkingReport(tuple(links), unallocated)


def _link(
    exchange: JsonLdExchange,
    flow: JsonLdFlow,
    processes: Mapping[str, JsonLdProcess],
    producers: Mapping[str, list[JsonLdProcess]],
    coproducers: Mapping[str, list[JsonLdProcess]],
) -> tuple[LinkStatus, str | None, str]:
    note = ""
    if exchange.default_provider is not None:
        named = processes.get(exchange.default_provider)
        if named is None:
            note = f"default provider {exchange.default_provider} is not in the package"
        elif flow.id not in named.providers:
            note = f"default provider {_label(named)} does not provide {flow.name!r}"
        else:
            return LinkStatus.DEFAULT_PROVIDER, named.id, ""
    found = producers.get(flow.id, [])
    if len(found) == 1:
        return LinkStatus.SINGLE_PRODUCER, found[0].id, note
    if found:
        names = ", ".join(_label(p) for p in found)
        reason = f"several producers: {names}; set a default provider"
    elif flow.id in coproducers:
        names = ", ".join(_label(p) for p in coproducers[flow.id])
        reason = f"produced only as an unallocated co-product of {names}"
    elif flow.kind is FlowKind.WASTE:
        reason = "no treatment process for this waste in the package"
    else:
        reason = "no producer in the package"
    return LinkStatus.UNLINKED, None, f"{reason} ({note})" if note else reason
