"""Data quality: pedigree-derived lognormal uncertainty and the PEF-style rating (DQR)."""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from yuntan.lca import Pedigree
from yuntan.lca.errors import YuntanLcaError
from yuntan.lca.quality import INDICATORS, DataQuality, data_quality, pedigree_sigma

PEDIGREE_DATA = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "pedigree"


def read_csv(name: str) -> list[dict[str, str]]:
    with (PEDIGREE_DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


BASIC = {row["exchange_kind"]: float(row["variance_ln"])
         for row in read_csv("basic_uncertainty.csv") if row["variance_ln"].strip()}
FACTORS = {(row["indicator"], int(row["score"])): float(row["variance_ln"])
           for row in read_csv("uncertainty_factors.csv")}


@pytest.mark.parametrize("kind", sorted(BASIC))
def test_it_gives_all_1_scores_the_basic_uncertainty(kind: str) -> None:
    assert pedigree_sigma(Pedigree(1, 1, 1, 1, 1), kind) == pytest.approx(math.sqrt(BASIC[kind]))


def test_it_adds_the_variance_of_every_indicator() -> None:
    # Worst scores, technosphere input: 0.0006 + 0.04 + 0.008 + 0.04 + 0.002 + 0.12 = 0.2106
    assert pedigree_sigma(Pedigree(5, 5, 5, 5, 5)) == pytest.approx(math.sqrt(0.2106))


@pytest.mark.parametrize("scores", list(itertools.product(range(1, 6), repeat=2))[::3])
def test_it_reads_each_indicator_from_the_data_file(scores: tuple[int, int]) -> None:
    reliability, technological = scores
    pedigree = Pedigree(reliability, 2, 3, 4, technological)

    expected = (BASIC["technosphere_input"] + FACTORS[("reliability", reliability)]
                + FACTORS[("completeness", 2)] + FACTORS[("temporal", 3)]
                + FACTORS[("geographical", 4)] + FACTORS[("technological", technological)])

    assert pedigree_sigma(pedigree) == pytest.approx(math.sqrt(expected))


@pytest.mark.parametrize("indicator", INDICATORS)
def test_it_grows_with_worse_scores(indicator: str) -> None:
    sigmas = []
    for score in range(1, 6):
        values = dict.fromkeys(INDICATORS, 1)
        values[indicator] = score
        sigmas.append(pedigree_sigma(Pedigree(**values)))

    assert sigmas[0] == pytest.approx(math.sqrt(BASIC["technosphere_input"]))
    assert all(later > earlier for earlier, later in itertools.pairwise(sigmas))


def test_it_falls_back_to_the_technosphere_basic_uncertainty_for_unlisted_kinds() -> None:
    pedigree = Pedigree(2, 2, 2, 2, 2)

    # co2_combustion has no variance in the file (only a v2 factor): technosphere_input is used.
    assert pedigree_sigma(pedigree, "co2_combustion") == pedigree_sigma(pedigree)
    assert pedigree_sigma(pedigree, "not a kind") == pedigree_sigma(pedigree)


def test_it_uses_the_transport_basic_uncertainty() -> None:
    assert pedigree_sigma(Pedigree(1, 1, 1, 1, 1), "transport") == pytest.approx(
        math.sqrt(0.12))


def test_it_covers_every_indicator_and_score_in_the_data_file() -> None:
    assert set(FACTORS) == set(itertools.product(INDICATORS, range(1, 6)))
    assert all(FACTORS[(indicator, 1)] == 0 for indicator in INDICATORS)


def test_it_explains_a_missing_basic_uncertainty(monkeypatch: pytest.MonkeyPatch) -> None:
    from yuntan.lca import quality

    monkeypatch.setattr(quality, "_basic_variances", lambda: {})

    with pytest.raises(YuntanLcaError, match="No basic uncertainty for 'transport'"):
        pedigree_sigma(Pedigree(1, 1, 1, 1, 1), "transport")


# --- The rating -----------------------------------------------------------------------------


def test_it_weights_scores_by_absolute_contribution() -> None:
    # Rows: (reliability, completeness, temporal, geographical, technological).
    pedigree = np.array([[1, 1, 1, 1, 1], [3, 3, 3, 3, 3], [np.nan] * 5])
    # A credit counts by its size: weights 1, 3 of the scored 4; the unscored 4 of 8 in all.
    contributions = np.array([1.0, -3.0, 4.0])

    quality = data_quality(pedigree, contributions)

    # Each indicator (1 × 1 + 3 × 3) / 4 = 2.5; DQR = (2.5 × 4) / 4 = 2.5
    assert quality.dqr == pytest.approx(2.5)
    assert quality.reliability == pytest.approx(2.5)
    assert quality.coverage == pytest.approx(0.5)


def test_it_leaves_completeness_out_of_the_dqr() -> None:
    quality = data_quality(np.array([[2.0, 5.0, 2.0, 2.0, 2.0]]), np.array([1.0]))

    assert quality.dqr == pytest.approx(2.0)
    assert quality.completeness == pytest.approx(5.0)


def test_it_has_no_rating_for_zero_contributions() -> None:
    quality = data_quality(np.array([[1.0, 1.0, 1.0, 1.0, 1.0]]), np.array([0.0]))

    assert quality == DataQuality(None, None, None, None, None, None, 0.0)


@pytest.mark.parametrize("dqr,level", [
    (1.0, "excellent"), (1.5, "excellent"), (1.6, "very good"), (2.0, "very good"),
    (2.5, "good"), (3.0, "good"), (3.5, "fair"), (4.0, "fair"), (4.1, "poor"), (None, None),
])
def test_it_names_the_pef_quality_level(dqr: float | None, level: str | None) -> None:
    assert DataQuality(dqr, None, None, None, None, None, 1.0).level == level
