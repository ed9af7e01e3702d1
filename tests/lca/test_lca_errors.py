"""One error family: each class raised for its condition, with a message naming the thing."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import pytest
import scipy.sparse as sp
from lca_helpers import aluminium_chain, grid_factor

import yuntan.errors
from yuntan.gwp import get_gwp_set
from yuntan.lca import (
    Distribution,
    Emission,
    Input,
    MatrixSystem,
    Output,
    Pedigree,
    Process,
    build_system,
    footprint,
)
from yuntan.lca import errors as E
from yuntan.units import conversion_factor


def chain_system() -> MatrixSystem:
    return build_system(*aluminium_chain())


def smelter_with(**changes: object) -> Process:
    fields: dict[str, object] = {
        "id": "smelter",
        "outputs": (Output("aluminium", 1, "t"),),
        "inputs": (Input("grid", 13_500, "kWh"),),
    }
    fields.update(changes)
    return Process(**fields)  # type: ignore[arg-type]


def build_smelter(**changes: object) -> MatrixSystem:
    return build_system([smelter_with(**changes)], [grid_factor()])


def two_output(**changes: object) -> MatrixSystem:
    fields: dict[str, object] = {
        "id": "refinery",
        "outputs": (Output("A", 1, "kg"), Output("B", 1, "kg")),
        "allocation": "explicit",
    }
    fields.update(changes)
    return build_system([Process(**fields)])  # type: ignore[arg-type]


def singular_loop() -> None:
    # Power plant: 0.5 kg coal per kWh; mine: 2 kWh per kg coal. det A = 1 − 0.5 × 2 = 0.
    plant = Process("power plant", (Output("electricity", 1, "kWh"),),
                    inputs=(Input("coal", 0.5, "kg"),), emissions=(Emission("CO2", 0.9),))
    mine = Process("mine", (Output("coal", 1, "kg"),), inputs=(Input("electricity", 2, "kWh"),))
    footprint(build_system([plant, mine]), {"electricity": 1})


def overconsuming_loop() -> None:
    # 0.6 kg coal per kWh and 2 kWh per kg coal: the loop uses 1.2 of what it makes.
    plant = Process("power plant", (Output("electricity", 1, "kWh"),),
                    inputs=(Input("coal", 0.6, "kg"),), emissions=(Emission("CO2", 0.9),))
    mine = Process("mine", (Output("coal", 1, "kg"),), inputs=(Input("electricity", 2, "kWh"),))
    footprint(build_system([plant, mine]), {"electricity": 1})


NAN = float("nan")
INF = float("inf")

# (case id, action, error class, fragments the message must contain)
CASES: list[tuple[str, Callable[[], object], type[Exception], tuple[str, ...]]] = [
    ("unknown unit", lambda: conversion_factor("furlongz", "kg"), E.UnknownUnit,
     ("'furlongz'",)),
    ("empty unit", lambda: conversion_factor("", "kg"), E.UnknownUnit, ("empty unit",)),
    ("unknown unit on an input", lambda: build_smelter(inputs=(Input("grid", 1, "furlongz"),)),
     E.UnknownUnit, ("'furlongz'",)),
    ("wrong dimension", lambda: build_smelter(inputs=(Input("grid", 1, "kg"),)),
     E.DimensionMismatch, ("process 'smelter'", "input 'grid'", "'kg'", "'kWh'")),
    ("unknown gas", lambda: build_smelter(emissions=(Emission("CO3", 1),)), E.UnknownGas,
     ("process 'smelter'", "'CO3'")),
    ("gas without a GWP", lambda: get_gwp_set("AR6").factor("H2O", "fossil"), E.UnknownGas,
     ("'H2O'", "AR6")),
    ("unknown GWP set", lambda: footprint(chain_system(), {"aluminium": 1}, gwp_set="AR7"),
     E.UnknownGwpSet, ("'AR7'", "AR4", "AR5", "AR6")),
    ("NaN input", lambda: build_smelter(inputs=(Input("grid", NAN, "kWh"),)), E.NonFiniteValue,
     ("process 'smelter'", "input 'grid'", "nan")),
    ("infinite emission", lambda: build_smelter(emissions=(Emission("CO2", INF),)),
     E.NonFiniteValue, ("process 'smelter'", "emission 'CO2'", "inf")),
    ("NaN output", lambda: build_smelter(outputs=(Output("aluminium", NAN, "t"),)),
     E.NonFiniteValue, ("process 'smelter'", "'aluminium'")),
    ("NaN in a ready matrix",
     lambda: MatrixSystem.from_matrices(sp.csc_matrix(np.array([[1.0, 0.0], [NAN, 1.0]])),
                                        sp.csc_matrix((1, 2)), ["x", "y"], [("CO2", "fossil")]),
     E.NonFiniteValue, ("technosphere", "'x'")),
    ("duplicate process", lambda: build_system([smelter_with(), smelter_with()], [grid_factor()]),
     E.DuplicateProcess, ("'smelter'",)),
    ("process named like a factor dataset",
     lambda: build_system([smelter_with(id="grid")], [grid_factor()]), E.DuplicateProcess,
     ("'grid'",)),
    ("missing product", lambda: build_smelter(inputs=(Input("alumina", 2, "t"),)), E.MissingLink,
     ("process 'smelter'", "input 'alumina'", "product 'alumina'")),
    ("missing provider",
     lambda: build_smelter(inputs=(Input("grid", 1, "kWh", provider="hydro"),)), E.MissingLink,
     ("process 'smelter'", "provider 'hydro'", "product 'grid'")),
    ("ambiguous provider",
     lambda: build_system([
         smelter_with(inputs=(Input("electricity", 1, "kWh"),)),
         Process("hydro", (Output("electricity", 1, "kWh"),)),
         Process("coal power", (Output("electricity", 1, "kWh"),)),
     ]), E.AmbiguousProvider, ("process 'smelter'", "'electricity'", "'hydro'", "'coal power'")),
    ("zero reference amount", lambda: build_smelter(outputs=(Output("aluminium", 0, "t"),)),
     E.NonPositiveReferenceProduction, ("process 'smelter'", "'aluminium'")),
    ("negative reference amount", lambda: build_smelter(outputs=(Output("aluminium", -1, "t"),)),
     E.NonPositiveReferenceProduction, ("process 'smelter'", "-1")),
    ("no output", lambda: build_smelter(outputs=()), E.NonPositiveReferenceProduction,
     ("'smelter'",)),
    ("self-consumption eats the output",
     lambda: build_smelter(inputs=(Input("aluminium", 1.5, "t"),)),
     E.NonPositiveReferenceProduction, ("'smelter'",)),
    ("no allocation method", lambda: two_output(allocation=None), E.AllocationError,
     ("'refinery'", "2 outputs")),
    ("explicit factor missing", lambda: two_output(), E.AllocationError,
     ("'refinery'", "output 'A'", "allocation_factor")),
    ("explicit factors not adding to 1",
     lambda: two_output(outputs=(Output("A", 1, "kg", allocation_factor=0.5),
                                 Output("B", 1, "kg", allocation_factor=0.4))),
     E.AllocationError, ("'refinery'", "0.9")),
    ("economic without price", lambda: two_output(allocation="economic"), E.AllocationError,
     ("'refinery'", "output 'A'", "price")),
    ("negative mass key",
     lambda: two_output(allocation="mass",
                        outputs=(Output("A", 1, "kg"), Output("B", -3, "kg"))),
     E.AllocationError, ("'refinery'", "non-negative")),
    ("substitution without displaced product", lambda: two_output(allocation="substitution"),
     E.AllocationError, ("'refinery'", "co-product 'B'", "substitutes")),
    ("singular loop", singular_loop, E.SingularTechnosphere, ("power plant", "mine")),
    ("loop consuming more than it makes", overconsuming_loop, E.UnproductiveLoop,
     ("power plant", "mine", "negative levels")),
    ("non-square matrix",
     lambda: MatrixSystem.from_matrices(sp.csc_matrix((2, 3)), sp.csc_matrix((1, 3)),
                                        ["x", "y"], [("CO2", "fossil")]),
     E.SingularTechnosphere, ("2×3",)),
    ("empty demand", lambda: footprint(chain_system(), {}), E.InvalidDemand,
     ("functional unit is empty",)),
    ("unknown demand", lambda: footprint(chain_system(), {"copper": 1}), E.InvalidDemand,
     ("'copper'",)),
    ("lognormal gsd below 1", lambda: Distribution.lognormal(0.5), E.InvalidDistribution,
     ("gsd",)),
    ("negative sd", lambda: Distribution.normal(-1.0), E.InvalidDistribution, ("sd",)),
    ("triangular minimum above maximum", lambda: Distribution.triangular(3.0, 1.0),
     E.InvalidDistribution, ("3.0", "1.0")),
    ("uniform without bounds", lambda: Distribution("uniform", minimum=1.0),
     E.InvalidDistribution, ("uniform",)),
    ("pedigree score 6", lambda: Pedigree(1, 1, 1, 1, 6), E.InvalidDistribution,
     ("technological=6",)),
    ("pedigree score 0", lambda: Pedigree(0, 1, 1, 1, 1), E.InvalidDistribution,
     ("reliability=0",)),
]


@pytest.mark.parametrize("action,error,fragments",
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_it_raises_the_error_named_for_the_condition(
    action: Callable[[], object], error: type[Exception], fragments: tuple[str, ...]
) -> None:
    with pytest.raises(error) as caught:
        action()

    for fragment in fragments:
        assert fragment in str(caught.value)


def test_it_lists_the_processes_of_a_singular_loop() -> None:
    with pytest.raises(E.SingularTechnosphere) as caught:
        singular_loop()

    assert caught.value.processes == ("power plant", "mine")


def test_it_roots_every_error_in_one_family() -> None:
    classes = [obj for _, obj in inspect.getmembers(E, inspect.isclass)
               if issubclass(obj, Exception)]

    assert len(classes) == 15
    for cls in classes:
        assert issubclass(cls, E.YuntanLcaError)
        assert cls.__doc__, f"{cls.__name__} needs a docstring naming its condition"
    tested = {case[2] for case in CASES}
    assert tested == set(classes) - {E.YuntanLcaError}


def test_it_reexports_the_same_classes_as_yuntan_errors() -> None:
    assert E.SingularTechnosphere is yuntan.errors.SingularTechnosphere
    assert E.check_finite is yuntan.errors.check_finite


def test_it_returns_finite_values_as_floats() -> None:
    assert E.check_finite(3, "somewhere") == 3.0
    assert isinstance(E.check_finite(np.float32(1.5), "somewhere"), float)


# --- Error cases found by the first test run ------------------------------------------------


def test_it_raises_invalid_demand_for_a_non_finite_demand_amount() -> None:
    with pytest.raises(E.InvalidDemand):
        footprint(chain_system(), {"aluminium": NAN})


def test_it_names_the_process_and_exchange_of_an_unknown_unit() -> None:
    with pytest.raises(E.UnknownUnit, match="process 'smelter', input 'grid'"):
        build_smelter(inputs=(Input("grid", 1, "furlongz"),))


def test_it_refuses_a_demand_for_a_product_with_two_producers() -> None:
    system = build_system([
        Process("hydro", (Output("electricity", 1, "kWh"),), emissions=(Emission("CO2", 0.01),)),
        Process("coal power", (Output("electricity", 1, "kWh"),),
                emissions=(Emission("CO2", 1.0),)),
    ])

    with pytest.raises(E.AmbiguousProvider, match="hydro, coal power"):
        footprint(system, {"electricity": 1})


def test_it_accepts_a_demand_naming_the_activity_when_a_product_has_two_producers() -> None:
    system = build_system([
        Process("hydro", (Output("electricity", 1, "kWh"),), emissions=(Emission("CO2", 0.01),)),
        Process("coal power", (Output("electricity", 1, "kWh"),),
                emissions=(Emission("CO2", 1.0),)),
    ])

    assert footprint(system, {"coal power": 1}).total == pytest.approx(1.0)
    assert footprint(system, {"hydro": 1}).total == pytest.approx(0.01)

