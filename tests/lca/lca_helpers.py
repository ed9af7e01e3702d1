"""The shared cast of the core tests: tiny hand-solvable systems and seeded random ones.

A helper module, not a test module. Random systems are built from a seed with numpy so
that hypothesis only has to draw integers and every failure replays from its seed.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import settings

from yuntan.gwp import get_gwp_set
from yuntan.lca import (
    Emission,
    FactorDataset,
    Input,
    MatrixSystem,
    Output,
    Process,
)

# Modest, deterministic hypothesis runs: core tests must stay fast and reproducible.
PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, derandomize=True)

GASES = (
    ("CO2", "fossil"),
    ("CH4", "fossil"),
    ("N2O", "fossil"),
    ("SF6", "fossil"),
    ("CO2", "biogenic"),
    ("CH4", "biogenic"),
    ("CO2", "biogenic_uptake"),
    ("CO2", "land_use_change"),
)
STAGES = ("raw materials", "production", "distribution", "use", "end of life")


# --- Tiny hand-solvable systems -------------------------------------------------------------


def grid_factor(kg_co2_per_kwh: float = 0.1073, **kwargs: object) -> FactorDataset:
    """Grid electricity as a factor dataset (kg CO2 per kWh)."""
    return FactorDataset("grid", "kWh", (Emission("CO2", kg_co2_per_kwh),), **kwargs)  # type: ignore[arg-type]


def aluminium_chain(**smelter: object) -> tuple[list[Process], list[FactorDataset]]:
    """A 2-process chain: a smelter making 1 t of aluminium from 13 500 kWh of grid
    electricity (0.1073 kg CO2/kWh), with 1 600 kg CO2 and 0.04 kg CF4 of direct emissions.

    By hand (AR6, CF4 = 7 380):
        grid:    13 500 kWh × 0.1073       = 1 448.55 kg CO2e
        direct:  1 600 + 0.04 × 7 380      = 1 600 + 295.2 = 1 895.2 kg CO2e
        total                              = 3 343.75 kg CO2e per t of aluminium
    """
    process = Process(
        "smelter",
        (Output("aluminium", 1, "t"),),
        inputs=(Input("grid", 13_500, "kWh"),),
        emissions=(Emission("CO2", 1_600), Emission("CF4", 0.04)),
        **smelter,  # type: ignore[arg-type]
    )
    return [process], [grid_factor(version="2023")]


def coal_power_loop() -> list[Process]:
    """Electricity needs a little coal and coal mining needs a little electricity.

    Power plant: 1 kWh from 0.4 kg coal, 0.9 kg CO2. Mine: 1 kg coal using 0.05 kWh,
    0.01 kg fossil CH4. With rows/columns (electricity, coal):

        A = [[ 1,   -0.05],      det A = 1 − 0.05 × 0.4 = 0.98
             [-0.4,  1   ]]      A⁻¹ = (1/0.98) [[1, 0.05], [0.4, 1]]

    For 1 kWh: s = A⁻¹ (1, 0) = (1/0.98, 0.4/0.98) = (1.020408…, 0.408163…)
    footprint = 0.9 × 1/0.98 + 0.01 × 29.8 × 0.4/0.98 = (0.9 + 0.1192) / 0.98 = 1.04 kg CO2e
    For 1 kg coal: s = (0.05/0.98, 1/0.98);
    footprint = (0.9 × 0.05 + 0.298) / 0.98 = 0.343 / 0.98 = 0.35 kg CO2e
    """
    return [
        Process(
            "power plant",
            (Output("electricity", 1, "kWh"),),
            inputs=(Input("coal", 0.4, "kg"),),
            emissions=(Emission("CO2", 0.9),),
        ),
        Process(
            "mine",
            (Output("coal", 1, "kg"),),
            inputs=(Input("electricity", 0.05, "kWh"),),
            emissions=(Emission("CH4", 0.01),),
        ),
    ]


# --- Seeded random systems ------------------------------------------------------------------


def random_matrices(
    seed: int, n: int, *, substitution: bool = False, density: float = 0.3
) -> MatrixSystem:
    """A random solvable technosphere with loops (and, optionally, positive credits).

    Column j spends at most 90 % of its output on inputs (counting credits by magnitude), so
    I − R is strictly column diagonally dominant and nonsingular; each product is then
    expressed in its own random unit and each activity in its own random scale.
    """
    rng = np.random.default_rng(seed)
    mask = rng.random((n, n)) < density
    np.fill_diagonal(mask, False)
    raw = np.where(mask, rng.lognormal(0.0, 1.0, (n, n)), 0.0)
    sums = raw.sum(axis=0)
    spend = rng.uniform(0.1, 0.9, n)
    coefficients = np.divide(raw, sums, out=np.zeros_like(raw), where=sums > 0) * spend
    signs = np.where(rng.random((n, n)) < (0.15 if substitution else 0.0), 1.0, -1.0)
    dense = np.eye(n) + signs * coefficients
    unit = 10.0 ** rng.uniform(-2, 2, n)  # row i in the product's own unit
    scale = rng.uniform(0.5, 5.0, n)  # column j per its own operation
    dense = (unit[:, None] * dense) * scale[None, :]
    k = len(GASES)
    bio = np.where(rng.random((k, n)) < 0.4, rng.lognormal(0.0, 1.0, (k, n)), 0.0)
    bio[0] = rng.lognormal(0.0, 1.0, n)  # everyone emits some fossil CO2
    bio *= scale[None, :]
    uptake = [i for i, (gas, origin) in enumerate(GASES) if origin == "biogenic_uptake"]
    bio[uptake] *= -1.0
    stages = [STAGES[i] if i < len(STAGES) else None for i in rng.integers(0, 8, n)]
    return MatrixSystem.from_matrices(
        sp.csc_matrix(dense),
        sp.csc_matrix(bio),
        [f"a{j}" for j in range(n)],
        GASES,
        products=[f"p{j}" for j in range(n)],
        stages=stages,
        primary=list(rng.random(n) < 0.3),
    )


def random_processes(seed: int, n: int) -> tuple[list[Process], list[FactorDataset]]:
    """Random processes making product ``x{i}`` (in kg), buying each other's products with
    loops, plus two factor datasets (electricity and transport)."""
    rng = np.random.default_rng(seed)
    datasets = [
        FactorDataset("power", "kWh", (Emission("CO2", float(rng.uniform(0.3, 1.0))),)),
        FactorDataset(
            "freight",
            "t*km",
            (Emission("CO2", float(rng.uniform(0.05, 0.2))), Emission("CH4", 1e-4)),
        ),
    ]
    processes = []
    for j in range(n):
        production = float(rng.uniform(0.5, 5.0))
        suppliers = [i for i in range(n) if i != j and rng.random() < 0.3]
        shares = rng.dirichlet(np.ones(len(suppliers))) if suppliers else []
        spend = rng.uniform(0.1, 0.85)
        inputs = [
            Input(f"x{i}", float(spend * share * production), "kg")
            for i, share in zip(suppliers, shares, strict=True)
        ]
        if rng.random() < 0.7:
            inputs.append(Input("power", float(rng.uniform(0.1, 10.0) * production), "kWh"))
        if rng.random() < 0.5:
            inputs.append(Input("freight", float(rng.uniform(0.01, 1.0) * production), "t*km"))
        emissions = [Emission("CO2", float(rng.uniform(0.01, 3.0) * production))]
        for gas, origin in GASES[1:]:
            if rng.random() < 0.25:
                emissions.append(
                    Emission(gas, float(rng.uniform(0.0, 0.1) * production), origin=origin)
                )
        stage = STAGES[int(rng.integers(0, len(STAGES)))] if rng.random() < 0.6 else None
        processes.append(
            Process(
                f"p{j}",
                (Output(f"x{j}", production, "kg"),),
                inputs=tuple(inputs),
                emissions=tuple(emissions),
                stage=stage,
                primary=bool(rng.random() < 0.5),
            )
        )
    return processes, datasets


def dense_scores(system: MatrixSystem, demand: np.ndarray, gwp_set: str = "AR6") -> float:
    """The footprint by an independent dense solve: c · B · A⁻¹ f."""
    c = system.characterisation(get_gwp_set(gwp_set))
    supply = np.linalg.solve(system.technosphere.toarray(), demand)
    return float(c @ (system.biosphere.toarray() @ supply))


def phone_system() -> tuple[list[Process], list[FactorDataset]]:
    """Stages by hand. Assembly ("production") makes a phone from 2 kg of steel and 10 kWh,
    emitting 1 kg CO2; steel (no stage) needs 5 kWh and emits 1 kg CO2 per kg; the use phase
    ("use") takes the phone and 30 kWh; grid electricity (no stage) is 0.5 kg CO2/kWh.

    For one phone life: supply use 1, assembly 1, steel 2, grid 10 + 2 × 5 + 30 = 50 kWh.
    Direct: assembly 1, steel 2, grid 25, use 0 → total 28 kg CO2e.
    Steel is consumed only by assembly → production. Grid: 20 of 50 kWh go (directly or via
    steel) to production, 30 to use → production 1 + 2 + 0.4 × 25 = 13, use 0.6 × 25 = 15.
    """
    return [
        Process("use phase", (Output("phone life", 1, "piece"),),
                inputs=(Input("phone", 1, "piece"), Input("grid", 30, "kWh")), stage="use"),
        Process("assembly", (Output("phone", 1, "piece"),),
                inputs=(Input("steel", 2, "kg"), Input("grid", 10, "kWh")),
                emissions=(Emission("CO2", 1.0),), stage="production", primary=True),
        Process("steelworks", (Output("steel", 1, "kg"),), inputs=(Input("grid", 5, "kWh"),),
                emissions=(Emission("CO2", 1.0),)),
    ], [grid_factor(0.5)]
