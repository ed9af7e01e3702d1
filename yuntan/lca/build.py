"""Compile processes and factor datasets into a :class:`MatrixSystem`.

Units are converted here, at the boundary: every input is expressed in its provider's
reference unit and every emission in kg. Multi-output processes are allocated here
(ISO 14067 6.4.6: partition by a physical, economic or explicit key, or system expansion).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from yuntan.gwp import Origin
from yuntan.lca.errors import (
    AllocationError,
    AmbiguousProvider,
    DuplicateProcess,
    InvalidDemand,
    MissingLink,
    NonPositiveReferenceProduction,
    check_finite,
)
from yuntan.lca.model import (
    AllocationMethod,
    Distribution,
    DistributionKind,
    Emission,
    FactorDataset,
    Input,
    Output,
    Pedigree,
    Process,
)
from yuntan.lca.quality import pedigree_sigma
from yuntan.lca.system import (
    LOGNORMAL,
    NO_DISTRIBUTION,
    NORMAL,
    TRIANGULAR,
    UNIFORM,
    ActivityInfo,
    FlowKey,
    MatrixSystem,
    UncertainEntries,
)
from yuntan.units import conversion_factor

# (product, provider, where) → (row, unit of the product)
ProviderLookup = Callable[[str, str | None, str], tuple[int, str]]

_KIND_CODES = {
    DistributionKind.LOGNORMAL: LOGNORMAL,
    DistributionKind.NORMAL: NORMAL,
    DistributionKind.TRIANGULAR: TRIANGULAR,
    DistributionKind.UNIFORM: UNIFORM,
}


@dataclass
class _Entries:
    """Matrix entries being collected, with their uncertainty in matrix units."""

    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    u_rows: list[int] = field(default_factory=list)
    u_cols: list[int] = field(default_factory=list)
    u_amount: list[float] = field(default_factory=list)
    u_kind: list[int] = field(default_factory=list)
    u_spread: list[float] = field(default_factory=list)
    u_min: list[float] = field(default_factory=list)
    u_max: list[float] = field(default_factory=list)

    def add(
        self,
        row: int,
        col: int,
        value: float,
        distribution: Distribution | None,
        pedigree: Pedigree | None,
        scale: float,
        kind: str,
    ) -> None:
        """Add ``value`` (matrix units); ``scale`` turns the exchange's own unit into them."""
        self.rows.append(row)
        self.cols.append(col)
        self.values.append(value)
        code, spread, low, high = NO_DISTRIBUTION, 0.0, value, value
        if distribution is not None:
            code = _KIND_CODES[distribution.kind]
            if distribution.kind is DistributionKind.LOGNORMAL:
                spread = math.log(distribution.gsd or 1.0)
            elif distribution.kind is DistributionKind.NORMAL:
                spread = abs(scale) * (distribution.sd or 0.0)
            else:
                bounds = sorted((scale * (distribution.minimum or 0.0),
                                 scale * (distribution.maximum or 0.0)))
                low, high = bounds[0], bounds[1]
        elif pedigree is not None:
            code, spread = LOGNORMAL, pedigree_sigma(pedigree, kind)
        if code == NO_DISTRIBUTION or (code in (LOGNORMAL, NORMAL) and spread == 0.0):
            return
        self.u_rows.append(row)
        self.u_cols.append(col)
        self.u_amount.append(value)
        self.u_kind.append(code)
        self.u_spread.append(spread)
        self.u_min.append(low)
        self.u_max.append(high)

    def matrix(self, shape: tuple[int, int]) -> sp.csc_matrix:
        return sp.csc_matrix(
            (np.array(self.values, dtype=np.float64), (np.array(self.rows), np.array(self.cols))),
            shape=shape,
        )

    def uncertainty(self) -> UncertainEntries:
        return UncertainEntries(
            rows=np.array(self.u_rows, dtype=np.int64),
            cols=np.array(self.u_cols, dtype=np.int64),
            amount=np.array(self.u_amount, dtype=np.float64),
            kind=np.array(self.u_kind, dtype=np.int8),
            spread=np.array(self.u_spread, dtype=np.float64),
            minimum=np.array(self.u_min, dtype=np.float64),
            maximum=np.array(self.u_max, dtype=np.float64),
        )


