"""The product system as matrices: technosphere A, biosphere B, and what each index means.

Column j of A and B is activity j; row j of A is the product that activity j makes (its
reference product, so the diagonal holds net production). Inputs are negative entries, and
avoided products of system expansion are positive off-diagonal entries. Rows of B are
elementary flows ``(gas, origin)`` in kg; removals are negative.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from yuntan.gwp import GwpSet, Origin
from yuntan.lca.errors import (
    AmbiguousProvider,
    InvalidDemand,
    NonFiniteValue,
    NonPositiveReferenceProduction,
    SingularTechnosphere,
    YuntanLcaError,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Distribution codes used in the vectorised sampler.
NO_DISTRIBUTION, LOGNORMAL, NORMAL, TRIANGULAR, UNIFORM = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class FlowKey:
    """An elementary flow: a gas with the origin of its carbon."""

    gas: str
    origin: Origin


@dataclass(frozen=True)
class UncertainEntries:
    """Uncertain entries of a matrix, in matrix units (sign included).

    For lognormal entries ``spread`` is σ of the underlying normal (ln GSD); for normal ones
    the standard deviation; ``minimum``/``maximum`` bound triangular and uniform entries,
    whose mode is the nominal ``amount``.
    """

    rows: IntArray
    cols: IntArray
    amount: FloatArray
    kind: npt.NDArray[np.int8]
    spread: FloatArray
    minimum: FloatArray
    maximum: FloatArray

    @classmethod
    def empty(cls) -> UncertainEntries:
        ints = np.zeros(0, dtype=np.int64)
        floats = np.zeros(0)
        return cls(ints, ints, floats, np.zeros(0, dtype=np.int8), floats, floats, floats)

    def __len__(self) -> int:
        return int(self.rows.shape[0])


@dataclass(frozen=True)
class ActivityInfo:
    """What an activity (a column) stands for, kept on the system for traceability."""

    id: str
    process: str  # the process it was derived from (allocation splits one into several)
    product: str
    unit: str
    name: str = ""
    stage: str | None = None
    primary: bool = False
    version: str = ""
    allocation_method: str | None = None
    allocation_factor: float = 1.0


@dataclass(frozen=True)
class MatrixSystem:
    """A product system ready to solve. Build it with :func:`yuntan.lca.build_system` from
    processes, or with :meth:`from_matrices` from ready sparse matrices (background databases).
    """

    technosphere: sp.csc_matrix
    biosphere: sp.csc_matrix
    activities: tuple[ActivityInfo, ...]
    flows: tuple[FlowKey, ...]
    pedigree: FloatArray  # (n_activities, 5) scores, NaN where unknown
    technosphere_uncertainty: UncertainEntries = field(default_factory=UncertainEntries.empty)
    biosphere_uncertainty: UncertainEntries = field(default_factory=UncertainEntries.empty)
    cut_off: tuple[str, ...] = ()
    _index: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)
    _product_index: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.activities)
        if self.technosphere.shape != (n, n):
            raise SingularTechnosphere(
                f"The technosphere matrix is {self.technosphere.shape[0]}×"
                f"{self.technosphere.shape[1]} but there are {n} activities; every activity "
                f"needs exactly one reference product (a square matrix)."
            )
        if self.biosphere.shape != (len(self.flows), n):
            raise YuntanLcaError(
                f"The biosphere matrix is {self.biosphere.shape} but there are "
                f"{len(self.flows)} flows and {n} activities."
            )
        for name, matrix in (("technosphere", self.technosphere), ("biosphere", self.biosphere)):
            if not np.all(np.isfinite(matrix.data)):
                bad = int(np.flatnonzero(~np.isfinite(matrix.data))[0])
                column = int(np.searchsorted(matrix.indptr, bad, side="right") - 1)
                raise NonFiniteValue(
                    f"The {name} matrix holds a non-finite value in the column of activity "
                    f"{self.activities[column].id!r}; replace it with a real number."
                )
        index = {info.id: i for i, info in enumerate(self.activities)}
        products: dict[str, int] = {}
        for i, info in enumerate(self.activities):
            # A product made by several activities maps to -1: a demand must name one.
            products[info.product] = -1 if info.product in products else i
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_product_index", MappingProxyType(products))

    @classmethod
    def from_matrices(
        cls,
        technosphere: sp.spmatrix | sp.sparray,
        biosphere: sp.spmatrix | sp.sparray,
        activity_ids: Sequence[str],
        flows: Sequence[tuple[str, Origin | str]],
        *,
        products: Sequence[str] | None = None,
        stages: Sequence[str | None] | None = None,
        primary: Sequence[bool] | None = None,
        pedigree: FloatArray | None = None,
        technosphere_uncertainty: UncertainEntries | None = None,
        biosphere_uncertainty: UncertainEntries | None = None,
    ) -> MatrixSystem:
        """Wrap ready matrices, e.g. a background database of tens of thousands of processes.

        ``technosphere[i, j]``: amount of product ``i`` made (+) or used (−) by activity ``j``
        per unit of its operation; the diagonal is each activity's reference product, net of
        what the activity uses of it, and must be above zero
        (:class:`~yuntan.errors.NonPositiveReferenceProduction` otherwise).
        ``biosphere[k, j]``: kg of ``flows[k]`` emitted (+) or removed (−) by activity ``j``.
        """
        n = len(activity_ids)
        technosphere = sp.csc_matrix(technosphere, dtype=np.float64)
        if technosphere.shape == (n, n):
            diagonal = technosphere.diagonal()
            bad = np.flatnonzero(~(diagonal > 0))  # NaN too; its own error follows otherwise
            bad = bad[np.isfinite(diagonal[bad])]
            if bad.size:
                names = ", ".join(f"{activity_ids[i]!r} ({diagonal[i]:g})" for i in bad[:5])
                raise NonPositiveReferenceProduction(
                    f"Net production of {names} is zero or negative: the diagonal of the "
                    f"technosphere matrix is each activity's own product, net of what it uses "
                    f"of it. Check the signs (outputs +, inputs −) and the self-consumption.")
        product_ids = list(products) if products is not None else list(activity_ids)
        stage_list = list(stages) if stages is not None else [None] * n
        primary_list = list(primary) if primary is not None else [False] * n
        infos = tuple(
            ActivityInfo(
                id=activity_ids[i],
                process=activity_ids[i],
                product=product_ids[i],
                unit="",
                stage=stage_list[i],
                primary=bool(primary_list[i]),
            )
            for i in range(n)
        )
        return cls(
            technosphere=technosphere,
            biosphere=sp.csc_matrix(biosphere, dtype=np.float64),
            activities=infos,
            flows=tuple(FlowKey(gas, Origin(origin)) for gas, origin in flows),
            pedigree=pedigree if pedigree is not None else np.full((n, 5), np.nan),
            technosphere_uncertainty=technosphere_uncertainty or UncertainEntries.empty(),
            biosphere_uncertainty=biosphere_uncertainty or UncertainEntries.empty(),
        )

    @property
    def size(self) -> int:
        return len(self.activities)

    def activity_index(self, activity_or_product: str) -> int:
        """Column of an activity given its id, or the id of the product it makes."""
        found = self._index.get(activity_or_product)
        if found is None:
            found = self._product_index.get(activity_or_product)
        if found is None:
            raise InvalidDemand(
                f"{activity_or_product!r} is neither an activity nor a product of this system."
            )
        if found < 0:
            makers = [a.id for a in self.activities if a.product == activity_or_product]
            raise AmbiguousProvider(
                f"Product {activity_or_product!r} is made by {', '.join(makers)}; name the "
                f"activity that should provide it."
            )
        return found

    def characterisation(self, gwp: GwpSet) -> FloatArray:
        """Vector c: kg CO2e per kg of each elementary flow under ``gwp``. Uptake counts −1×
        through the sign of its biosphere entries, so c stays positive."""
        return np.array([gwp.factor(f.gas, f.origin) for f in self.flows], dtype=np.float64)

    def fingerprint(self) -> str:
        """SHA-256 of everything that determines a result, for reproducibility records."""
        digest = hashlib.sha256()
        for matrix in (self.technosphere, self.biosphere):
            canonical = sp.csc_matrix(matrix)
            canonical.sum_duplicates()
            canonical.sort_indices()
            for array in (canonical.indptr, canonical.indices, canonical.data):
                digest.update(np.ascontiguousarray(array).tobytes())
        for info in self.activities:
            digest.update(repr((info.id, info.product, info.version, info.stage)).encode())
        for flow in self.flows:
            digest.update(repr((flow.gas, str(flow.origin))).encode())
        return digest.hexdigest()
