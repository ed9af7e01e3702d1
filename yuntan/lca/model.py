"""Plain-data inputs of the engine: processes, exchanges, factor datasets, distributions.

The vocabulary follows ISO 14067 / GB/T 24067: a process has a reference product (its first
output), possibly co-products, inputs of products from other processes or factor datasets,
and elementary flows (greenhouse-gas emissions and removals) identified by gas and origin.
Amounts are per the process's stated output amounts, in any unit pint converts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from yuntan.gwp import Origin
from yuntan.lca.errors import InvalidDistribution

__all__ = [
    "AllocationMethod",
    "Distribution",
    "Emission",
    "FactorDataset",
    "Input",
    "Origin",
    "Output",
    "Pedigree",
    "Process",
]


class AllocationMethod(StrEnum):
    """How a multi-output process shares its burdens (ISO 14067 6.4.6, GB/T 24067 6.4.6)."""

    MASS = "mass"  # physical: mass of each output
    ENERGY = "energy"  # physical: energy content of each output
    ECONOMIC = "economic"  # price of each output
    EXPLICIT = "explicit"  # factors given by the rule pack or the modeller
    SUBSTITUTION = "substitution"  # system expansion: co-products displace other products


class DistributionKind(StrEnum):
    LOGNORMAL = "lognormal"
    NORMAL = "normal"
    TRIANGULAR = "triangular"
    UNIFORM = "uniform"


@dataclass(frozen=True)
class Distribution:
    """Uncertainty of one amount, in the same unit as the amount.

    - lognormal: ``gsd`` is the geometric standard deviation (> 1); the median is the amount.
    - normal: ``sd`` is the standard deviation; the mean is the amount.
    - triangular: ``minimum`` ≤ amount (the mode) ≤ ``maximum``.
    - uniform: ``minimum`` < ``maximum``.
    """

    kind: DistributionKind
    gsd: float | None = None
    sd: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        kind = DistributionKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if kind is DistributionKind.LOGNORMAL and not (self.gsd is not None and self.gsd >= 1):
            raise InvalidDistribution("A lognormal distribution needs a gsd of at least 1.")
        if kind is DistributionKind.NORMAL and not (self.sd is not None and self.sd >= 0):
            raise InvalidDistribution("A normal distribution needs a non-negative sd.")
        bounded = kind in (DistributionKind.TRIANGULAR, DistributionKind.UNIFORM)
        if bounded and (
            self.minimum is None or self.maximum is None or self.minimum > self.maximum
        ):
                raise InvalidDistribution(
                    f"A {kind} distribution needs minimum ≤ maximum (got {self.minimum}, "
                    f"{self.maximum})."
                )

    @classmethod
    def lognormal(cls, gsd: float) -> Distribution:
        return cls(DistributionKind.LOGNORMAL, gsd=gsd)

    @classmethod
    def normal(cls, sd: float) -> Distribution:
        return cls(DistributionKind.NORMAL, sd=sd)

    @classmethod
    def triangular(cls, minimum: float, maximum: float) -> Distribution:
        return cls(DistributionKind.TRIANGULAR, minimum=minimum, maximum=maximum)

    @classmethod
    def uniform(cls, minimum: float, maximum: float) -> Distribution:
        return cls(DistributionKind.UNIFORM, minimum=minimum, maximum=maximum)


@dataclass(frozen=True)
class Pedigree:
    """Data-quality scores 1 (best) … 5 (worst), ecoinvent pedigree matrix indicators.

    ``reliability`` doubles as PEF's precision (P), ``technological``, ``geographical`` and
    ``temporal`` as PEF's TeR, GeR and TiR.
    """

    reliability: int
    completeness: int
    temporal: int
    geographical: int
    technological: int

    def __post_init__(self) -> None:
        for name in ("reliability", "completeness", "temporal", "geographical", "technological"):
            score = getattr(self, name)
            if score not in (1, 2, 3, 4, 5):
                raise InvalidDistribution(f"Pedigree score {name}={score!r} must be 1 … 5.")

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (
            self.reliability,
            self.completeness,
            self.temporal,
            self.geographical,
            self.technological,
        )


@dataclass(frozen=True)
class Emission:
    """An elementary flow: a mass of one gas emitted (or, for uptake, removed) by a process.

    Removals (``Origin.BIOGENIC_UPTAKE``) are entered as positive masses of CO2 taken up; the
    engine books them as negative emissions.
    """

    gas: str
    amount: float
    unit: str = "kg"
    origin: Origin = Origin.FOSSIL
    uncertainty: Distribution | None = None
    pedigree: Pedigree | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", Origin(self.origin))


@dataclass(frozen=True)
class Input:
    """A product consumed by a process: from another process, a factor dataset, or waste sent
    to treatment (``waste=True``: the amount of waste, provided by its treatment process).

    ``provider`` names the process when several produce the same product. ``recycled`` inputs
    without a provider are cut off (recycled-content method: the burden stays with the first
    life), and listed on the result.
    """

    product: str
    amount: float
    unit: str
    provider: str | None = None
    waste: bool = False
    recycled: bool = False
    uncertainty: Distribution | None = None
    pedigree: Pedigree | None = None


@dataclass(frozen=True)
class Output:
    """A product made by a process. The first output of a process is its reference product.

    ``properties`` carry what allocation needs per unit of output: ``mass_kg``,
    ``energy_mj``, ``price`` (any one currency within a process). ``allocation_factor`` is
    used by explicit allocation, ``substitutes`` (a product id) and ``substitution_ratio``
    by system expansion.
    """

    product: str
    amount: float
    unit: str
    name: str = ""
    properties: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    allocation_factor: float | None = None
    substitutes: str | None = None
    substitution_ratio: float = 1.0


@dataclass(frozen=True)
class Process:
    """A unit process (单元过程) of the product system."""

    id: str
    outputs: tuple[Output, ...]
    inputs: tuple[Input, ...] = ()
    emissions: tuple[Emission, ...] = ()
    name: str = ""
    stage: str | None = None
    allocation: AllocationMethod | None = None
    primary: bool = False
    pedigree: Pedigree | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outputs", tuple(self.outputs))
        object.__setattr__(self, "inputs", tuple(self.inputs))
        object.__setattr__(self, "emissions", tuple(self.emissions))
        if self.allocation is not None:
            object.__setattr__(self, "allocation", AllocationMethod(self.allocation))

    @property
    def reference(self) -> Output:
        return self.outputs[0]


@dataclass(frozen=True)
class FactorDataset:
    """An aggregated footprint per unit of a good or service (排放因子), e.g. kg of each gas per
    kWh of Yunnan grid electricity. In the product system it acts as a one-column process.
    ``version`` is kept on the result so every figure traces back to the factor it used.
    """

    id: str
    unit: str
    emissions: tuple[Emission, ...]
    name: str = ""
    version: str = ""
    stage: str | None = None
    primary: bool = False
    pedigree: Pedigree | None = None

    def as_process(self) -> Process:
        label = f"{self.id}@{self.version}" if self.version else self.id
        return Process(
            id=self.id,
            name=self.name or label,
            outputs=(Output(product=self.id, amount=1.0, unit=self.unit, name=self.name),),
            emissions=tuple(self.emissions),
            stage=self.stage,
            primary=self.primary,
            pedigree=self.pedigree,
        )
