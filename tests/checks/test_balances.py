"""Mass balance of a process and carbon balance of process emissions."""

from __future__ import annotations

import pytest
from checks_fixtures import ALUMINIUM, aluminium, rules_of, with_

from yuntan.checks import (
    MassBalance,
    UnknownField,
    check_carbon_balance,
    check_mass_balance,
    mass_balance_of,
)
from yuntan.rules import get_pack


def test_a_balanced_casting_raises_nothing() -> None:
    assert check_mass_balance(aluminium(), with_(aluminium_ingot_output=(980, "t"))) == []


@pytest.mark.parametrize("ingot_t,severity", [
    (1100, "high"),  # 10 % more metal out than in
    (920, "medium"),  # 8 % unexplained loss
    (800, "high"),  # 20 % loss
])
def test_it_flags_an_imbalanced_casting(ingot_t: float, severity: str) -> None:
    found = check_mass_balance(aluminium(), with_(aluminium_ingot_output=(ingot_t, "t")))
    assert rules_of(found) == [("mass-imbalance", severity)]
    assert found[0].fields == ("liquid_aluminium_cast", "aluminium_ingot_output")


def test_declared_losses_close_the_balance() -> None:
    data = with_(aluminium_ingot_output=(900, "t"))
    assert check_mass_balance(aluminium(), data, declared_losses={"casting": (60, "t")}) == []


def test_only_mass_fields_balance() -> None:
    with pytest.raises(UnknownField, match="not a mass"):
        check_mass_balance(aluminium(), ALUMINIUM, [MassBalance(
            "casting", ("liquid_aluminium_cast", "casting_natural_gas"),
            ("aluminium_ingot_output",))])
    derived = mass_balance_of(aluminium(), "casting")
    assert "casting_natural_gas" not in derived.inputs
    assert derived.outputs == ("aluminium_ingot_output",)


def test_packs_without_a_meaningful_balance_are_not_balanced() -> None:
    tea = {"fresh_leaf_input": (20000, "kg"), "made_tea_output": (4500, "kg")}
    assert check_mass_balance(get_pack("tea"), tea) == []


def test_reported_anode_co2_matching_the_carbon_balance_raises_nothing() -> None:
    derived_t = 420 * 0.98 * 44.0095 / 12.0107
    found = check_carbon_balance(aluminium(), ALUMINIUM, {"anode-co2": (derived_t * 1.01, "t")})
    assert found == []


@pytest.mark.parametrize("factor,severity", [(0.9, "medium"), (0.5, "high")])
def test_it_flags_reported_anode_co2_off_the_carbon_balance(factor: float,
                                                             severity: str) -> None:
    derived_t = 420 * 0.98 * 44.0095 / 12.0107
    found = check_carbon_balance(aluminium(), ALUMINIUM,
                                 {"anode-co2": (derived_t * factor * 1000, "kg")})
    assert rules_of(found) == [("carbon-deviation", severity)]
    assert found[0].numbers["derived"] == pytest.approx(derived_t)
    assert set(found[0].fields) == {"anode_net_consumption", "anode_carbon_content"}


def test_anode_carbon_below_stoichiometry_is_high() -> None:
    # 420 t anode at 70 % carbon: 0.294 t C per t Al < 0.3339 needed by the reaction.
    found = check_carbon_balance(aluminium(), with_(anode_carbon_content=(70, "percent")))
    assert rules_of(found) == [("carbon-below-stoichiometry", "high")]
    assert found[0].numbers["ratio"] == pytest.approx(0.294)


def test_other_packs_formulas_are_compared_too() -> None:
    data = {"phosphate_rock": (1300, "t"), "rock_co2_mass_fraction": (3, "percent")}
    found = check_carbon_balance(get_pack("ammonium-phosphate"), data,
                                 {"rock-carbonate-co2": (60, "t")})
    assert rules_of(found) == [("carbon-deviation", "high")]  # 60 t against 39 t
    assert rules_of(check_carbon_balance(aluminium(), ALUMINIUM, {"nope": (1, "t")})) == [
        ("carbon-unknown-formula", "low")]
