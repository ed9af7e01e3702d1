"""Errors of the pure core (lca, units, gwp): one family, each named for its condition.

Every message says what is wrong, where, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable


class YuntanLcaError(Exception):
    """Base class of every error raised by ``yuntan.lca`` and the other pure core modules."""


class UnknownUnit(YuntanLcaError):
    """A unit that the unit registry does not know."""


class DimensionMismatch(YuntanLcaError):
    """An amount whose unit cannot be converted to the unit it is used in (e.g. kg for kWh)."""


class UnknownGas(YuntanLcaError):
    """An elementary flow whose gas has no characterisation factor in the chosen GWP set."""


class UnknownGwpSet(YuntanLcaError):
    """A GWP set name that is not shipped (see ``yuntan/data/gwp``)."""


class NonFiniteValue(YuntanLcaError):
    """An amount that is NaN or infinite."""


class DuplicateProcess(YuntanLcaError):
    """Two processes (or factor datasets) share one id."""


class MissingLink(YuntanLcaError):
    """An input names a product (or provider) that no process in the system produces."""


class AmbiguousProvider(YuntanLcaError):
    """An input's product is produced by several processes and the input names none of them."""


class NonPositiveReferenceProduction(YuntanLcaError):
    """A process whose reference product amount is zero or negative."""


class AllocationError(YuntanLcaError):
    """A multi-output process whose allocation cannot be carried out as specified."""


class SingularTechnosphere(YuntanLcaError):
    """The technosphere matrix cannot be solved: a loop produces nothing net, or rows repeat.

    ``processes`` lists the ids of the processes involved so the modeller can fix them.
    """

    def __init__(self, message: str, processes: Iterable[str] = ()) -> None:
        self.processes = tuple(processes)
        super().__init__(message)


class UnproductiveLoop(SingularTechnosphere):
    """A loop of processes that consumes more of its products than it makes: the matrix can be
    solved, but the solution runs activities at negative levels, a number with no meaning."""


class InvalidDistribution(YuntanLcaError):
    """An uncertainty distribution with impossible parameters (e.g. min > max)."""


class InvalidDemand(YuntanLcaError):
    """A functional unit that names no product of the system or has a non-finite amount."""


def check_finite(value: float, where: str) -> float:
    """Return ``value`` as float, or raise :class:`NonFiniteValue` naming ``where``."""
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise NonFiniteValue(
            f"{where}: amount {value!r} is not a finite number; enter a real measured value."
        )
    return number
