"""Units: parsing and conversion of reported amounts with pint, including Chinese units.

Conversion happens at the input boundary: the engine only sees numbers in each product's
reference unit. A wrong dimension is an error naming the exchange it came from.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import pint

from yuntan.errors import DimensionMismatch, UnknownUnit, check_finite

# Characters people type that pint's parser does not read as multiplication.
_MULTIPLY_SIGNS = str.maketrans({"·": "*", "×": "*", "⋅": "*", "•": "*"})

# The unit grammar accepted before pint sees the text: pint evaluates what it parses as
# Python arithmetic, so "kWh**(9**9**9)" would compute a number with 10^8 digits for hours.
MAX_UNIT_LENGTH = 64
MAX_EXPONENT = 6
MAX_UNIT_NAMES = 8
MAX_PARENTHESES = 3
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<power>(?:\*\*|\^)\s*(?P<exponent>[-+]?\d{1,3})(?![\d.]))
  | (?P<badpower>\*\*|\^)
  | (?P<op>[*/])
  | (?P<open>\()
  | (?P<close>\))
  | (?P<number>\d{1,12}(?:\.\d{1,12})?(?![\d.\w]))
  | (?P<name>%|[^\W\d_]\w*)
""", re.VERBOSE)


@cache
def registry() -> pint.UnitRegistry[Any]:
    """The shared unit registry with the Chinese units of ``yuntan/data/units``."""
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    definitions = resources.files("yuntan.data.units").joinpath("chinese_units.txt")
    with resources.as_file(definitions) as path:
        ureg.load_definitions(str(path))
    return ureg


def normalise_unit_text(text: str) -> str:
    """Spell a unit the way pint parses it (``t·km`` → ``t*km``, ``Nm³`` → ``Nm3``)."""
    # Pint reads "³" as a power, which would make Nm³ "newton metre cubed".
    return text.strip().translate(_MULTIPLY_SIGNS).replace("Nm³", "Nm3")


@cache
def parse_unit(text: str) -> Any:
    """Parse ``text`` into a pint unit, or raise :class:`UnknownUnit`."""
    ureg = registry()
    spelled = normalise_unit_text(text)
    if not spelled:
        raise UnknownUnit("An empty unit was given; write the unit, e.g. 'kg', '吨', '度', 't*km'.")
    _check_grammar(text, spelled, ureg)
    try:
        return ureg.parse_units(spelled)
    # Pint's parser fails on malformed text in many ways (UndefinedUnitError, but also
    # AssertionError for "kg/" or tokenize.TokenError for "(kg"): all mean "not a unit".
    except Exception as exc:
        raise _unknown(text) from exc


def _unknown(text: str) -> UnknownUnit:
    return UnknownUnit(
        f"Unknown unit {text[:MAX_UNIT_LENGTH]!r}; use a unit such as kg, t, 吨, kWh, 度, "
        f"万千瓦时, tce, Nm3, t*km, or add it to yuntan/data/units/chinese_units.txt.")


def _check_grammar(text: str, spelled: str, ureg: pint.UnitRegistry[Any]) -> None:
    """Refuse text outside the unit grammar: known unit names, numbers, ``*``, ``/``,
    parentheses and small integer exponents (``m**2``, ``s^-1``), within a length cap."""
    def refuse(reason: str) -> UnknownUnit:
        return UnknownUnit(f"Not a unit {text[:MAX_UNIT_LENGTH]!r}: {reason}.")

    if len(spelled) > MAX_UNIT_LENGTH:
        raise refuse(f"longer than {MAX_UNIT_LENGTH} characters")
    depth = names = 0
    position = 0
    previous = ""
    while position < len(spelled):
        match = _TOKEN.match(spelled, position)
        if match is None:
            raise refuse(f"{spelled[position]!r} has no meaning in a unit")
        kind = match.lastgroup if match.lastgroup != "exponent" else "power"
        position = match.end()
        if kind == "space":
            continue
        if kind == "badpower":
            raise refuse(f"an exponent is a whole number from -{MAX_EXPONENT} to {MAX_EXPONENT}")
        if kind == "power":
            if previous not in ("name", "close"):
                raise refuse("an exponent must follow a unit name or a parenthesis")
            if abs(int(match.group("exponent"))) > MAX_EXPONENT:
                raise refuse(f"exponents go from -{MAX_EXPONENT} to {MAX_EXPONENT}")
        elif kind == "open":
            depth += 1
            if depth > MAX_PARENTHESES:
                raise refuse(f"more than {MAX_PARENTHESES} nested parentheses")
        elif kind == "close":
            depth -= 1
        elif kind == "name":
            names += 1
            if names > MAX_UNIT_NAMES:
                raise refuse(f"more than {MAX_UNIT_NAMES} unit names")
            if not _known(ureg, match.group()):
                raise _unknown(text)
        previous = kind or ""


def _known(ureg: pint.UnitRegistry[Any], name: str) -> bool:
    try:
        return name in ureg
    except Exception:  # pint looks some names up as attributes
        return False


@cache
def _factor(from_unit: str, to_unit: str) -> float:
    if from_unit == to_unit:
        return 1.0
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float(registry().Quantity(1.0, source).to(target).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise DimensionMismatch(
            f"cannot convert {from_unit!r} ({source.dimensionality}) to {to_unit!r} "
            f"({target.dimensionality}); report the amount in a unit of the same kind as "
            f"{to_unit!r}."
        ) from exc


def conversion_factor(from_unit: str, to_unit: str, where: str = "") -> float:
    """The number that turns an amount in ``from_unit`` into ``to_unit``.

    ``where`` names the exchange for the error message, e.g. ``"process 'smelting', input
    'electricity'"``.
    """
    try:
        return _factor(from_unit, to_unit)
    except (UnknownUnit, DimensionMismatch) as exc:
        if not where:
            raise
        raise type(exc)(f"{where}: {exc}") from exc


def convert(amount: float, from_unit: str, to_unit: str, where: str = "") -> float:
    """Convert ``amount`` from ``from_unit`` to ``to_unit`` (finite amounts only)."""
    value = check_finite(amount, where or "amount")
    return value * conversion_factor(from_unit, to_unit, where)
