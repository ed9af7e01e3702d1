"""Footprints from a :class:`MatrixSystem`: s = A⁻¹f, g = Bs, h = c·g (ISO 14067 6.4–6.5).

``footprint`` returns a frozen :class:`FootprintResult` with every breakdown;
``scores`` solves many functional units on one factorisation; ``all_scores`` gives the
footprint per unit of every product of the system with one adjoint solve (λᵀA = cB).

No number is returned silently when it has no meaning. :func:`prepare` refuses a loop that
consumes more than it makes (:class:`~yuntan.errors.UnproductiveLoop`): without credits
(no positive entry off the diagonal) A is a Z-matrix, and every demand has a supply s ≥ 0
exactly when A is a non-singular M-matrix, i.e. when x = A⁻¹·diag(A) > 0 (Berman & Plemmons,
*Nonnegative Matrices in the Mathematical Sciences*, ch. 6, condition I27); for an M-matrix
every xᵢ ≥ 1 (as (A⁻¹)ᵢᵢ ≥ 1/aᵢᵢ), so the test is free of units — one extra solve.
It estimates the condition number of each loop of A (strongly connected component) with
its columns scaled to unit production (units do not matter; the acyclic rest is solved
exactly by substitution), by ``scipy.sparse.linalg.onenormest`` on the loop's LU factors,
and records a warning above ``CONDITION_LIMIT``. :func:`footprint` records a warning when an
activity runs at a negative level (possible with credits of avoided products). Warnings are
on ``PreparedSystem.warnings`` and ``FootprintResult.warnings``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla

from yuntan import __version__
from yuntan.gwp import DEFAULT_GWP_SET, Origin, get_gwp_set
from yuntan.lca.errors import InvalidDemand, NonFiniteValue, UnproductiveLoop, check_finite
from yuntan.lca.quality import data_quality
from yuntan.lca.results import BiogenicSplit, FootprintResult, TreeNode
from yuntan.lca.solve import Factorization, SuperLUFactorization, factorize
from yuntan.lca.system import MatrixSystem

FloatArray = npt.NDArray[np.float64]
UNASSIGNED_STAGE = "unassigned"
# Above this condition number a solve may lose 12 of its 16 significant digits: warned.
CONDITION_LIMIT = 1e12
NAMED = 10  # activities named in a message


@dataclass(frozen=True)
class PreparedSystem:
    """A system with its factorisation and characterised biosphere, reused across solves."""

    system: MatrixSystem
    factors: Factorization
    gwp_set: str
    characterisation: FloatArray  # c, per elementary flow
    intensity: FloatArray  # (c B)_j: direct kg CO2e per unit of operation of activity j
    condition: float = float("nan")  # estimated 1-norm condition number, columns scaled
    warnings: tuple[str, ...] = ()


def prepare(
    system: MatrixSystem, gwp_set: str = DEFAULT_GWP_SET, solver: str = "auto"
) -> PreparedSystem:
    """Factorise A and characterise B once (the expensive part of every calculation); refuse
    a loop that consumes more than it makes; warn when A is nearly singular."""
    gwp = get_gwp_set(gwp_set)
    c = system.characterisation(gwp)
    intensity = np.asarray(system.biosphere.T @ c).ravel()
    factors = factorize(system.technosphere, solver, [a.id for a in system.activities])
    _refuse_unproductive_loops(system, factors)
    condition = condition_estimate(system.technosphere, factors)
    warnings: tuple[str, ...] = ()
    if not condition <= CONDITION_LIMIT:
        warnings = (
            f"The technosphere is nearly singular (condition number about {condition:.1e}, "
            f"above {CONDITION_LIMIT:.0e}): results may have lost most of their precision. "
            f"Check loops whose processes consume almost as much as they make.",)
    return PreparedSystem(system, factors, gwp.name, c, intensity, condition, warnings)


def _refuse_unproductive_loops(system: MatrixSystem, factors: Factorization) -> None:
    """Without credits, A⁻¹·diag(A) > 0 exactly when no demand can need a negative supply."""
    matrix = system.technosphere
    if system.size == 0:
        return
    off_diagonal = sp.csc_matrix(matrix - sp.diags(matrix.diagonal()))
    if np.any(off_diagonal.data > 0):
        return  # credits: negative supply may be meant; footprint() warns per demand
    # With b = diag(A) > 0: for a non-singular M-matrix every (A⁻¹b)_i ≥ (A⁻¹)_ii·a_ii ≥ 1,
    # whatever the units and the lengths of the chains; anything below ½ is not one.
    x = factors.solve(matrix.diagonal())
    bad = np.flatnonzero(~(x > 0.5))
    if bad.size:
        names = [system.activities[j].id for j in bad[:NAMED]]
        raise UnproductiveLoop(
            "A loop of processes consumes more of its products than it makes, so some "
            f"activities would run at negative levels: {', '.join(names)}"
            f"{' …' if bad.size > NAMED else ''}. Check the input amounts and units of the "
            "loop (each process must make more of its product than the loop uses of it).",
            processes=names)


def condition_estimate(matrix: sp.csc_matrix,
                       factors: Factorization | None = None) -> float:
    """The largest 1-norm condition number of the loops of A (its strongly connected
    components), each with its columns scaled to unit production: κ₁(B·D⁻¹), D = diag(B).

    Only loops can make A (nearly) singular: ordered by components A is block triangular and
    its acyclic part is solved by substitution, exactly, however large the amounts of a
    chain. ‖B D⁻¹‖₁ is exact; ‖D B⁻¹‖₁ is exact for loops of up to 64 activities and
    estimated by ``onenormest`` above (Higham & Tisseur's block algorithm, a few solves) with
    ``factors`` of the whole A (the diagonal blocks of A⁻¹ are the inverses of A's diagonal
    blocks, as A is block triangular), or with the block's own LU factors without them.
    1.0 for a system without loops.
    """
    n = matrix.shape[0]
    if n == 0:
        return 1.0
    _count, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
    sizes = np.bincount(labels)
    looped = np.flatnonzero(sizes > 1)
    if looped.size == 0:
        return 1.0
    order = np.argsort(labels, kind="stable")
    inside = np.isin(labels[order], looped)
    kept = order[inside]
    permuted = sp.csc_matrix(matrix[kept][:, kept])
    offset = np.concatenate([[0], np.cumsum(sizes[looped])])
    worst = 1.0
    for k in range(looped.size):
        lo, hi = int(offset[k]), int(offset[k + 1])
        members = kept[lo:hi]
        worst = max(worst, _scaled_condition(sp.csc_matrix(permuted[lo:hi, lo:hi]), members,
                                             factors, n))
    return worst


def _scaled_condition(block: sp.csc_matrix, members: npt.NDArray[np.int64],
                      factors: Factorization | None, size: int) -> float:
    d = np.abs(block.diagonal())
    d[d == 0] = 1.0
    scaled = sp.csc_matrix(block @ sp.diags(1.0 / d))
    norm = float(spla.norm(scaled, 1))
    m = scaled.shape[0]
    if m <= 64:
        try:
            inverse = np.linalg.inv(scaled.toarray())
        except np.linalg.LinAlgError:
            return float("inf")
        return norm * float(np.abs(inverse).sum(axis=0).max())
    forward: Callable[[FloatArray], FloatArray]
    backward: Callable[[FloatArray], FloatArray]
    if factors is None:
        try:
            factors = SuperLUFactorization("superlu", spla.splu(block), None)
        except RuntimeError:
            return float("inf")
        forward, backward = factors.solve, factors.solve_transposed
    else:
        forward = _restricted(factors.solve, members, size)
        backward = _restricted(factors.solve_transposed, members, size)
    # (B D⁻¹)⁻¹ = D B⁻¹: scale after the forward solve, before the transposed one.
    operator = spla.LinearOperator(
        (m, m), dtype=np.float64,
        matvec=lambda v: d * forward(np.ravel(v)),
        rmatvec=lambda v: backward(d * np.ravel(v)),
    )
    return norm * float(spla.onenormest(operator, t=2))


def _restricted(solve: Callable[[FloatArray], FloatArray], members: npt.NDArray[np.int64],
                size: int) -> Callable[[FloatArray], FloatArray]:
    """Solve with the whole matrix for a right-hand side on ``members``, read ``members``."""
    def restricted(v: FloatArray) -> FloatArray:
        rhs = np.zeros(size)
        rhs[members] = v
        return solve(rhs)[members]
    return restricted


def demand_vector(system: MatrixSystem, demand: Mapping[str, float]) -> FloatArray:
    """Vector f from ``{activity or product id: amount}``."""
    if not demand:
        raise InvalidDemand("The functional unit is empty; name a product and its amount.")
    f = np.zeros(system.size)
    for key, amount in demand.items():
        try:
            value = check_finite(amount, f"demand for {key!r}")
        except NonFiniteValue as exc:
            raise InvalidDemand(str(exc)) from exc
        f[system.activity_index(key)] += value
    return f


def scores(prepared: PreparedSystem, demands: Sequence[Mapping[str, float]]) -> FloatArray:
    """Total kg CO2e of each functional unit in ``demands`` (one factorisation, many solves)."""
    out = np.empty(len(demands))
    for k, demand in enumerate(demands):
        supply = prepared.factors.solve(demand_vector(prepared.system, demand))
        out[k] = float(prepared.intensity @ supply)
    return out


def all_scores(prepared: PreparedSystem) -> FloatArray:
    """kg CO2e per unit of every activity's product: λ with Aᵀλ = (cB)ᵀ (one adjoint solve)."""
    return prepared.factors.solve_transposed(prepared.intensity)


def footprint(
    system: MatrixSystem | PreparedSystem,
    demand: Mapping[str, float],
    *,
    gwp_set: str = DEFAULT_GWP_SET,
    solver: str = "auto",
    tree_cutoff: float = 0.01,
    tree_max_nodes: int = 200,
) -> FootprintResult:
    """Compute the footprint of ``demand`` with every breakdown.

    Parameters
    ----------
    system:
        The product system, or a :class:`PreparedSystem` to reuse its factorisation.
    demand:
        The functional unit, ``{product or activity id: amount in its reference unit}``.
    gwp_set, solver:
        Ignored when ``system`` is already prepared (its own are used and reported).
    tree_cutoff:
        Upstream-tree nodes below this share of |total| are folded into ``below_cutoff``.

    Example
    -------
    >>> from yuntan.lca import FactorDataset, Emission, Input, Output, Process, build_system
    >>> grid = FactorDataset("grid", "kWh", (Emission("CO2", 0.1073),))
    >>> smelter = Process("smelter", (Output("aluminium", 1, "t"),),
    ...                   inputs=(Input("grid", 13_500, "kWh"),))
    >>> round(footprint(build_system([smelter], [grid]), {"aluminium": 1}).total, 2)
    1448.55
    """
    prepared = system if isinstance(system, PreparedSystem) else prepare(system, gwp_set, solver)
    sys_ = prepared.system
    f = demand_vector(sys_, demand)
    supply = prepared.factors.solve(f)
    warnings = list(prepared.warnings)
    negative = np.flatnonzero(supply < -1e-9 * float(np.max(np.abs(supply), initial=0.0)))
    if negative.size:
        named = ", ".join(f"{sys_.activities[j].id} ({supply[j]:.3g})" for j in negative[:NAMED])
        warnings.append(
            f"Activities run at negative levels: {named}"
            f"{' …' if negative.size > NAMED else ''}. Credits of avoided products do that; "
            f"otherwise a loop consumes more than it makes and the total means nothing.")
    lam = prepared.factors.solve_transposed(prepared.intensity)
    direct = prepared.intensity * supply
    total = float(prepared.intensity @ supply)
    inventory = np.asarray(sys_.biosphere @ supply).ravel()
    per_flow = prepared.characterisation * inventory
    ids = [a.id for a in sys_.activities]

    by_gas: dict[str, float] = {}
    by_origin: dict[str, float] = {str(o): 0.0 for o in Origin}
    by_gas_origin: dict[tuple[str, str], float] = {}
    inventory_kg: dict[tuple[str, str], float] = {}
    for flow, kg, co2e in zip(sys_.flows, inventory, per_flow, strict=True):
        key = (flow.gas, str(flow.origin))
        by_gas[flow.gas] = by_gas.get(flow.gas, 0.0) + float(co2e)
        by_origin[str(flow.origin)] += float(co2e)
        by_gas_origin[key] = by_gas_origin.get(key, 0.0) + float(co2e)
        inventory_kg[key] = inventory_kg.get(key, 0.0) + float(kg)

    biogenic_co2 = sum(
        v for (gas, origin), v in by_gas_origin.items()
        if gas in ("CO2", "CO2e") and origin in (Origin.BIOGENIC, Origin.BIOGENIC_UPTAKE)
    )
    split = BiogenicSplit(
        including_biogenic=total,
        excluding_biogenic_uptake=total - by_origin[Origin.BIOGENIC_UPTAKE],
        excluding_biogenic_co2=total - biogenic_co2,
        fossil=by_origin[Origin.FOSSIL],
        biogenic=by_origin[Origin.BIOGENIC],
        biogenic_uptake=by_origin[Origin.BIOGENIC_UPTAKE],
        land_use_change=by_origin[Origin.LAND_USE_CHANGE],
        land_management=by_origin[Origin.LAND_MANAGEMENT],
    )

    nonzero = np.flatnonzero(supply)
    by_process: dict[str, float] = {}
    for j in np.flatnonzero(direct):
        name = sys_.activities[j].process
        by_process[name] = by_process.get(name, 0.0) + float(direct[j])

    primary = np.array([a.primary for a in sys_.activities], dtype=bool)
    share = float(direct[primary].sum() / total) if total != 0 else None
    versions = {
        sys_.activities[j].id: sys_.activities[j].version
        for j in nonzero
        if sys_.activities[j].version
    }
    allocation = {
        a.id: f"{a.allocation_method} ({a.allocation_factor:.6g})"
        for a in sys_.activities if a.allocation_method is not None
    }
    return FootprintResult(
        total=total,
        demand=MappingProxyType(dict(demand)),
        gwp_set=prepared.gwp_set,
        biogenic_split=split,
        by_stage=MappingProxyType(_by_stage(sys_, supply, f, direct)),
        by_process=MappingProxyType(by_process),
        by_input=MappingProxyType(_by_input(sys_, f, lam, prepared.intensity)),
        by_gas=MappingProxyType(by_gas),
        by_origin=MappingProxyType(by_origin),
        by_gas_and_origin=MappingProxyType(by_gas_origin),
        inventory_kg=MappingProxyType(inventory_kg),
        supply=MappingProxyType({ids[j]: float(supply[j]) for j in nonzero}),
        tree=_tree(sys_, f, lam, prepared.intensity, total, tree_cutoff, tree_max_nodes),
        primary_data_share=share,
        data_quality=data_quality(sys_.pedigree, direct),
        allocation=MappingProxyType(allocation),
        factor_versions=MappingProxyType(versions),
        cut_off=sys_.cut_off,
        solver=prepared.factors.name,
        engine_version=__version__,
        system_fingerprint=sys_.fingerprint(),
        warnings=tuple(warnings),
    )


def _by_input(
    system: MatrixSystem, f: FloatArray, lam: FloatArray, intensity: FloatArray
) -> dict[str, float]:
    """Contribution of each input of the demanded activities, supply chain included.

    From λᵀA = cB, column r: λ_r A_rr = (cB)_r − Σ_{i≠r} λ_i A_ir, so the footprint f_r λ_r
    splits exactly into the direct part and one part per input i, (f_r/A_rr)(−A_ir)λ_i, even
    when loops feed back into r.
    """
    matrix = system.technosphere
    out: dict[str, float] = {}
    for r in np.flatnonzero(f):
        scale = f[r] / matrix[r, r]
        label = system.activities[r].id
        out[f"{label} (direct)"] = out.get(f"{label} (direct)", 0.0) + float(scale * intensity[r])
        start, end = matrix.indptr[r], matrix.indptr[r + 1]
        for i, value in zip(matrix.indices[start:end], matrix.data[start:end], strict=True):
            if i == r:
                continue
            key = system.activities[i].id
            out[key] = out.get(key, 0.0) + float(-scale * value * lam[i])
    return out


def _by_stage(
    system: MatrixSystem, supply: FloatArray, f: FloatArray, direct: FloatArray
) -> dict[str, float]:
    """Direct contributions grouped by life-cycle stage.

    Activities without a stage (background datasets) inherit the stages of the activities
    that consume them, in proportion to the amounts consumed (solved as one linear system,
    so loops are handled). Whatever reaches the functional unit untagged is 'unassigned'.
    """
    stages = [a.stage for a in system.activities]
    labels = sorted({s for s in stages if s is not None})
    if not labels:
        return {UNASSIGNED_STAGE: float(direct.sum())}
    columns = {label: k for k, label in enumerate([*labels, UNASSIGNED_STAGE])}
    n = system.size
    flows = sp.csr_matrix(abs(system.technosphere) @ sp.diags(np.abs(supply)))
    flows.setdiag(0.0)
    flows.eliminate_zeros()
    through = np.asarray(flows.sum(axis=1)).ravel() + np.abs(f)
    tagged = np.array([s is not None for s in stages])
    shares = np.zeros((n, len(columns)))
    for j in np.flatnonzero(tagged):
        shares[j, columns[stages[j]]] = 1.0  # type: ignore[index]
    untagged = np.flatnonzero(~tagged & (through > 0))
    if untagged.size:
        weights = sp.csr_matrix(sp.diags(1.0 / through[untagged]) @ flows[untagged])
        rhs = np.asarray(weights[:, np.flatnonzero(tagged)] @ shares[tagged])
        rhs[:, columns[UNASSIGNED_STAGE]] += np.abs(f[untagged]) / through[untagged]
        block = sp.identity(untagged.size, format="csc") - sp.csc_matrix(weights[:, untagged])
        solved = spla.splu(block).solve(np.asfortranarray(rhs))
        shares[untagged] = solved
    contributions = direct @ shares
    result = {label: float(contributions[k]) for label, k in columns.items()}
    if result[UNASSIGNED_STAGE] == 0.0:
        del result[UNASSIGNED_STAGE]
    return result


def _tree(
    system: MatrixSystem,
    f: FloatArray,
    lam: FloatArray,
    intensity: FloatArray,
    total: float,
    cutoff: float,
    max_nodes: int,
) -> TreeNode:
    """Upstream tree from the functional unit down, pruned below ``cutoff``·|total|."""
    matrix = system.technosphere
    limit = abs(total) * cutoff
    budget = [max_nodes]

    def node(j: int, amount: float, depth: int) -> TreeNode:
        budget[0] -= 1
        info = system.activities[j]
        operation = amount / matrix[j, j]
        score = float(amount * lam[j])
        direct = float(operation * intensity[j])
        children: list[TreeNode] = []
        start, end = matrix.indptr[j], matrix.indptr[j + 1]
        candidates = [
            (float(-value * operation), int(i))
            for i, value in zip(matrix.indices[start:end], matrix.data[start:end], strict=True)
            if i != j
        ]
        candidates.sort(key=lambda c: -abs(c[0] * lam[c[1]]))
        for child_amount, i in candidates:
            if depth >= 30 or budget[0] <= 0 or abs(child_amount * lam[i]) < limit:
                break
            children.append(node(i, child_amount, depth + 1))
        rest = score - direct - sum(child.score for child in children)
        return TreeNode(info.id, info.name or info.id, amount, info.unit, score, direct,
                        rest, tuple(children))

    roots = [int(j) for j in np.flatnonzero(f)]
    if len(roots) == 1:
        return node(roots[0], float(f[roots[0]]), 0)
    children = tuple(node(j, float(f[j]), 1) for j in roots)
    return TreeNode("functional unit", "functional unit", 1.0, "", total, 0.0,
                    total - sum(c.score for c in children), children)
