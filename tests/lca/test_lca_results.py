"""FootprintResult: frozen, reproducible, and every breakdown adds up to the total."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from lca_helpers import (
    aluminium_chain,
    coal_power_loop,
    grid_factor,
    phone_system,
    random_matrices,
    random_processes,
)

from yuntan.lca import (
    Emission,
    FootprintResult,
    Output,
    Pedigree,
    Process,
    build_system,
    footprint,
)

BREAKDOWNS = ("by_stage", "by_process", "by_input", "by_gas", "by_origin", "by_gas_and_origin")


def pellets() -> FootprintResult:
    """Wood pellets, every origin at once (AR6):
        fossil CO2         0.3
        biogenic CO2       0.2, biogenic CH4 0.01 kg × 27.0 = 0.27  → biogenic 0.47
        uptake             1.6 kg entered positive                  → −1.6
        land-use change    0.05
        total              0.3 + 0.47 − 1.6 + 0.05 = −0.78
    """
    process = Process(
        "pelletiser",
        (Output("pellets", 1, "kg"),),
        emissions=(
            Emission("CO2", 1.6, origin="biogenic_uptake"),
            Emission("CO2", 0.2, origin="biogenic"),
            Emission("CH4", 0.01, origin="biogenic"),
            Emission("CO2", 0.3),
            Emission("CO2", 0.05, origin="land_use_change"),
        ),
    )
    return footprint(build_system([process]), {"pellets": 1})


def sugar_with_credit() -> FootprintResult:
    mill = Process(
        "mill",
        (Output("sugar", 1, "t"), Output("power", 300, "kWh", substitutes="grid")),
        emissions=(Emission("CO2", 100),),
        allocation="substitution",
        stage="production",
    )
    return footprint(build_system([mill], [grid_factor(0.5)]), {"sugar": 1})


def refinery_pair() -> FootprintResult:
    refinery = Process(
        "refinery",
        (Output("A", 600, "kg", properties={"price": 2}), Output("B", 400, "kg",
                                                                 properties={"price": 8})),
        emissions=(Emission("CO2", 1_000), Emission("N2O", 0.1)),
        allocation="economic",
        stage="production",
    )
    return footprint(build_system([refinery]), {"A": 100, "B": 50})


SYSTEMS: dict[str, Callable[[], FootprintResult]] = {
    "chain": lambda: footprint(build_system(*aluminium_chain()), {"aluminium": 1}),
    "loop": lambda: footprint(build_system(coal_power_loop()), {"electricity": 1, "coal": 3}),
    "stages": lambda: footprint(build_system(*phone_system()), {"phone life": 2, "grid": 5}),
    "pellets": pellets,
    "substitution": sugar_with_credit,
    "allocation": refinery_pair,
    **{f"random matrices {seed}": (
        lambda seed=seed: footprint(random_matrices(seed, 20, substitution=True),
                                    {"a0": 1.0, "a5": -0.5}))
       for seed in range(4)},
    **{f"random processes {seed}": (
        lambda seed=seed: footprint(build_system(*random_processes(seed, 15)), {"x1": 2.0}))
       for seed in range(4)},
}


@pytest.mark.parametrize("make", SYSTEMS.values(), ids=SYSTEMS.keys())
@pytest.mark.parametrize("breakdown", BREAKDOWNS)
def test_it_adds_every_breakdown_up_to_the_total(
    make: Callable[[], FootprintResult], breakdown: str
) -> None:
    result = make()

    parts = getattr(result, breakdown)

    assert sum(parts.values()) == pytest.approx(result.total, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("make", SYSTEMS.values(), ids=SYSTEMS.keys())
def test_it_adds_the_biogenic_split_up_by_origin(make: Callable[[], FootprintResult]) -> None:
    split = make().biogenic_split

    assert split.fossil + split.biogenic + split.biogenic_uptake + split.land_use_change == (
        pytest.approx(split.including_biogenic, rel=1e-9, abs=1e-9))
    assert split.excluding_biogenic_uptake == pytest.approx(
        split.including_biogenic - split.biogenic_uptake)


def test_it_splits_biogenic_carbon_as_documented() -> None:
    result = pellets()
    split = result.biogenic_split

    # Worked out in pellets(): −0.78 in all; without uptake −0.78 + 1.6 = 0.82; without any
    # biogenic CO2 (0.2 emitted, 1.6 taken up) −0.78 − 0.2 + 1.6 = 0.62, biogenic CH4 kept.
    assert split.including_biogenic == pytest.approx(-0.78) == result.total
    assert split.excluding_biogenic_uptake == pytest.approx(0.82)
    assert split.excluding_biogenic_co2 == pytest.approx(0.62)
    assert split.fossil == pytest.approx(0.3)
    assert split.biogenic == pytest.approx(0.47)
    assert split.biogenic_uptake == pytest.approx(-1.6)
    assert split.land_use_change == pytest.approx(0.05)
    assert result.inventory_kg[("CO2", "biogenic_uptake")] == pytest.approx(-1.6)
    assert dict(result.by_gas) == pytest.approx({"CO2": -1.05, "CH4": 0.27})


def test_it_lists_every_origin_even_when_absent() -> None:
    result = footprint(build_system(*aluminium_chain()), {"aluminium": 1})

    assert dict(result.by_origin) == pytest.approx(
        {"fossil": 3_343.75, "biogenic": 0.0, "biogenic_uptake": 0.0, "land_use_change": 0.0,
         "land_management": 0.0})


# --- Data quality ---------------------------------------------------------------------------


def test_it_rates_data_quality_weighted_by_contribution() -> None:
    processes, _ = aluminium_chain(pedigree=Pedigree(reliability=1, completeness=2, temporal=2,
                                                     geographical=1, technological=3))
    grid = grid_factor(pedigree=Pedigree(reliability=2, completeness=3, temporal=3,
                                         geographical=2, technological=4))

    quality = footprint(build_system(processes, [grid]), {"aluminium": 1}).data_quality

    # Weights: smelter 1 895.2, grid 1 448.55 of 3 343.75 → w_s = 0.566789, w_g = 0.433211.
    # DQR per activity = (TeR + GeR + TiR + P) / 4: smelter (3+1+2+1)/4 = 1.75,
    # grid (4+2+3+2)/4 = 2.75 → 1.75 w_s + 2.75 w_g = 1.75 + w_g = 2.183211.
    w_g = 1_448.55 / 3_343.75
    assert quality.dqr == pytest.approx(1.75 + w_g)
    assert quality.technological == pytest.approx(3 + w_g)
    assert quality.geographical == pytest.approx(1 + w_g)
    assert quality.temporal == pytest.approx(2 + w_g)
    assert quality.reliability == pytest.approx(1 + w_g)
    assert quality.completeness == pytest.approx(2 + w_g)
    assert quality.coverage == pytest.approx(1.0)
    assert quality.level == "good"


def test_it_rates_only_the_scored_part_and_reports_its_coverage() -> None:
    processes, datasets = aluminium_chain(pedigree=Pedigree(1, 2, 2, 1, 3))

    quality = footprint(build_system(processes, datasets), {"aluminium": 1}).data_quality

    assert quality.dqr == pytest.approx(1.75)
    assert quality.coverage == pytest.approx(1_895.2 / 3_343.75)
    assert quality.level == "very good"


def test_it_has_no_rating_without_pedigree() -> None:
    quality = footprint(build_system(*aluminium_chain()), {"aluminium": 1}).data_quality

    assert (quality.dqr, quality.coverage, quality.level) == (None, 0.0, None)


# --- Frozen and reproducible ----------------------------------------------------------------


def test_it_freezes_the_result() -> None:
    result = footprint(build_system(*phone_system()), {"phone life": 1})

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.tree.score = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.biogenic_split.fossil = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.data_quality.dqr = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("mapping", [*BREAKDOWNS, "inventory_kg", "supply", "demand",
                                     "allocation", "factor_versions"])
def test_it_makes_every_mapping_read_only(mapping: str) -> None:
    result = footprint(build_system(*phone_system()), {"phone life": 1})

    with pytest.raises(TypeError):
        getattr(result, mapping)["tampered"] = 1.0


def test_it_does_not_see_later_changes_to_the_demand_dict() -> None:
    demand = {"phone life": 1.0}
    result = footprint(build_system(*phone_system()), demand)

    demand["phone life"] = 99.0

    assert result.demand["phone life"] == 1.0


def test_it_gives_identical_numbers_when_recomputed() -> None:
    def run() -> FootprintResult:
        return footprint(build_system(*random_processes(3, 20)), {"x0": 1.0, "x7": 2.0})

    first, second = run(), run()

    assert first == second  # every field, exactly, fingerprint included
    assert first.system_fingerprint == second.system_fingerprint


def test_it_changes_the_fingerprint_when_the_data_change() -> None:
    processes, datasets = aluminium_chain()
    other = [grid_factor(0.1074, version="2023")]

    before = footprint(build_system(processes, datasets), {"aluminium": 1})
    after = footprint(build_system(processes, other), {"aluminium": 1})

    assert before.system_fingerprint != after.system_fingerprint


def test_it_records_the_solver_name() -> None:
    result = footprint(build_system(*aluminium_chain()), {"aluminium": 1}, solver="superlu")

    assert result.solver == "superlu"


def test_fertiliser_n2o_is_land_management_not_biogenic_and_the_parts_add_up() -> None:
    from yuntan.lca import Emission, Output, Process

    field = Process("field", outputs=(Output("leaf", 1, "kg"),),
                    emissions=(Emission("N2O", 0.01, "kg", origin="land_management"),
                               Emission("CH4", 0.1, "kg", origin="land_management"),
                               Emission("CO2", 2.0, "kg", origin="fossil")))
    result = footprint(build_system([field], []), {"leaf": 1}, gwp_set="AR6")
    split = result.biogenic_split
    assert split.land_management == pytest.approx(0.01 * 273 + 0.1 * 27.0)  # non-fossil CH4
    assert split.biogenic == 0.0 and split.fossil == pytest.approx(2.0)
    assert split.fossil + split.biogenic + split.biogenic_uptake + split.land_use_change \
        + split.land_management == pytest.approx(result.total)
    assert split.excluding_biogenic_co2 == pytest.approx(result.total)
