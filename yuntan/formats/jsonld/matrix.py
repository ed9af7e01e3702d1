"""An imported package as matrices the engine solves (``yuntan.lca``).

Columns are *tech flows*: each process with each flow it provides (its reference product,
and its co-products when allocated). Column ``j``'s diagonal holds the amount it provides:
product outputs and — in reverse, as openLCA treats them — treated waste inputs, both
positive. A linked product input enters as ``−amount`` in the row of its provider, a waste
output as ``−amount`` in the row of its treatment (the treatment service is consumed), an
avoided product or waste as ``+amount``. Everything except the provided flows is multiplied
by the allocation factor of the column's product. Unlinked exchanges are left out and listed
as the system's cut-offs.

Elementary flows form the intervention matrix with openLCA's signs (inputs negative); the
characterisation vector of an impact category holds ``factor`` for outputs and ``−factor``
for inputs (openLCA's ``CalcImpactFactor``), so ``c·g`` is ``Σ factor · amount``.

The engine's :class:`MatrixSystem` characterises flows by gas and origin with a GWP set, so
it gets one of two biospheres:

- with an impact category: one row per origin of already characterised amounts (gas
  ``CO2e``, factor 1 in every GWP set) — the total is the category result, in the
  category's unit, whatever GWP set is asked for;
- without: the greenhouse gases recognised by :mod:`yuntan.formats.jsonld.elementary`, in
  kg, characterised by the GWP set chosen at calculation time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from yuntan.errors import YuntanLcaError
from yuntan.formats.jsonld.elementary import gas_of
from yuntan.formats.jsonld.errors import JsonLdError, UnknownImpactCategory
from yuntan.formats.jsonld.linking import is_linkable, is_provider_side
from yuntan.formats.jsonld.model import (
    FlowKind,
    JsonLdImpactCategory,
    JsonLdImport,
    JsonLdProcess,
)
from yuntan.gwp import Origin
from yuntan.lca.system import ActivityInfo, FlowKey, MatrixSystem
from yuntan.units import conversion_factor

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TechFlow:
    """A column: a process and the flow it provides."""

    id: str  # the activity id in the MatrixSystem
    process: str
    flow: str
    process_name: str
    flow_name: str
    unit: str
    provided: float  # amount the process provides per run, in ``unit`` (the diagonal)
    waste: bool = False


@dataclass(frozen=True)
class EnviFlow:
    """A row of the intervention matrix: an elementary flow in one direction."""

    flow: str
    name: str
    unit: str
    is_input: bool


@dataclass(frozen=True)
class JsonLdMatrices:
    """The matrices of an import, their index maps, and the ready :class:`MatrixSystem`."""

    system: MatrixSystem
    tech_flows: tuple[TechFlow, ...]  # columns (and rows) of the technosphere matrix
    intervention: sp.csc_matrix  # elementary flows × columns, openLCA signs
    envi_flows: tuple[EnviFlow, ...]  # rows of ``intervention``
    characterisation: FloatArray | None  # per row of ``intervention``; None without category
    category: JsonLdImpactCategory | None
    unit: str  # of a footprint computed on ``system``
    cut_off: tuple[str, ...]  # unlinked exchanges, left out
    uncharacterised: tuple[str, ...]  # elementary flows present without factor / gas

    @property
    def technosphere(self) -> sp.csc_matrix:
        return self.system.technosphere

    def tech_flow(self, process: str, flow: str | None = None) -> TechFlow:
        """The column of a process (its reference product, or ``flow``)."""
        for tech in self.tech_flows:
            if tech.process == process and (flow is None or tech.flow == flow):
                return tech
        raise JsonLdError(f"process {process!r} provides no flow {flow!r} in these matrices")

    def demand_of(self, process: str, runs: float = 1.0) -> dict[str, float]:
        """The functional unit "``runs`` × the process's quantitative reference as stored"
        (e.g. 1 t of steel, 1 kWh), for :func:`yuntan.lca.footprint`; a bare
        ``{process: 1}`` means 1 reference unit of the flow (1 kg, 1 MJ)."""
        tech = self.tech_flow(process)
        return {tech.id: runs * tech.provided}


def _activity_id(process: JsonLdProcess, flow: str) -> str:
    return process.id if flow == process.reference_exchange.flow else f"{process.id}/{flow}"


def select_category(
    imported: JsonLdImport, method: str | None, category: str | None
) -> JsonLdImpactCategory | None:
    """The impact category named (by @id or name) by ``category`` and/or ``method``."""
    if method is None and category is None:
        return None
    candidates = list(imported.impact_categories.values())
    if method is not None:
        found = [m for m in imported.impact_methods.values() if method in (m.id, m.name)]
        if len(found) != 1:
            names = ", ".join(repr(m.name) for m in imported.impact_methods.values()) or "none"
            raise UnknownImpactCategory(
                f"impact method {method!r} is {'ambiguous' if found else 'not in the package'}"
                f"; the package holds: {names}"
            )
        candidates = [imported.impact_categories[c] for c in found[0].categories]
    if category is not None:
        candidates = [c for c in candidates if category in (c.id, c.name)]
    if len(candidates) != 1:
        names = ", ".join(f"{c.name!r} ({c.id})" for c in imported.impact_categories.values())
        raise UnknownImpactCategory(
            f"name one impact category (found {len(candidates)} for method={method!r}, "
            f"category={category!r}); the package holds: {names or 'none'}"
        )
    return candidates[0]


def to_matrix_system(
    imported: JsonLdImport, *, method: str | None = None, category: str | None = None
) -> JsonLdMatrices:
    """Matrices of ``imported`` for the engine (see the module docstring).

    Parameters
    ----------
    imported:
        The result of :func:`read_jsonld`.
    method, category:
        An impact method and/or category of the package, by @id or name, whose factors
        characterise the elementary flows (a method with one category needs no category).
        Without both, greenhouse gases are recognised by name/CAS/UUID and characterised
        with Yuntan's GWP sets.

    Example
    -------
    >>> matrices = to_matrix_system(imported, method="IPCC 2021 GWP100")  # doctest: +SKIP
    >>> footprint(matrices.system, {process_id: 1}).total                 # doctest: +SKIP
    """
    chosen = select_category(imported, method, category)
    processes = imported.processes
    flows = imported.flows
    columns: dict[tuple[str, str], int] = {}
    techs: list[TechFlow] = []
    for process in processes.values():
        for flow_id in process.providers:
            columns[(process.id, flow_id)] = len(techs)
            flow = flows[flow_id]
            provided = sum(e.reference_amount for e in process.exchanges
                           if e.flow == flow_id and is_provider_side(e, flow))
            techs.append(TechFlow(_activity_id(process, flow_id), process.id, flow_id,
                                  process.name, flow.name, flow.reference_unit, provided,
                                  flow.kind is FlowKind.WASTE))

    links = imported.linking.by_exchange()
    a_rows: list[int] = []
    a_cols: list[int] = []
    a_vals: list[float] = []
    envi: dict[tuple[str, bool], int] = {}
    b_rows: list[int] = []
    b_cols: list[int] = []
    b_vals: list[float] = []
    cut_off: list[str] = []
    for process in processes.values():
        for product in process.providers:
            j = columns[(process.id, product)]
            for exchange in process.exchanges:
                flow = flows[exchange.flow]
                amount = exchange.reference_amount
                if flow.kind is FlowKind.ELEMENTARY:
                    row = envi.setdefault((flow.id, exchange.is_input), len(envi))
                    b_rows.append(row)
                    b_cols.append(j)
                    sign = -1.0 if exchange.is_input else 1.0
                    b_vals.append(sign * amount * process.allocation_factor(product, exchange))
                elif is_provider_side(exchange, flow):
                    if exchange.flow == product:
                        a_rows.append(j)
                        a_cols.append(j)
                        a_vals.append(amount)
                elif is_linkable(exchange, flow):
                    link = links[(process.id, exchange.index)]
                    if link.provider is None:
                        if product == process.providers[0]:
                            cut_off.append(f"{process.name} ({process.id}): {flow.name} "
                                           f"{amount:g} {flow.reference_unit}, {link.reason}")
                        continue
                    a_rows.append(columns[(link.provider, flow.id)])
                    a_cols.append(j)
                    sign = 1.0 if exchange.is_avoided else -1.0
                    a_vals.append(sign * amount * process.allocation_factor(product, exchange))

    n = len(techs)
    technosphere = sp.csc_matrix((a_vals, (a_rows, a_cols)), shape=(n, n), dtype=np.float64)
    envi_flows = tuple(
        EnviFlow(flow_id, flows[flow_id].name, flows[flow_id].reference_unit, is_input)
        for (flow_id, is_input) in envi
    )
    intervention = sp.csc_matrix((b_vals, (b_rows, b_cols)), shape=(len(envi), n),
                                 dtype=np.float64)
    if chosen is not None:
        factors = np.array([
            (-1.0 if e.is_input else 1.0) * chosen.factors.get(e.flow, 0.0) for e in envi_flows
        ])
        keys: list[FlowKey | None] = [_origin_key(imported, e) for e in envi_flows]
        uncharacterised = tuple(sorted({e.name for e in envi_flows if e.flow not in
                                        chosen.factors}))
        weights = _scale_rows(intervention, factors)
        unit = chosen.reference_unit
    else:
        factors = None
        mass = [_gas_key(imported, e) for e in envi_flows]
        keys = [k for k, _ in mass]
        uncharacterised = tuple(sorted({e.name for e, (k, _) in zip(envi_flows, mass,
                                                                     strict=True) if k is None}))
        weights = _scale_rows(intervention, np.array([w for _, w in mass]))
        unit = "kg CO2e"
    biosphere, flow_keys = _aggregate(weights, keys)
    system = MatrixSystem(
        technosphere=technosphere,
        biosphere=biosphere,
        activities=tuple(_activity(t, processes[t.process]) for t in techs),
        flows=flow_keys,
        pedigree=np.full((n, 5), np.nan),
        cut_off=tuple(cut_off),
    )
    return JsonLdMatrices(system, tuple(techs), intervention, envi_flows, factors, chosen,
                          unit, tuple(cut_off), uncharacterised)


def _activity(tech: TechFlow, process: JsonLdProcess) -> ActivityInfo:
    method = process.allocation.value if process.allocation is not None else None
    factor = process.allocation_factors.get((tech.flow, None), 1.0)
    return ActivityInfo(id=tech.id, process=process.id, product=tech.flow, unit=tech.unit,
                        name=f"{process.name} | {tech.flow_name}",
                        allocation_method=method, allocation_factor=factor)


def _gas_key(imported: JsonLdImport, envi: EnviFlow) -> tuple[FlowKey | None, float]:
    """(gas and origin, kg per reference unit) of a row, or (None, 0) if not a known gas."""
    key = gas_of(imported.flows[envi.flow], envi.is_input)
    if key is None:
        return None, 0.0
    try:
        return key, conversion_factor(envi.unit, "kg")
    except YuntanLcaError:  # not a mass unit (e.g. m3): cannot be characterised by GWP
        return None, 0.0


def _origin_key(imported: JsonLdImport, envi: EnviFlow) -> FlowKey:
    gas = gas_of(imported.flows[envi.flow], envi.is_input)
    return FlowKey("CO2e", gas.origin if gas is not None else Origin.FOSSIL)


def _scale_rows(matrix: sp.csc_matrix, factors: FloatArray) -> sp.csr_matrix:
    scaled = sp.csr_matrix(matrix, copy=True)
    scaled.data *= np.repeat(factors, np.diff(scaled.indptr)) if len(factors) else 1.0
    return scaled


def _aggregate(
    weighted: sp.csr_matrix, keys: list[FlowKey | None]
) -> tuple[sp.csc_matrix, tuple[FlowKey, ...]]:
    """Sum the rows of ``weighted`` by key (rows without a key are dropped)."""
    index: dict[FlowKey, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, key in enumerate(keys):
        if key is not None:
            rows.append(index.setdefault(key, len(index)))
            cols.append(i)
    summing = sp.csr_matrix((np.ones(len(rows)), (rows, cols)),
                            shape=(len(index), weighted.shape[0]))
    return sp.csc_matrix(summing @ weighted), tuple(index)

