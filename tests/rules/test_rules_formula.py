"""The direct-emission formula language: arithmetic over field ids, nothing else."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuntan.rules import FormulaError, evaluate, formula_names, parse_formula
from yuntan.units import registry

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_it_computes_anode_co2() -> None:
    value = evaluate("anode_net_consumption * 3.664 * carbon_content",
                     {"anode_net_consumption": 0.42, "carbon_content": 0.98})
    assert value == pytest.approx(0.42 * 3.664 * 0.98)


def test_it_respects_precedence_parentheses_and_unary_minus() -> None:
    assert evaluate("-a + b * (c - 1) ** 2 / 4", {"a": 1.0, "b": 2.0, "c": 3.0}) == 1.0


def test_it_lists_the_names_a_formula_reads() -> None:
    assert formula_names("a * 44 / 12 + b ** 2") == {"a", "b"}


def test_it_computes_with_pint_quantities() -> None:
    q = registry().Quantity
    result = evaluate("x * f", {"x": q(2.0, "t"), "f": q(50.0, "percent")})
    assert result.to("kg").magnitude == pytest.approx(1000.0)


@pytest.mark.parametrize("text", [
    "__import__('os').system('true')",
    "a.real",
    "abs(a)",
    "(lambda: 1)()",
    "a[0]",
    "a if b else c",
    "a < b",
    "a and b",
    "a // b",
    "a % b",
    "a @ b",
    "~a",
    "not a",
    "'text'",
    "True",
    "1j",
    "[a]",
    "{a: 1}",
    "f'{a}'",
    "(a := 1)",
    "_secret * 2",
    "import os",
    "a = 1",
    "a +",
    "",
    "a" * 600,
])
def test_it_refuses_anything_but_arithmetic(text: str) -> None:
    with pytest.raises(FormulaError):
        parse_formula(text)


@pytest.mark.parametrize("text,variables,reason", [
    ("a / b", {"a": 1.0, "b": 0.0}, "division by zero"),
    ("10 ** 10 ** 10", {}, "too large"),
    ("a ** 0.5", {"a": -4.0}, "not a real number"),
    ("a * b", {"a": 1.0}, "no value for 'b'"),
])
def test_it_reports_what_cannot_be_evaluated(text: str, variables: dict[str, float],
                                             reason: str) -> None:
    with pytest.raises(FormulaError, match=reason):
        evaluate(text, variables)


def test_it_refuses_to_add_a_mass_and_an_energy() -> None:
    q = registry().Quantity
    with pytest.raises(FormulaError, match="cannot be evaluated"):
        evaluate("a + b", {"a": q(1.0, "kg"), "b": q(1.0, "kWh")})


@given(a=finite, b=finite, c=finite)
def test_it_agrees_with_python_arithmetic(a: float, b: float, c: float) -> None:
    variables = {"a": a, "b": b, "c": c}
    assert evaluate("a + b * c - (a - c)", variables) == pytest.approx(a + b * c - (a - c))
    if b != 0:
        assert evaluate("a / b", variables) == pytest.approx(a / b)
    else:
        with pytest.raises(FormulaError):
            evaluate("a / b", variables)


@given(a=st.floats(min_value=1e-3, max_value=1e3), n=st.integers(min_value=-3, max_value=3))
def test_it_agrees_with_python_powers(a: float, n: int) -> None:
    assert evaluate(f"a ** {n}", {"a": a}) == pytest.approx(a ** n)
    assert evaluate(f"-a ** {n}", {"a": a}) == pytest.approx(-(a ** n))


@given(value=finite)
def test_numbers_are_read_as_floats(value: float) -> None:
    result = evaluate(repr(abs(value)), {})
    assert isinstance(result, float) and math.isclose(result, abs(value))
