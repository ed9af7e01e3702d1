"""The core's error family, re-exported where the engine's users look for it.

Defined in :mod:`yuntan.errors` so that ``yuntan.units`` and ``yuntan.gwp`` can raise them
without importing the engine.
"""

from yuntan.errors import (
    AllocationError,
    AmbiguousProvider,
    DimensionMismatch,
    DuplicateProcess,
    InvalidDemand,
    InvalidDistribution,
    MissingLink,
    NonFiniteValue,
    NonPositiveReferenceProduction,
    SingularTechnosphere,
    UnknownGas,
    UnknownGwpSet,
    UnknownUnit,
    UnproductiveLoop,
    YuntanLcaError,
    check_finite,
)

__all__ = [
    "AllocationError",
    "AmbiguousProvider",
    "DimensionMismatch",
    "DuplicateProcess",
    "InvalidDemand",
    "InvalidDistribution",
    "MissingLink",
    "NonFiniteValue",
    "NonPositiveReferenceProduction",
    "SingularTechnosphere",
    "UnknownGas",
    "UnknownGwpSet",
    "UnknownUnit",
    "UnproductiveLoop",
    "YuntanLcaError",
    "check_finite",
]
