"""Monte Carlo uncertainty of a footprint (ISO 14067 6.4.10 / GB/T 24067 uncertainty).

Any entry of A or B may carry a lognormal, normal, triangular or uniform distribution (or a
lognormal derived from pedigree scores, see :mod:`yuntan.lca.quality`). Runs are seeded and
reproducible. Speed: when only B is uncertain, the supply vector is solved once and each
iteration is one sparse product. When A varies, each iteration solves the perturbed system
with GMRES preconditioned by the base factorisation (near-identity preconditioned operator,
a handful of iterations) and refactorises only if that fails to converge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
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


def sample_entries(entries: UncertainEntries, rng: np.random.Generator) -> FloatArray:
    """One draw of every uncertain entry, vectorised by distribution kind."""
    values = entries.amount.copy()
    kind = entries.kind
    z = rng.standard_normal(len(entries))
    lognormal = kind == LOGNORMAL
    values[lognormal] = entries.amount[lognormal] * np.exp(entries.spread[lognormal] * z[lognormal])
    normal = kind == NORMAL
    values[normal] = entries.amount[normal] + entries.spread[normal] * z[normal]
    u = rng.random(len(entries))
    uniform = kind == UNIFORM
    low, high = entries.minimum[uniform], entries.maximum[uniform]
    values[uniform] = low + (high - low) * u[uniform]
    triangular = kind == TRIANGULAR
    if triangular.any():
        a, b = entries.minimum[triangular], entries.maximum[triangular]
        c = np.clip(entries.amount[triangular], a, b)
        width = np.where(b > a, b - a, 1.0)
        split = (c - a) / width
        ut = u[triangular]
        left = a + np.sqrt(ut * width * (c - a))
        right = b - np.sqrt((1 - ut) * width * (b - c))
        values[triangular] = np.where(b > a, np.where(ut < split, left, right), c)
    return values


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
    f = demand_vector(sys_, demand)
    base_supply = prepared.factors.solve(f)
    deterministic = float(prepared.intensity @ base_supply)
    rng = np.random.default_rng(seed)
    c = prepared.characterisation

    tech = sp.csc_matrix(sys_.technosphere, copy=True)
    tech.sum_duplicates()
    bio = sp.csc_matrix(sys_.biosphere, copy=True)
    bio.sum_duplicates()
    tech_u, bio_u = sys_.technosphere_uncertainty, sys_.biosphere_uncertainty
    tech_pos, bio_pos = _positions(tech, tech_u), _positions(bio, bio_u)
    tech_data, bio_data = tech.data.copy(), bio.data.copy()
    vary_a = len(tech_u) > 0
    preconditioner = spla.LinearOperator(
        tech.shape, matvec=prepared.factors.solve, dtype=np.float64)
    refactorisations = 0
    out = np.empty(iterations)
    for k in range(iterations):
        supply = base_supply
        if vary_a:
            delta = sample_entries(tech_u, rng) - tech_u.amount
            tech.data = tech_data + np.bincount(tech_pos, weights=delta, minlength=tech.nnz)
            supply, info = spla.gmres(
                tech, f, x0=base_supply, rtol=1e-10, atol=0.0, restart=50, maxiter=20,
                M=preconditioner,
            )
            if info != 0:
                refactorisations += 1
                supply = factorize(tech, prepared.factors.name).solve(f)
        if len(bio_u):
            delta = sample_entries(bio_u, rng) - bio_u.amount
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
        solver=prepared.factors.name,
        method="preconditioned GMRES" if vary_a else "biosphere only",
        refactorisations=refactorisations,
    )