def _allocation_factors(process: Process) -> list[float]:
    """Partition factors of a multi-output process, one per output, summing to one."""
    method = process.allocation
    keys: list[float] = []
    for output in process.outputs:
        where = f"process {process.id!r}, output {output.product!r}"
        if method is AllocationMethod.EXPLICIT:
            if output.allocation_factor is None:
                raise AllocationError(
                    f"{where}: explicit allocation needs an allocation_factor on every output."
                )
            keys.append(check_finite(output.allocation_factor, where))
            continue
        prop = {
            AllocationMethod.MASS: ("mass_kg", "kg"),
            AllocationMethod.ENERGY: ("energy_mj", "MJ"),
            AllocationMethod.ECONOMIC: ("price", None),
        }[method]  # type: ignore[index]
        name, unit = prop
        per_unit = output.properties.get(name)
        if per_unit is not None:
            keys.append(check_finite(output.amount, where) * check_finite(per_unit, where))
        elif unit is not None:
            keys.append(check_finite(output.amount, where) * conversion_factor(
                output.unit, unit, where))
        else:
            raise AllocationError(
                f"{where}: economic allocation needs properties['price'] (per unit of output)."
            )
    if any(k < 0 for k in keys) or sum(keys) <= 0:
        raise AllocationError(
            f"process {process.id!r}: {method} allocation keys {keys} must be non-negative "
            f"and add up to more than zero."
        )
    total = sum(keys)
    if method is AllocationMethod.EXPLICIT and abs(total - 1.0) > 1e-6:
        raise AllocationError(
            f"process {process.id!r}: explicit allocation factors add up to {total:g}, not 1."
        )
    return [k / total for k in keys]


@dataclass(frozen=True)
class _Activity:
    info: ActivityInfo
    process: Process
    output: Output
    factor: float


def _activities(processes: Sequence[Process], versions: dict[str, str]) -> list[_Activity]:
    result: list[_Activity] = []
    for process in processes:
        if not process.outputs:
            raise NonPositiveReferenceProduction(
                f"process {process.id!r} has no output; give it a reference product."
            )
        multi = len(process.outputs) > 1
        if multi and process.allocation is None:
            raise AllocationError(
                f"process {process.id!r} has {len(process.outputs)} outputs but no allocation "
                f"method; choose mass, energy, economic, explicit or substitution."
            )
        if not multi or process.allocation is AllocationMethod.SUBSTITUTION:
            pairs = [(process.reference, 1.0)]
        else:
            pairs = list(zip(process.outputs, _allocation_factors(process), strict=True))
        for output, factor in pairs:
            split = multi and process.allocation is not AllocationMethod.SUBSTITUTION
            info = ActivityInfo(
                id=f"{process.id}/{output.product}" if split else process.id,
                process=process.id,
                product=output.product,
                unit=output.unit,
                name=output.name or process.name,
                stage=process.stage,
                primary=process.primary,
                version=versions.get(process.id, ""),
                allocation_method=str(process.allocation) if multi else None,
                allocation_factor=factor,
            )
            result.append(_Activity(info, process, output, factor))
    return result


