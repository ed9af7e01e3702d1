"""The direct-emission formula language of rule packs: arithmetic over activity-data fields.

A formula is one Python *expression* read with :mod:`ast` and walked by hand, never
``eval``: numbers, names of fields, ``+ - * / **``, unary ``+``/``-`` and parentheses.
Anything else (attribute access, calls, subscripts, comparisons, lambdas, strings) is
refused when the pack is loaded. Numbers are read as floats, so ``10 ** 10 ** 10`` overflows
at once instead of building a huge integer.

The same walk evaluates plain floats and pint quantities, which is how a pack's formulas
are checked for dimension at load time (every field given as one unit of its own unit).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from yuntan.rules.errors import FormulaError

MAX_FORMULA_CHARS = 500

_BINARY: Mapping[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: Mapping[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}


def _check(node: ast.AST, text: str) -> None:
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise FormulaError(
                f"formula {text!r}: operator {type(node.op).__name__} is not allowed; "
                f"use + - * / ** only."
            )
        _check(node.left, text)
        _check(node.right, text)
    elif isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise FormulaError(
                f"formula {text!r}: unary {type(node.op).__name__} is not allowed."
            )
        _check(node.operand, text)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(
                f"formula {text!r}: only numbers are allowed as constants, not {value!r}."
            )
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise FormulaError(f"formula {text!r}: names may not start with '_' ({node.id}).")
    else:
        raise FormulaError(
            f"formula {text!r}: {type(node).__name__} is not allowed; a formula is arithmetic "
            f"(+ - * / ** and parentheses) over numbers and field ids."
        )


@cache
def parse_formula(text: str) -> ast.Expression:
    """Parse and check ``text``; raise :class:`FormulaError` for anything not allowed."""
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(f"formula is longer than {MAX_FORMULA_CHARS} characters.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {text!r} is not a valid expression: {exc.msg}.") from None
    _check(tree.body, text)
    return tree


def formula_names(text: str) -> frozenset[str]:
    """The field ids a formula reads."""
    tree = parse_formula(text)
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def _evaluate(node: ast.AST, variables: Mapping[str, Any], text: str) -> Any:
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, variables, text)
        right = _evaluate(node.right, variables, text)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, variables, text))
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in variables:
            raise FormulaError(f"formula {text!r}: no value for {node.id!r}.")
        return variables[node.id]
    raise FormulaError(f"formula {text!r}: {type(node).__name__} is not allowed.")  # checked


def evaluate(text: str, variables: Mapping[str, Any]) -> Any:
    """Evaluate formula ``text`` with ``variables`` (floats, or pint quantities).

    >>> evaluate("anode_net_consumption * carbon_content * 44 / 12",
    ...          {"anode_net_consumption": 0.42, "carbon_content": 0.98})  # doctest: +ELLIPSIS
    1.509...
    """
    tree = parse_formula(text)
    try:
        result = _evaluate(tree.body, variables, text)
    except ZeroDivisionError:
        raise FormulaError(f"formula {text!r}: division by zero.") from None
    except OverflowError:
        raise FormulaError(f"formula {text!r}: the result is too large.") from None
    except FormulaError:
        raise
    except (TypeError, ValueError, ArithmeticError) as exc:
        # pint raises DimensionalityError (a TypeError/ValueError) e.g. for kg + kWh or
        # a power with a dimensioned exponent; complex results of a negative base ** 0.5.
        raise FormulaError(f"formula {text!r} cannot be evaluated: {exc}") from None
    # A negative base to a fractional power gives a complex number, not an emission.
    if isinstance(getattr(result, "magnitude", result), complex):
        raise FormulaError(f"formula {text!r}: the result is not a real number.")
    return result
