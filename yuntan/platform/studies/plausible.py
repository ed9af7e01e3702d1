"""The bounds a supplier footprint must keep, typed in or received through PACT."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from yuntan.errors import YuntanLcaError
from yuntan.units import conversion_factor

# SF6 (GWP100 about 25,000) is the most CO2e a kilogram of any product carries; a mass
# footprint above this is a unit or typing error.
MAX_KG_CO2E_PER_KG = 1e5
# Any other declared unit (a piece, a kWh, a m³): a bound no real product reaches.
MAX_KG_CO2E_PER_UNIT = 1e9


def footprint_problem(kg_co2e_per_unit: float, unit: str) -> str | None:
    """Why ``kg_co2e_per_unit`` per ``unit`` is not a usable supplier footprint, or None."""
    if not math.isfinite(kg_co2e_per_unit) or kg_co2e_per_unit < 0:
        return _("Enter a footprint of zero or more.")
    try:
        per_kg = kg_co2e_per_unit / conversion_factor(unit, "kg")
    except YuntanLcaError:  # not a mass
        if kg_co2e_per_unit > MAX_KG_CO2E_PER_UNIT:
            return _("%(value)s kg CO2e per %(unit)s is beyond any real product; check the "
                     "value and its unit.") % {"value": f"{kg_co2e_per_unit:.3g}", "unit": unit}
        return None
    if per_kg > MAX_KG_CO2E_PER_KG:
        return _("%(value)s kg CO2e per %(unit)s is more than %(max)s kg CO2e per kg, beyond "
                 "any real product; check the value and its unit.") % {
            "value": f"{kg_co2e_per_unit:.3g}", "unit": unit, "max": f"{MAX_KG_CO2E_PER_KG:,.0f}"}
    return None
