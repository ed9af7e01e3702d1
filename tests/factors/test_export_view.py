"""/factors/export.zip: the versions the list shows, as openLCA JSON-LD, Excel or CSV; the
public ones for everybody, drafts and reviewed versions for curators only."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from yuntan.formats.factor_excel import read_factor_workbook
from yuntan.formats.jsonld import read_jsonld, to_matrix_system
from yuntan.lca import footprint
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db

URL = "/factors/export.zip"


def _version(dataset: FactorDataset, label: str, status: str, amount: float | None) -> None:
    version = FactorVersion.objects.create(
        dataset=dataset, version=label, region="CN-YN", method="grid_average_location_based",
        source_publisher="生态环境部", source_document=f"{label}年电力二氧化碳排放因子",
        source_quality="secondary", reference_year=int(label[:4]) if label[:4].isdigit()
        else None)
    if amount is not None:
        FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                                   amount_kg_per_unit=amount)
    version.status = status
    version.save()


@pytest.fixture(autouse=True)
def factors() -> None:
    grid = FactorDataset.objects.create(code="grid-YN", name_zh="云南电网", name_en="Yunnan grid",
                                        category="energy", unit="kWh")
    _version(grid, "2022", Status.PUBLISHED, 0.1073)
    _version(grid, "2023-draft", Status.DRAFT, 0.2)
    _version(grid, "2023-reviewed", Status.REVIEWED, 0.3)
    alumina = FactorDataset.objects.create(code="alumina", name_zh="氧化铝", name_en="Alumina",
                                           category="material", unit="t")
    _version(alumina, "placeholder", Status.PLACEHOLDER, None)


@pytest.fixture
def curator() -> Client:
    user = User.objects.create_user("anna")
    user.user_permissions.set(Permission.objects.filter(codename="change_factorversion"))
    client = Client()
    client.force_login(user)
    return client


def workbook_records(client: Client, tmp_path: Path, query: str = "") -> list[str]:
    response = client.get(f"{URL}?format=xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="yuntan-factors.xlsx"'
    path = tmp_path / "download.xlsx"
    path.write_bytes(response.content)
    return [row.record for row in read_factor_workbook(path)]


def test_anonymous_visitors_get_the_public_versions_only(tmp_path: Path) -> None:
    assert sorted(workbook_records(Client(), tmp_path)) == [
        "alumina@placeholder", "grid-YN@2022"]


def test_a_signed_in_user_without_permissions_gets_the_public_versions_only(
    tmp_path: Path,
) -> None:
    client = Client()
    client.force_login(User.objects.create_user("uli"))

    assert sorted(workbook_records(client, tmp_path)) == ["alumina@placeholder", "grid-YN@2022"]


def test_curators_also_get_drafts_and_reviewed_versions(curator: Client, tmp_path: Path) -> None:
    assert sorted(workbook_records(curator, tmp_path)) == [
        "alumina@placeholder", "grid-YN@2022", "grid-YN@2023-draft", "grid-YN@2023-reviewed"]


def test_the_download_follows_the_search(tmp_path: Path) -> None:
    assert workbook_records(Client(), tmp_path, "&category=material") == ["alumina@placeholder"]
    assert workbook_records(Client(), tmp_path, "&q=grid&year=2022") == ["grid-YN@2022"]


def test_json_ld_holds_one_process_per_version_with_values(tmp_path: Path) -> None:
    response = Client().get(f"{URL}?format=jsonld")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    path = tmp_path / "factors.zip"
    path.write_bytes(response.content)
    imported = read_jsonld(path)
    [process] = imported.processes.values()  # the placeholder has no figure to export
    matrices = to_matrix_system(imported)
    assert footprint(matrices.system, matrices.demand_of(process.id)).total == \
        pytest.approx(0.1073, rel=1e-12)


def test_csv_comes_as_a_zip_of_the_pair() -> None:
    response = Client().get(f"{URL}?format=csv")

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["datasets.csv", "values.csv"]
        assert "grid-YN,2022" in archive.read("datasets.csv").decode("utf-8-sig")


def test_an_unknown_format_is_not_found() -> None:
    assert Client().get(f"{URL}?format=pdf").status_code == 404


def test_nothing_to_export_returns_to_the_list_with_the_reason() -> None:
    response = Client().get(f"{URL}?format=jsonld&category=material", follow=True)

    assert response.redirect_chain == [("/factors/?category=material", 302)]
    assert "no factor datasets to export" in response.content.decode()


def test_the_list_links_every_format_with_its_search() -> None:
    body = Client().get("/factors/?q=grid").content.decode()

    for name in ("jsonld", "xlsx", "csv"):
        assert f'href="{URL}?q=grid&amp;format={name}"' in body
