"""The plain-data inputs: processes, exchanges, factor datasets, distributions, pedigree."""

from __future__ import annotations

import dataclasses

import pytest

from yuntan.gwp import Origin
from yuntan.lca import (
    AllocationMethod,
    Distribution,
    Emission,
    FactorDataset,
    Input,
    Output,
    Pedigree,
    Process,
)
from yuntan.lca.model import DistributionKind


def test_it_builds_each_kind_of_distribution() -> None:
    assert Distribution.lognormal(1.5) == Distribution(DistributionKind.LOGNORMAL, gsd=1.5)
    assert Distribution.normal(0.2).sd == 0.2
    assert (Distribution.triangular(1, 3).minimum, Distribution.triangular(1, 3).maximum) == (1, 3)
    assert Distribution.uniform(0, 1).kind is DistributionKind.UNIFORM


def test_it_reads_the_distribution_kind_from_text() -> None:
    assert Distribution("lognormal", gsd=1.1).kind is DistributionKind.LOGNORMAL


def test_it_accepts_a_certain_lognormal_and_a_zero_sd() -> None:
    # gsd 1 and sd 0 mean "no spread"; build_system then adds no uncertainty entry.
    assert Distribution.lognormal(1.0).gsd == 1.0
    assert Distribution.normal(0.0).sd == 0.0


def test_it_keeps_pedigree_scores_in_indicator_order() -> None:
    pedigree = Pedigree(reliability=1, completeness=2, temporal=3, geographical=4,
                        technological=5)

    assert pedigree.as_tuple() == (1, 2, 3, 4, 5)


def test_it_reads_the_origin_of_an_emission_from_text() -> None:
    emission = Emission("CO2", 1.6, origin="biogenic_uptake")  # type: ignore[arg-type]

    assert emission.origin is Origin.BIOGENIC_UPTAKE
    assert emission.unit == "kg"
    assert Emission("CH4", 1).origin is Origin.FOSSIL


def test_it_makes_the_first_output_the_reference_product() -> None:
    process = Process(
        "refinery",
        [Output("A", 1, "kg"), Output("B", 2, "kg")],  # type: ignore[arg-type]
        inputs=[Input("grid", 1, "kWh")],  # type: ignore[arg-type]
        allocation="mass",  # type: ignore[arg-type]
    )

    assert process.reference.product == "A"
    assert isinstance(process.outputs, tuple)
    assert isinstance(process.inputs, tuple)
    assert process.allocation is AllocationMethod.MASS


def test_it_rejects_an_unknown_allocation_method() -> None:
    with pytest.raises(ValueError, match="'weight'"):
        Process("p", (Output("A", 1, "kg"),), allocation="weight")  # type: ignore[arg-type]


def test_it_turns_a_factor_dataset_into_a_one_column_process() -> None:
    scores = Pedigree(2, 2, 2, 2, 2)
    grid = FactorDataset("yn-grid", "kWh", (Emission("CO2", 0.1073),), name="",
                         version="2023", stage="production", primary=True, pedigree=scores)

    process = grid.as_process()

    assert process.id == "yn-grid"
    assert process.name == "yn-grid@2023"
    assert process.outputs == (Output("yn-grid", 1.0, "kWh", name=""),)
    assert process.emissions == (Emission("CO2", 0.1073),)
    assert (process.stage, process.primary, process.pedigree) == ("production", True, scores)
    assert process.inputs == ()


def test_it_keeps_the_given_name_of_a_factor_dataset() -> None:
    grid = FactorDataset("yn-grid", "kWh", (), name="云南电网")

    assert grid.as_process().name == "云南电网"


@pytest.mark.parametrize("value", [
    Distribution.lognormal(1.2),
    Pedigree(1, 1, 1, 1, 1),
    Emission("CO2", 1.0),
    Input("grid", 1.0, "kWh"),
    Output("A", 1.0, "kg"),
    Process("p", (Output("A", 1.0, "kg"),)),
    FactorDataset("grid", "kWh", ()),
])
def test_it_freezes_every_input(value: object) -> None:
    field = dataclasses.fields(value)[0].name  # type: ignore[arg-type]

    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, None)


def test_it_gives_outputs_read_only_default_properties() -> None:
    output = Output("A", 1.0, "kg")

    with pytest.raises(TypeError):
        output.properties["price"] = 3.0  # type: ignore[index]
