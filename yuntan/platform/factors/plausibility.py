"""Plausibility of a factor version's values, checked when a draft is saved, reviewed and
published: the sign and physical bounds of each value, and its magnitude against the
previous version of the same dataset (a change of more than :data:`MAX_RATIO` times needs
the curator's stated reason). The reviewer sees :func:`diff` on the review page."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_RATIO = 3.0

# Physical upper bounds of fossil CO2 per unit: (category, unit) → kg CO2 per unit.
# Burning a fuel cannot emit more CO2 than its carbon allows: pure carbon gives 44/12 kg CO2
# per kg; no power plant emits more than about 1.2 kg CO2 per kWh (lignite), 1.5 allows for
# small diesel sets.
CARBON_CO2_PER_KG = 44.0 / 12.0
CO2_BOUNDS: dict[tuple[str, str], float] = {
    ("fuel_combustion", "kg"): CARBON_CO2_PER_KG,
    ("fuel_combustion", "t"): CARBON_CO2_PER_KG * 1000,
    ("energy", "kWh"): 1.5,
    ("energy", "MWh"): 1500.0,
}


@dataclass(frozen=True)
class ValueChange:
    """One value of a version beside the previous version's."""

    gas: str
    origin: str
    previous: float | None
    new: float | None

    @property
    def ratio(self) -> float | None:
        if self.previous is None or self.new is None or self.previous == 0 or self.new == 0:
            return None
        return self.new / self.previous

    @property
    def large(self) -> bool:
        """More than :data:`MAX_RATIO` times larger or smaller (or a value appearing from,
        or falling to, zero)."""
        if self.previous is None or self.new is None:
            return False
        if (self.previous == 0) != (self.new == 0):
            return True
        ratio = self.ratio
        return ratio is not None and not (1 / MAX_RATIO <= ratio <= MAX_RATIO)


Values = Iterable[tuple[str, str, float]]  # (gas, origin, kg per unit)


def value_problems(values: Values, category: str, unit: str) -> list[str]:
    """What is physically impossible in ``values``: a non-finite or negative value (an
    uptake is stored positive with origin ``biogenic_uptake``), or fossil CO2 above what
    the fuel's carbon or any power plant allows."""
    problems = []
    for gas, origin, amount in values:
        if not math.isfinite(amount):
            problems.append(_("%(gas)s (%(origin)s): %(amount)s is not a number.")
                            % {"gas": gas, "origin": origin, "amount": amount})
        elif amount < 0:
            problems.append(_("%(gas)s (%(origin)s) is negative (%(amount)g): values are "
                              "stored positive; an uptake is a positive value with origin "
                              "biogenic_uptake.")
                            % {"gas": gas, "origin": origin, "amount": amount})
        elif gas == "CO2" and origin == "fossil" and amount > CO2_BOUNDS.get(
                (category, unit), math.inf):
            problems.append(_("%(gas)s (%(origin)s) of %(amount)g kg per %(unit)s is more than "
                              "is physically possible (%(bound)g).")
                            % {"gas": gas, "origin": origin, "amount": amount, "unit": unit,
                               "bound": CO2_BOUNDS[(category, unit)]})
    return problems


def diff(values: Values, previous: Values) -> list[ValueChange]:
    """The values beside the previous version's, by gas and origin."""
    new = {(gas, origin): amount for gas, origin, amount in values}
    old = {(gas, origin): amount for gas, origin, amount in previous}
    return [ValueChange(gas, origin, old.get((gas, origin)), new.get((gas, origin)))
            for gas, origin in sorted(set(new) | set(old))]


def large_changes(values: Values, previous: Values) -> list[ValueChange]:
    return [change for change in diff(values, previous) if change.large]


def as_values(rows: Iterable[Any]) -> list[tuple[str, str, float]]:
    """(gas, origin, kg per unit) of FactorValue rows or FactorValueInput values."""
    return [(str(row.gas), str(row.origin), float(row.amount_kg_per_unit)) for row in rows]
