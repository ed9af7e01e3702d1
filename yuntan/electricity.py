"""Electricity accounting: location-based and market-based, side by side.

Follows the GHG Protocol Scope 2 Guidance's dual reporting, as ISO 14067 §6.4.9.4 asks for
electricity in product footprints:

- location-based: grid electricity × the average factor of the grid (provincial, regional or
  national, for the reference year);
- market-based: electricity covered by contractual instruments (green electricity certificates
  绿证, green power trading 绿电交易, power purchase agreements) at the instrument's factor, the
  rest at a residual factor. China publishes no residual mix; the closest official figure is
  the MEE national average *excluding market-traded non-fossil electricity*, which the caller
  passes in (or the grid average, flagged as a fallback).

Electricity generated on site and used directly is not grid electricity: it counts at its own
factor in both methods. Claims beyond the consumption are not counted and are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from yuntan.errors import YuntanLcaError, check_finite


class InstrumentKind(StrEnum):
    GREEN_CERTIFICATE = "green_certificate"  # 绿证
    GREEN_POWER_TRADE = "green_power_trade"  # 绿电交易
    POWER_PURCHASE_AGREEMENT = "power_purchase_agreement"
    ONSITE_RENEWABLE = "onsite_renewable"  # 自发自用


@dataclass(frozen=True)
class Instrument:
    """A claim on electricity with its evidence (certificate numbers, contract, meter)."""

    kind: InstrumentKind
    quantity_kwh: float
    factor_kg_per_kwh: float = 0.0
    evidence: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", InstrumentKind(self.kind))
        if check_finite(self.quantity_kwh, f"{self.kind} quantity") < 0:
            raise YuntanLcaError(f"{self.kind}: the quantity cannot be negative.")
        if check_finite(self.factor_kg_per_kwh, f"{self.kind} factor") < 0:
            raise YuntanLcaError(f"{self.kind}: the factor cannot be negative.")
        if self.kind is not InstrumentKind.ONSITE_RENEWABLE and not self.evidence.strip():
            raise YuntanLcaError(
                f"{self.kind}: name the evidence (certificate numbers or contract) for the "
                f"{self.quantity_kwh:g} kWh claimed."
            )


@dataclass(frozen=True)
class ElectricityAccount:
    """Both results, kg CO2 for the consumption, with what they rest on."""

    location_based_kg: float
    market_based_kg: float
    consumed_kwh: float
    grid_kwh: float  # consumption drawn from the grid (consumption minus on-site use)
    covered_kwh: float  # grid electricity covered by instruments (at most grid_kwh)
    residual_kwh: float
    over_claimed_kwh: float  # instrument quantities beyond the grid consumption, not counted
    grid_factor_kg_per_kwh: float
    residual_factor_kg_per_kwh: float
    residual_is_grid_average: bool  # True when no residual factor was given (a fallback)


def account_electricity(
    consumed_kwh: float,
    grid_factor_kg_per_kwh: float,
    instruments: tuple[Instrument, ...] = (),
    residual_factor_kg_per_kwh: float | None = None,
) -> ElectricityAccount:
    """Account ``consumed_kwh`` both ways. Instruments are applied in the order given."""
    consumed = check_finite(consumed_kwh, "electricity consumed")
    grid_factor = check_finite(grid_factor_kg_per_kwh, "grid factor")
    if consumed < 0 or grid_factor < 0:
        raise YuntanLcaError("Electricity consumed and the grid factor cannot be negative.")
    onsite = [i for i in instruments if i.kind is InstrumentKind.ONSITE_RENEWABLE]
    contracts = [i for i in instruments if i.kind is not InstrumentKind.ONSITE_RENEWABLE]
    onsite_kwh = sum(i.quantity_kwh for i in onsite)
    if onsite_kwh > consumed:
        raise YuntanLcaError(
            f"On-site renewable use ({onsite_kwh:g} kWh) exceeds the electricity consumed "
            f"({consumed:g} kWh); report exported electricity separately."
        )
    onsite_kg = sum(i.quantity_kwh * i.factor_kg_per_kwh for i in onsite)
    grid_kwh = consumed - onsite_kwh
    residual_is_grid = residual_factor_kg_per_kwh is None
    residual_factor = grid_factor if residual_factor_kg_per_kwh is None else check_finite(
        residual_factor_kg_per_kwh, "residual factor")
    remaining, covered_kg, over = grid_kwh, 0.0, 0.0
    for instrument in contracts:
        used = min(instrument.quantity_kwh, remaining)
        covered_kg += used * instrument.factor_kg_per_kwh
        over += instrument.quantity_kwh - used
        remaining -= used
    return ElectricityAccount(
        location_based_kg=grid_kwh * grid_factor + onsite_kg,
        market_based_kg=covered_kg + remaining * residual_factor + onsite_kg,
        consumed_kwh=consumed,
        grid_kwh=grid_kwh,
        covered_kwh=grid_kwh - remaining,
        residual_kwh=remaining,
        over_claimed_kwh=over,
        grid_factor_kg_per_kwh=grid_factor,
        residual_factor_kg_per_kwh=residual_factor,
        residual_is_grid_average=residual_is_grid,
    )
