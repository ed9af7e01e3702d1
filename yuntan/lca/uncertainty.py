"""Monte Carlo uncertainty of a footprint (ISO 14067 6.4.10 / GB/T 24067 uncertainty).

Any entry of A or B may carry a lognormal, normal, triangular or uniform distribution (or a
lognormal derived from pedigree scores, see :mod:`yuntan.lca.quality`). Runs are seeded and
reproducible. Speed: when only B is uncertain, the supply vector is solved once and each
iteration is one sparse product. When A varies, each iteration solves the perturbed system
with GMRES preconditioned by the base factorisation (near-identity preconditioned operator,
a handful of iterations) and refactorises only if that fails to converge. Only the
demand's supply chain (the activities upstream of it) is sampled and solved: the rest of the
system cannot change this functional unit's footprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from yuntan.gwp import DEFAULT_GWP_SET
from yuntan.lca.calculate import PreparedSystem, demand_vector, prepare
from yuntan.lca.solve import factorize
from yuntan.lca.system import (
    LOGNORMAL,
    NORMAL,
    TRIANGULAR,
    UNIFORM,
    MatrixSystem,
    UncertainEntries,
)

FloatArray = npt.NDArray[np.float64]
PERCENTILES = (2.5, 5.0, 25.0, 50.0, 75.0, 95.0, 97.5)


@dataclass(frozen=True)
class MonteCarloResult:
    """Distribution of the total footprint, kg CO2e per functional unit."""

    iterations: int
    seed: int
    deterministic: float
    mean: float
    std: float
    percentiles: Mapping[float, float]
    samples: tuple[float, ...]
    gwp_set: str
    solver: str
    method: str  # "biosphere only" or "preconditioned GMRES"
    refactorisations: int  # iterations where GMRES did not converge and A was refactorised
    activities_sampled: int  # size of the demand's supply chain, the part that is sampled


class Sampler:
    """Draws of every uncertain entry, vectorised by distribution kind (indices precomputed)."""

    def __init__(self, entries: UncertainEntries) -> None:
        self.entries = entries
        kind = entries.kind
        self.lognormal = np.flatnonzero(kind == LOGNORMAL)
        self.normal = np.flatnonzero(kind == NORMAL)
        self.uniform = np.flatnonzero(kind == UNIFORM)
        self.triangular = np.flatnonzero(kind == TRIANGULAR)
        self.log_amount = entries.amount[self.lognormal]
        self.log_spread = entries.spread[self.lognormal]

    def draw(self, rng: np.random.Generator) -> FloatArray:
        """One draw of every entry (the random stream is consumed in a fixed order)."""
        e = self.entries
        values = e.amount.copy()  # entries without a distribution keep their amount
        z = rng.standard_normal(len(e))
        bounded = self.uniform.size or self.triangular.size
        u = rng.random(len(e)) if bounded else z
        values[self.lognormal] = self.log_amount * np.exp(self.log_spread * z[self.lognormal])
        i = self.normal
        values[i] = e.amount[i] + e.spread[i] * z[i]
        i = self.uniform
        values[i] = e.minimum[i] + (e.maximum[i] - e.minimum[i]) * u[i]
        i = self.triangular
        if i.size:
            a, b = e.minimum[i], e.maximum[i]
            c = np.clip(e.amount[i], a, b)
            width = np.where(b > a, b - a, 1.0)
            ut = u[i]
            left = a + np.sqrt(ut * width * (c - a))
            right = b - np.sqrt((1 - ut) * width * (b - c))
            values[i] = np.where(b > a, np.where(ut < (c - a) / width, left, right), c)
        return values


def sample_entries(entries: UncertainEntries, rng: np.random.Generator) -> FloatArray:
    """One draw of every uncertain entry (see :class:`Sampler` to draw repeatedly)."""
    return Sampler(entries).draw(rng)


def _positions(matrix: sp.csc_matrix, entries: UncertainEntries) -> npt.NDArray[np.int64]:
    """Index into ``matrix.data`` of each uncertain entry."""
    if len(entries) == 0:
        return np.zeros(0, dtype=np.int64)
    lookup = sp.csc_matrix(
        (np.arange(1, matrix.nnz + 1, dtype=np.float64), matrix.indices, matrix.indptr),
        shape=matrix.shape,
    )
    found = np.asarray(lookup[entries.rows, entries.cols]).ravel().astype(np.int64) - 1
    return found


def supply_chain(technosphere: sp.csc_matrix, f: FloatArray) -> npt.NDArray[np.int64]:
    """Activities upstream of the demand: the only ones whose supply can be non-zero.

    Sampling keeps the structure of A, so the rest of the system is exactly irrelevant to
    this functional unit's distribution and is left out of the Monte Carlo.
    """
    reached = np.zeros(technosphere.shape[0], dtype=bool)
    # Edge j → i when activity j consumes product i: the graph of Aᵀ.
    graph = sp.csr_matrix(technosphere.T)
    for start in np.flatnonzero(f):
        if not reached[start]:
            reached[csgraph.breadth_first_order(graph, int(start), return_predecessors=False)] = (
                True
            )
    return np.flatnonzero(reached)


def _restrict(entries: UncertainEntries, new_row: npt.NDArray[np.int64] | None,
              new_col: npt.NDArray[np.int64]) -> UncertainEntries:
    """Keep the entries inside the kept rows/columns, renumbered (-1 marks dropped ones)."""
    rows = entries.rows if new_row is None else new_row[entries.rows]
    cols = new_col[entries.cols]
    keep = (rows >= 0) & (cols >= 0)
    return UncertainEntries(
        rows=rows[keep], cols=cols[keep], amount=entries.amount[keep],
        kind=entries.kind[keep], spread=entries.spread[keep],
        minimum=entries.minimum[keep], maximum=entries.maximum[keep],
    )


def monte_carlo(
    system: MatrixSystem | PreparedSystem,
    demand: Mapping[str, float],
    *,
    iterations: int = 1000,
    seed: int = 0,
    gwp_set: str = DEFAULT_GWP_SET,
    solver: str = "auto",
) -> MonteCarloResult:
    """Sample the footprint of ``demand`` ``iterations`` times with random generator ``seed``."""
    prepared = system if isinstance(system, PreparedSystem) else prepare(system, gwp_set, solver)
    sys_ = prepared.system
    f_full = demand_vector(sys_, demand)
    deterministic = float(prepared.intensity @ prepared.factors.solve(f_full))
    rng = np.random.default_rng(seed)
    c = prepared.characterisation

    keep = supply_chain(sys_.technosphere, f_full)
    renumber = np.full(sys_.size, -1, dtype=np.int64)
    renumber[keep] = np.arange(keep.size)
    f = f_full[keep]
    tech = sp.csc_matrix(sys_.technosphere[keep][:, keep])
    tech.sum_duplicates()
    bio = sp.csc_matrix(sys_.biosphere[:, keep])
    bio.sum_duplicates()
    tech_u = _restrict(sys_.technosphere_uncertainty, renumber, renumber)
    bio_u = _restrict(sys_.biosphere_uncertainty, None, renumber)
    whole = keep.size == sys_.size
    factors = prepared.factors if whole else factorize(tech, prepared.factors.name)
    base_supply = factors.solve(f)
    tech_pos, bio_pos = _positions(tech, tech_u), _positions(bio, bio_u)
    tech_sampler, bio_sampler = Sampler(tech_u), Sampler(bio_u)
    tech_data, bio_data = tech.data.copy(), bio.data.copy()
    vary_a = len(tech_u) > 0
    preconditioner = spla.LinearOperator(tech.shape, matvec=factors.solve, dtype=np.float64)
    refactorisations = 0
    out = np.empty(iterations)
    for k in range(iterations):
        supply = base_supply
        if vary_a:
            delta = tech_sampler.draw(rng) - tech_u.amount
            tech.data = tech_data + np.bincount(tech_pos, weights=delta, minlength=tech.nnz)
            supply, info = spla.gmres(
                tech, f, x0=base_supply, rtol=1e-10, atol=0.0, restart=50, maxiter=20,
                M=preconditioner,
            )
            if info != 0:
                refactorisations += 1
                supply = factorize(tech, factors.name).solve(f)
        if len(bio_u):
            delta = bio_sampler.draw(rng) - bio_u.amount
            bio.data = bio_data + np.bincount(bio_pos, weights=delta, minlength=bio.nnz)
        out[k] = float(c @ (bio @ supply))
    return MonteCarloResult(
        iterations=iterations,
        seed=seed,
        deterministic=deterministic,
        mean=float(out.mean()) if iterations else float("nan"),
        std=float(out.std(ddof=1)) if iterations > 1 else 0.0,
        percentiles=MappingProxyType(
            {p: float(v) for p, v in zip(PERCENTILES, np.percentile(out, PERCENTILES),
                                          strict=True)} if iterations else {}),
        samples=tuple(float(v) for v in out),
        gwp_set=prepared.gwp_set,
        solver=factors.name,
        activities_sampled=int(keep.size),
        method="preconditioned GMRES" if vary_a else "biosphere only",
        refactorisations=refactorisations,
    )
