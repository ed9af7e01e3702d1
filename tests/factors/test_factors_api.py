"""The factor database's JSON API: list, search, one dataset, one version."""

from __future__ import annotations

import pytest
from django.test import Client

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid() -> FactorDataset:
    dataset = FactorDataset.objects.create(
        code="electricity-grid-average-CN-YN", name_zh="云南电网平均二氧化碳排放因子",
        name_en="Yunnan grid average CO2 factor", category="energy", unit="kWh")
    for year, amount in (("2021", 0.1235), ("2022", 0.1073)):
        version = FactorVersion.objects.create(
            dataset=dataset, version=year, region="CN-YN", reference_year=int(year),
            method="grid_average_location_based", source_publisher="生态环境部",
            source_document=f"{year}年电力二氧化碳排放因子", source_quality="secondary")
        FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                                   amount_kg_per_unit=amount)
        version.status = Status.PUBLISHED
        version.save()
    draft = FactorVersion.objects.create(dataset=dataset, version="2023-draft", region="CN-YN",
                                         method="grid_average_location_based")
    FactorValue.objects.create(version=draft, gas="CO2", origin="fossil",
                               amount_kg_per_unit=0.2)
    return dataset


def test_it_lists_published_versions_with_sources(client: Client, grid: FactorDataset) -> None:
    response = client.get("/api/factors")

    assert response.status_code == 200
    [dataset] = response.json()
    assert dataset["id"] == grid.code and dataset["unit"] == "kWh"
    versions = {v["version"]: v for v in dataset["versions"]}
    assert set(versions) == {"2021", "2022"}  # the draft is not public
    assert versions["2022"]["values"] == [
        {"gas": "CO2", "origin": "fossil", "amount_kg_per_unit": 0.1073}]
    assert versions["2022"]["source_publisher"] == "生态环境部"
    assert versions["2022"]["placeholder"] is False


@pytest.mark.parametrize(
    ("query", "found"),
    [("q=云南", 1), ("q=yunnan", 1), ("q=steel", 0), ("category=energy", 1),
     ("category=material", 0), ("region=CN-YN", 1), ("region=CN-BJ", 0)],
)
def test_it_searches_by_name_category_and_region(
    client: Client, grid: FactorDataset, query: str, found: int
) -> None:
    assert len(client.get(f"/api/factors?{query}").json()) == found


def test_it_fetches_one_version(client: Client, grid: FactorDataset) -> None:
    response = client.get(f"/api/factors/{grid.code}/versions/2021")

    assert response.status_code == 200
    assert response.json()["values"][0]["amount_kg_per_unit"] == 0.1235


@pytest.mark.parametrize(
    "path",
    ["/api/factors/no-such-factor", "/api/factors/electricity-grid-average-CN-YN/versions/1999",
     "/api/factors/electricity-grid-average-CN-YN/versions/2023-draft"],
)
def test_unknown_or_unpublished_factors_answer_404(
    client: Client, grid: FactorDataset, path: str
) -> None:
    assert client.get(path).status_code == 404


def test_a_version_states_its_uncertainty_and_pedigree_or_null(client: Client,
                                                               grid: FactorDataset) -> None:
    scored = FactorDataset.objects.create(code="tea", name_zh="茶", name_en="Tea",
                                          category="material", unit="kg")
    version = FactorVersion.objects.create(
        dataset=scored, version="2024", region="CN-YN", method="cradle_to_gate",
        uncertainty_gsd=1.2, pedigree_reliability=2, pedigree_completeness=3,
        pedigree_temporal=1, pedigree_geographical=1, pedigree_technological=4)
    FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                               amount_kg_per_unit=1.0)
    version.status = Status.PUBLISHED
    version.save()

    tea = client.get("/api/factors/tea/versions/2024").json()
    unscored = client.get(f"/api/factors/{grid.code}/versions/2022").json()

    assert tea["uncertainty_gsd"] == 1.2
    assert tea["pedigree"] == {"reliability": 2, "completeness": 3, "temporal": 1,
                               "geographical": 1, "technological": 4}
    assert (unscored["uncertainty_gsd"], unscored["pedigree"]) == (None, None)
