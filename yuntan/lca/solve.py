"""Sparse solvers for the technosphere: one factorisation, many solves, recorded by name.

The default, ``btf-superlu``, orders the activities by strongly connected components so that
the matrix becomes block lower-triangular (real supply chains are mostly acyclic: suppliers
after their consumers), then factorises it with SuperLU in that order without pivoting away
from the diagonal. The acyclic part factorises with no fill at all; only the loops (the
diagonal blocks) are eliminated. Scaled by its production, an LCA technosphere is
I − N with N ≥ 0 and spectral radius < 1 (an M-matrix), for which elimination without
pivoting is stable; every factorisation is still checked on a test solve and falls back to
partial pivoting (``superlu``) if the residual is not at round-off level.

Optional solvers are used only when asked for by name: ``umfpack`` (scikit-umfpack) and
``pardiso`` (pypardiso). Nothing is chosen silently by platform: the name of the solver that
ran is on every result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from yuntan.lca.errors import SingularTechnosphere, YuntanLcaError

FloatArray = npt.NDArray[np.float64]
SOLVERS = ("auto", "btf-superlu", "superlu", "umfpack", "pardiso")
# A test solve whose relative residual exceeds this triggers the pivoting fallback.
_RESIDUAL_LIMIT = 1e-10


class Factorization(Protocol):
    """A factorised technosphere matrix A: solves A x = b and Aᵀ x = b."""

    @property
    def name(self) -> str: ...

    def solve(self, rhs: FloatArray) -> FloatArray: ...

    def solve_transposed(self, rhs: FloatArray) -> FloatArray: ...


@dataclass(frozen=True)
class SuperLUFactorization:
    """SuperLU factors of P A Pᵀ (``order`` = P as an index array, or None for identity)."""

    name: str
    lu: spla.SuperLU
    order: npt.NDArray[np.int64] | None

    def _solve(self, rhs: FloatArray, trans: str) -> FloatArray:
        rhs = np.asarray(rhs, dtype=np.float64)
        if self.order is None:
            return np.asarray(self.lu.solve(rhs, trans=trans))  # type: ignore[call-overload]
        permuted = np.asarray(
            self.lu.solve(np.ascontiguousarray(rhs[self.order]), trans=trans)  # type: ignore[call-overload]
        )
        out = np.empty_like(permuted)
        out[self.order] = permuted
        return out

    def solve(self, rhs: FloatArray) -> FloatArray:
        return self._solve(rhs, "N")

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        return self._solve(rhs, "T")


@dataclass(frozen=True)
class ExternalFactorization:
    """A factorisation by an optional package (UMFPACK, PARDISO)."""

    name: str
    forward: object
    backward: object

    def solve(self, rhs: FloatArray) -> FloatArray:
        return np.asarray(self.forward(np.asarray(rhs, dtype=np.float64)))  # type: ignore[operator]

    def solve_transposed(self, rhs: FloatArray) -> FloatArray:
        return np.asarray(self.backward(np.asarray(rhs, dtype=np.float64)))  # type: ignore[operator]


def block_triangular_order(matrix: sp.csc_matrix) -> tuple[npt.NDArray[np.int64], int, int]:
    """Order activities so consumers come before suppliers, loops kept together.

    Returns the order, the number of strongly connected components and the size of the
    largest one. Entry A[i, j] ≠ 0 is an edge i → j (product i goes to activity j).
    """
    count, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    coo = matrix.tocoo()
    across = labels[coo.row] != labels[coo.col]
    # SciPy's Pearce/Tarjan numbering gives every edge between components a larger label at
    # its source. Rely on that only after checking it; otherwise sort by levels (Kahn).
    key = labels.astype(np.int64)
    if not np.all(key[coo.row[across]] > key[coo.col[across]]):
        key = _component_levels(count, key[coo.col[across]], key[coo.row[across]])[key]
    order = np.argsort(key, kind="stable").astype(np.int64)
    largest = int(np.bincount(labels).max()) if labels.size else 0
    return order, count, largest


def _component_levels(
    count: int, consumers: npt.NDArray[np.int64], suppliers: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Topological levels of the component graph (consumer → supplier), vectorised Kahn."""
    level = np.full(count, -1, dtype=np.int64)
    indegree = np.bincount(suppliers, minlength=count)
    alive = np.ones(consumers.shape[0], dtype=bool)
    current = 0
    while True:
        frontier = (indegree == 0) & (level < 0)
        if not frontier.any():
            break
        level[frontier] = current
        leaving = alive & frontier[consumers]
        indegree -= np.bincount(suppliers[leaving], minlength=count)
        alive &= ~leaving
        current += 1
    return level


