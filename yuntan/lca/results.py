"""Frozen results of a footprint calculation: totals and breakdowns that add up.

Every breakdown (by stage, process, input, gas, origin) sums to ``total`` within round-off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from yuntan.lca.quality import DataQuality


@dataclass(frozen=True)
class TreeNode:
    """One node of the upstream tree (for Sankey diagrams), kg CO2e.

    ``score`` = ``direct`` + Σ children scores + ``below_cutoff``.
    """

    activity: str
    name: str
    amount: float  # of the activity's reference product flowing into the parent
    unit: str
    score: float
    direct: float
    below_cutoff: float
    children: tuple[TreeNode, ...]


@dataclass(frozen=True)
class BiogenicSplit:
    """The ISO 14067 / PACT split of the total, kg CO2e per functional unit.

    - ``including_biogenic``: everything, including biogenic CO2 uptake (PACT v3
      pcfIncludingBiogenicUptake, v2 pCfIncludingBiogenic).
    - ``excluding_biogenic_uptake``: everything except biogenic CO2 uptake (PACT v3
      pcfExcludingBiogenicUptake).
    - ``excluding_biogenic_co2``: without biogenic CO2 emissions and uptake (PACT v2
      pCfExcludingBiogenic).
    - ``fossil``, ``biogenic`` (biogenic emissions, CO2 and CH4), ``biogenic_uptake`` (≤ 0),
      ``land_use_change``: the parts by origin; they add up to ``including_biogenic``.
    """

    including_biogenic: float
    excluding_biogenic_uptake: float
    excluding_biogenic_co2: float
    fossil: float
    biogenic: float
    biogenic_uptake: float
    land_use_change: float


@dataclass(frozen=True)
class FootprintResult:
    """The footprint of one functional unit, with its provenance.

    ``total`` is kg CO2e for ``demand``. Mappings are read-only. ``warnings`` says why the
    number may not mean what it seems (a nearly singular technosphere, negative activity
    levels); empty when nothing was found.
    """

    total: float
    demand: Mapping[str, float]
    gwp_set: str
    biogenic_split: BiogenicSplit
    by_stage: Mapping[str, float]
    by_process: Mapping[str, float]
    by_input: Mapping[str, float]
    by_gas: Mapping[str, float]
    by_origin: Mapping[str, float]
    by_gas_and_origin: Mapping[tuple[str, str], float]
    inventory_kg: Mapping[tuple[str, str], float]
    supply: Mapping[str, float]
    tree: TreeNode
    primary_data_share: float | None
    data_quality: DataQuality
    allocation: Mapping[str, str]
    factor_versions: Mapping[str, str]
    cut_off: tuple[str, ...]
    solver: str
    engine_version: str
    system_fingerprint: str
    warnings: tuple[str, ...] = ()