def build_system(
    processes: Iterable[Process],
    factor_datasets: Iterable[FactorDataset] = (),
    *,
    background: MatrixSystem | None = None,
) -> MatrixSystem:
    """Compile ``processes`` and ``factor_datasets`` (and optionally link inputs to the
    products of a ready ``background`` system) into matrices.

    Raises the ``yuntan.lca.errors`` family: :class:`DuplicateProcess`,
    :class:`MissingLink`, :class:`AmbiguousProvider`, :class:`AllocationError`,
    :class:`NonPositiveReferenceProduction`, unit and gas errors naming the exchange.
    """
    datasets = list(factor_datasets)
    versions = {d.id: d.version for d in datasets}
    all_processes = [*processes, *(d.as_process() for d in datasets)]
    seen: set[str] = set()
    for process in all_processes:
        if process.id in seen:
            raise DuplicateProcess(
                f"Two processes or factor datasets share the id {process.id!r}; ids must be "
                f"unique in a product system."
            )
        seen.add(process.id)

    activities = _activities(all_processes, versions)
    n_fg = len(activities)
    n_bg = background.size if background is not None else 0
    producers: dict[str, list[int]] = {}
    for index, activity in enumerate(activities):
        producers.setdefault(activity.info.product, []).append(index)

    flows: dict[FlowKey, int] = {}
    if background is not None:
        flows.update({flow: k for k, flow in enumerate(background.flows)})
    tech, bio = _Entries(), _Entries()
    cut_off: list[str] = []

    def provider_of(product: str, provider: str | None, where: str) -> tuple[int, str]:
        """Row of the product (and its unit) that an exchange links to."""
        candidates = producers.get(product, [])
        if provider is not None:
            candidates = [i for i in candidates if activities[i].info.process == provider]
        if len(candidates) == 1:
            return candidates[0], activities[candidates[0]].info.unit
        if len(candidates) > 1:
            names = ", ".join(repr(activities[i].info.process) for i in candidates)
            raise AmbiguousProvider(
                f"{where}: product {product!r} is made by {names}; name one as the provider."
            )
        if background is not None and provider is None:
            try:
                found: int | None = background.activity_index(product)
            except InvalidDemand:
                found = None
            if found is not None:
                return n_fg + found, background.activities[found].unit
        target = f"provider {provider!r} of product {product!r}" if provider else (
            f"product {product!r}")
        raise MissingLink(
            f"{where}: no process or factor dataset makes {target}; add it, link the input "
            f"to a factor dataset, or correct the product id."
        )

    for col, activity in enumerate(activities):
        process, output, factor = activity.process, activity.output, activity.factor
        where = f"process {process.id!r}, reference product {output.product!r}"
        production = check_finite(output.amount, where)
        if production <= 0:
            raise NonPositiveReferenceProduction(
                f"{where}: the reference amount is {production:g}; it must be greater than "
                f"zero (enter the amount produced in the reference period)."
            )
        tech.add(col, col, production, None, None, 1.0, "technosphere_input")
        for exchange in process.inputs:
            _add_input(exchange, process, col, factor, tech, provider_of, cut_off)
        if process.allocation is AllocationMethod.SUBSTITUTION:
            for co_product in process.outputs[1:]:
                _add_credit(co_product, process, col, tech, provider_of)
        for emission in process.emissions:
            _add_emission(emission, process, col, factor, bio, flows)

    n = n_fg + n_bg
    technosphere = tech.matrix((n, n))
    biosphere = bio.matrix((len(flows), n))
    infos = [a.info for a in activities]
    pedigree_rows = [
        p.pedigree.as_tuple() if p.pedigree is not None else (np.nan,) * 5
        for p in (a.process for a in activities)
    ]
    pedigree = np.array(pedigree_rows, dtype=np.float64).reshape(n_fg, 5)
    tech_u, bio_u = tech.uncertainty(), bio.uncertainty()
    if background is not None:
        technosphere = technosphere + sp.block_diag(
            (sp.csc_matrix((n_fg, n_fg)), background.technosphere), format="csc")
        bg = background.biosphere
        bg_bio = sp.csc_matrix((bg.data, bg.indices, bg.indptr), shape=(len(flows), n_bg))
        biosphere = sp.hstack([biosphere[:, :n_fg], bg_bio], format="csc")
        infos.extend(background.activities)
        pedigree = np.vstack([pedigree, background.pedigree])
        tech_u = _concat(tech_u, background.technosphere_uncertainty, n_fg, n_fg)
        bio_u = _concat(bio_u, background.biosphere_uncertainty, 0, n_fg)
        cut_off.extend(background.cut_off)
    _check_diagonal(technosphere, infos)
    return MatrixSystem(
        technosphere=sp.csc_matrix(technosphere),
        biosphere=sp.csc_matrix(biosphere),
        activities=tuple(infos),
        flows=tuple(sorted(flows, key=flows.__getitem__)),
        pedigree=pedigree,
        technosphere_uncertainty=tech_u,
        biosphere_uncertainty=bio_u,
        cut_off=tuple(cut_off),
    )