def _singular(matrix: sp.csc_matrix, labels: list[str]) -> SingularTechnosphere:
    """Name the processes of the first loop (or process) that makes A singular."""
    count, comp = csgraph.connected_components(matrix, directed=True, connection="strong")
    diagonal = matrix.diagonal()
    for component in range(count):
        members = np.flatnonzero(comp == component)
        block = matrix[members][:, members]
        singular = diagonal[members[0]] == 0 if members.size == 1 else False
        if members.size > 1:
            try:
                spla.splu(sp.csc_matrix(block))
            except RuntimeError:
                singular = True
        if singular:
            names = [labels[i] for i in members[:20]]
            return SingularTechnosphere(
                "The technosphere cannot be solved: these processes form a loop (or a process) "
                f"with no net production: {', '.join(names)}. Check their input amounts and "
                "units, or that each produces more of its product than the loop consumes.",
                processes=names,
            )
    return SingularTechnosphere(
        "The technosphere matrix is singular; check for duplicated or empty processes.",
        processes=[],
    )


def _residual_ok(matrix: sp.csc_matrix, factors: Factorization) -> bool:
    """Backward error of a test solve (and of the transposed one) is at round-off level."""
    ones = np.ones(matrix.shape[0])
    scale = float(abs(matrix).max()) if matrix.nnz else 1.0
    for operator, solve in ((matrix, factors.solve), (matrix.T, factors.solve_transposed)):
        rhs = operator @ ones
        x = solve(rhs)
        if not np.all(np.isfinite(x)):
            return False
        residual = float(np.max(np.abs(operator @ x - rhs)))
        bound = scale * float(np.max(np.abs(x))) + float(np.max(np.abs(rhs)))
        if residual > _RESIDUAL_LIMIT * bound:
            return False
    return True


def factorize(
    matrix: sp.spmatrix | sp.sparray,
    solver: str = "auto",
    labels: list[str] | None = None,
) -> Factorization:
    """Factorise the technosphere matrix with the named solver (``auto`` = ``btf-superlu``)."""
    csc = sp.csc_matrix(matrix, dtype=np.float64)
    names = labels if labels is not None else [str(i) for i in range(csc.shape[0])]
    if solver not in SOLVERS:
        raise YuntanLcaError(f"Unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}.")
    try:
        if solver == "umfpack":
            return _umfpack(csc)
        if solver == "pardiso":
            return _pardiso(csc)
        if solver in ("auto", "btf-superlu"):
            order, _, _ = block_triangular_order(csc)
            permuted = sp.csc_matrix(csc[order][:, order])
            lu = spla.splu(
                permuted,
                permc_spec="NATURAL",
                diag_pivot_thresh=0.0,
                options={"SymmetricMode": True},
            )
            btf = SuperLUFactorization("btf-superlu", lu, order)
            if _residual_ok(csc, btf):
                return btf
        lu = spla.splu(csc)
        return SuperLUFactorization("superlu", lu, None)
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise _singular(csc, names) from exc


def _umfpack(matrix: sp.csc_matrix) -> Factorization:
    try:
        import scikits.umfpack as umfpack
    except ImportError as exc:
        raise YuntanLcaError(
            "The 'umfpack' solver needs scikit-umfpack (pip install scikit-umfpack, which "
            "compiles against SuiteSparse); use solver='auto' instead."
        ) from exc
    lu = umfpack.splu(matrix)
    return ExternalFactorization(
        "umfpack", lu.solve, lambda rhs: lu.solve(rhs, trans="T")
    )


def _pardiso(matrix: sp.csc_matrix) -> Factorization:
    try:
        import pypardiso
    except ImportError as exc:
        raise YuntanLcaError(
            "The 'pardiso' solver needs pypardiso (pip install pypardiso, x86-64 only); use "
            "solver='auto' instead."
        ) from exc
    forward_solver = pypardiso.PyPardisoSolver()
    transposed = sp.csr_matrix(matrix.T)
    backward_solver = pypardiso.PyPardisoSolver()
    csr = sp.csr_matrix(matrix)
    forward_solver.factorize(csr)
    backward_solver.factorize(transposed)
    return ExternalFactorization(
        "pardiso",
        lambda rhs: forward_solver.solve(csr, rhs),
        lambda rhs: backward_solver.solve(transposed, rhs),
    )
