"""Data quality: pedigree-derived uncertainty and the PEF-style data quality rating (DQR).

Pedigree uncertainty (ecoinvent v3 data quality guideline): for a lognormal amount,
σ² = σ²_basic + Σ σ²_indicator(score), with the factors in ``yuntan/data/pedigree``.
The DQR follows the PEF method: DQR = (TeR + GeR + TiR + P) / 4, here with P read from the
reliability score; the study's rating weights each activity by its absolute contribution.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from yuntan.lca.errors import YuntanLcaError
from yuntan.lca.model import Pedigree

INDICATORS = ("reliability", "completeness", "temporal", "geographical", "technological")


def _rows(filename: str) -> list[dict[str, str]]:
    with resources.files("yuntan.data.pedigree").joinpath(filename).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _indicator_variances() -> Mapping[tuple[str, int], float]:
    return {
        (row["indicator"], int(row["score"])): float(row["variance_ln"])
        for row in _rows("uncertainty_factors.csv")
        if row["variance_ln"].strip()
    }


@cache
def _basic_variances() -> Mapping[str, float]:
    return {
        row["exchange_kind"]: float(row["variance_ln"])
        for row in _rows("basic_uncertainty.csv")
        if row["variance_ln"].strip()
    }


def pedigree_sigma(pedigree: Pedigree, exchange_kind: str = "technosphere_input") -> float:
    """σ of ln(amount) for an exchange known only by its pedigree scores."""
    basic = _basic_variances()
    variance = basic.get(exchange_kind, basic.get("technosphere_input"))
    if variance is None:
        raise YuntanLcaError(
            f"No basic uncertainty for {exchange_kind!r} in yuntan/data/pedigree; add a row."
        )
    factors = _indicator_variances()
    for name, score in zip(INDICATORS, pedigree.as_tuple(), strict=True):
        try:
            variance += factors[(name, score)]
        except KeyError:
            raise YuntanLcaError(
                f"No pedigree uncertainty factor for {name}={score} in yuntan/data/pedigree."
            ) from None
    return math.sqrt(variance)


@dataclass(frozen=True)
class DataQuality:
    """Contribution-weighted data-quality scores of a result (1 best … 5 worst).

    ``coverage`` is the share (0–1) of the absolute contributions that carry scores; the
    indicators are averaged over that covered part only. ``None`` where nothing is scored.
    """

    dqr: float | None
    technological: float | None
    geographical: float | None
    temporal: float | None
    reliability: float | None
    completeness: float | None
    coverage: float

    @property
    def level(self) -> str | None:
        """PEF quality level of the DQR."""
        if self.dqr is None:
            return None
        for limit, label in ((1.5, "excellent"), (2.0, "very good"), (3.0, "good"),
                             (4.0, "fair")):
            if self.dqr <= limit:
                return label
        return "poor"


def data_quality(
    pedigree: npt.NDArray[np.float64], contributions: npt.NDArray[np.float64]
) -> DataQuality:
    """Weight each activity's pedigree scores (rows of ``pedigree``) by |contribution|."""
    weights = np.abs(contributions)
    total = float(weights.sum())
    scored = ~np.isnan(pedigree).any(axis=1)
    covered = float(weights[scored].sum())
    if total == 0 or covered == 0:
        return DataQuality(None, None, None, None, None, None, 0.0)
    mean = (weights[scored] @ pedigree[scored]) / covered
    reliability, completeness, temporal, geographical, technological = (float(v) for v in mean)
    dqr = (technological + geographical + temporal + reliability) / 4
    return DataQuality(
        dqr=dqr,
        technological=technological,
        geographical=geographical,
        temporal=temporal,
        reliability=reliability,
        completeness=completeness,
        coverage=covered / total,
    )