def _add_input(exchange: Input, process: Process, col: int, factor: float, tech: _Entries,
               provider_of: ProviderLookup, cut_off: list[str]) -> None:
    where = f"process {process.id!r}, input {exchange.product!r}"
    amount = check_finite(exchange.amount, where)
    if exchange.recycled and exchange.provider is None:
        # Recycled content, cut-off approach: the recycled material enters burden-free.
        cut_off.append(f"{process.id}: {exchange.product} ({amount:g} {exchange.unit})")
        return
    row, unit = provider_of(exchange.product, exchange.provider, where)
    scale = -factor * (conversion_factor(exchange.unit, unit, where) if unit else 1.0)
    kind = "waste_treatment" if exchange.waste else "technosphere_input"
    tech.add(row, col, scale * amount, exchange.uncertainty,
             exchange.pedigree or process.pedigree, scale, kind)


def _add_credit(co_product: Output, process: Process, col: int, tech: _Entries,
                provider_of: ProviderLookup) -> None:
    where = f"process {process.id!r}, co-product {co_product.product!r}"
    if co_product.substitutes is None:
        raise AllocationError(
            f"{where}: system expansion needs the product this co-product displaces "
            f"(substitutes=...)."
        )
    amount = check_finite(co_product.amount, where) * check_finite(
        co_product.substitution_ratio, where)
    row, unit = provider_of(co_product.substitutes, None, where)
    scale = conversion_factor(co_product.unit, unit, where) if unit else 1.0
    # The avoided production enters as a positive (credited) entry.
    tech.add(row, col, scale * amount, None, None, scale, "technosphere_input")


def _add_emission(emission: Emission, process: Process, col: int, factor: float,
                  bio: _Entries, flows: dict[FlowKey, int]) -> None:
    where = f"process {process.id!r}, emission {emission.gas!r}"
    from yuntan.gwp import gases

    if emission.gas not in gases():
        from yuntan.lca.errors import UnknownGas

        raise UnknownGas(
            f"{where}: unknown gas {emission.gas!r}; use one of {', '.join(sorted(gases()))}."
        )
    sign = -1.0 if emission.origin is Origin.BIOGENIC_UPTAKE else 1.0
    scale = sign * factor * conversion_factor(emission.unit, "kg", where)
    key = FlowKey(emission.gas, emission.origin)
    row = flows.setdefault(key, len(flows))
    kind = _emission_kind(emission)
    bio.add(row, col, scale * check_finite(emission.amount, where), emission.uncertainty,
            emission.pedigree or process.pedigree, scale, kind)


def _emission_kind(emission: Emission) -> str:
    if emission.gas in ("CO2", "CO2e"):
        return "co2_combustion"
    if emission.gas in ("CH4", "N2O"):
        farm = emission.origin is not Origin.FOSSIL
        return f"{emission.gas.lower()}_{'agriculture' if farm else 'combustion'}"
    return "technosphere_input"


def _concat(front: UncertainEntries, back: UncertainEntries, row_offset: int,
            col_offset: int) -> UncertainEntries:
    return UncertainEntries(
        rows=np.concatenate([front.rows, back.rows + row_offset]),
        cols=np.concatenate([front.cols, back.cols + col_offset]),
        amount=np.concatenate([front.amount, back.amount]),
        kind=np.concatenate([front.kind, back.kind]),
        spread=np.concatenate([front.spread, back.spread]),
        minimum=np.concatenate([front.minimum, back.minimum]),
        maximum=np.concatenate([front.maximum, back.maximum]),
    )


def _check_diagonal(technosphere: sp.csc_matrix, infos: Sequence[ActivityInfo]) -> None:
    diagonal = technosphere.diagonal()
    bad = np.flatnonzero(diagonal <= 0)
    if bad.size:
        names = ", ".join(repr(infos[i].id) for i in bad[:5])
        raise NonPositiveReferenceProduction(
            f"Net production of {names} is zero or negative: the process uses at least as much "
            f"of its own product as it makes. Check the self-consumption amounts."
        )
