"""Curators import factor files on /factors/import/: a background job checks the whole file
and stores it in one transaction as the uploader's drafts, or fails listing every problem
and stores nothing."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from world_fixtures import World

from yuntan.formats.factor_csv import DATASET_COLUMNS, VALUE_COLUMNS
from yuntan.formats.factor_excel import DATASETS_SHEET, VALUES_SHEET, read_factor_workbook
from yuntan.platform.factors.actions import SelfReview, review_version
from yuntan.platform.factors.exchange import export_factors
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status
from yuntan.platform.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

URL = "/factors/import/"
GRID = {column: "" for column in DATASET_COLUMNS} | {
    "id": "electricity-grid-average-CN-YN", "version": "2024", "name_zh": "云南电网平均因子",
    "name_en": "Yunnan grid average", "category": "energy", "unit": "kWh", "region": "CN-YN",
    "reference_year": "2024", "method": "grid_average_location_based", "status": "published",
    "source_publisher": "生态环境部", "source_document": "2024年电力二氧化碳排放因子",
    "source_year": "2026", "source_quality": "secondary", "uncertainty_gsd": "1.1",
    "pedigree_reliability": "2", "pedigree_completeness": "1", "pedigree_temporal": "1",
    "pedigree_geographical": "1", "pedigree_technological": "2",
}
ALUMINA = GRID | {"id": "alumina", "version": "placeholder", "category": "material",
                  "unit": "t", "status": "placeholder", "source_publisher": "",
                  "source_document": "", "uncertainty_gsd": "", "pedigree_reliability": "",
                  "pedigree_completeness": "", "pedigree_temporal": "",
                  "pedigree_geographical": "", "pedigree_technological": "",
                  "note": "no public figure found"}
VALUE = {"id": GRID["id"], "version": "2024", "gas": "CO2", "origin": "fossil",
         "amount_kg_per_unit": "0.1", "source_note": "announced"}


@pytest.fixture(autouse=True)
def _inline_jobs(settings: Any, tmp_path: Path) -> None:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    settings.DATA_DIR = tmp_path / "data"


def csv_bytes(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(columns)] + [",".join(f'"{r[c]}"' for c in columns) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def pair(datasets: list[dict[str, str]], values: list[dict[str, str]]) -> dict[str, Any]:
    return {"datasets_csv": SimpleUploadedFile("datasets.csv",
                                               csv_bytes(DATASET_COLUMNS, datasets)),
            "values_csv": SimpleUploadedFile("values.csv", csv_bytes(VALUE_COLUMNS, values))}


def zipped(datasets: list[dict[str, str]], values: list[dict[str, str]]) -> dict[str, Any]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("factors/datasets.csv", csv_bytes(DATASET_COLUMNS, datasets))
        archive.writestr("factors/values.csv", csv_bytes(VALUE_COLUMNS, values))
    return {"file": SimpleUploadedFile("因子.zip", buffer.getvalue())}


def workbook(tmp_path: Path, edit: Any = None) -> dict[str, Any]:
    """The two versions above as the export writes them, optionally edited."""
    from yuntan.formats.factor_csv import FactorValueRow, FactorVersionRow
    from yuntan.formats.factor_excel import write_factor_workbook

    path = tmp_path / "factors.xlsx"
    write_factor_workbook([FactorVersionRow(GRID, (FactorValueRow("CO2", "fossil", 0.1, "x"),)),
                           FactorVersionRow(ALUMINA)], path)
    if edit is not None:
        book = load_workbook(path)
        edit(book)
        book.save(path)
    return {"file": SimpleUploadedFile("factors.xlsx", path.read_bytes())}


def client_of(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def upload(world: World, data: dict[str, Any]) -> Job:
    response = client_of(world.users["curator"]).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job


# --- who may import -----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    (None, 302), ("outsider", 403), ("admin_a", 403), ("member_a", 403), ("verifier", 403),
    ("province_viewer", 403), ("curator", 200)])
def test_only_curators_may_open_the_import_page(world: World, who: str | None,
                                                status: int) -> None:
    response = client_of(world.users.get(who or "")).get(URL)

    assert response.status_code == status
    if who is None:
        assert response["Location"].startswith("/accounts/login/?next=/factors/import/")


@pytest.mark.parametrize("who", [None, "outsider", "admin_a"])
def test_an_upload_by_anyone_else_starts_no_job(world: World, who: str | None) -> None:
    response = client_of(world.users.get(who or "")).post(URL, pair([GRID], [VALUE]))

    assert response.status_code in (302, 403)
    assert not Job.objects.exists() and not FactorVersion.objects.exists()


def test_the_factor_list_links_the_import_page_for_curators_only(world: World) -> None:
    assert URL in client_of(world.users["curator"]).get("/factors/").content.decode()
    assert URL not in client_of(world.users["admin_a"]).get("/factors/").content.decode()
    assert URL not in Client().get("/factors/").content.decode()


# --- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize("files", ["pair", "zip", "xlsx"])
def test_a_good_file_enters_as_the_uploaders_drafts(world: World, tmp_path: Path,
                                                    files: str) -> None:
    data = {"pair": lambda: pair([GRID, ALUMINA], [VALUE]),
            "zip": lambda: zipped([GRID, ALUMINA], [VALUE]),
            "xlsx": lambda: workbook(tmp_path)}[files]()

    job = upload(world, data)

    assert job.status == JobStatus.SUCCEEDED, job.problems
    curator = world.users["curator"]
    grid = FactorVersion.objects.get(dataset__code=GRID["id"], version="2024")
    assert (grid.status, grid.created_by, grid.published_at) == (Status.DRAFT, curator, None)
    assert grid.uncertainty_gsd == 1.1 and grid.pedigree_technological == 2
    assert [(v.gas, v.amount_kg_per_unit) for v in grid.values.all()] == [("CO2", 0.1)]
    alumina = FactorVersion.objects.get(dataset__code="alumina")
    assert alumina.status == Status.PLACEHOLDER and not alumina.values.exists()
    assert job.result["table"]["rows"] == [
        [f"{GRID['id']}@2024", "新增为草稿"], ["alumina@placeholder", "新增为占位"]]
    assert job.done == job.total == 100


def test_the_upload_is_kept_under_its_sha256(world: World, settings: Any) -> None:
    data = pair([GRID], [VALUE])
    digests = [hashlib.sha256(f.read()).hexdigest() for f in data.values()]
    for f in data.values():
        f.seek(0)

    job = upload(world, data)

    kept = Path(settings.DATA_DIR) / "uploads"
    assert sorted(p.name for p in kept.iterdir()) == sorted(digests)
    assert job.params["names"] == ["datasets.csv", "values.csv"]


def test_imported_drafts_still_need_another_curator_and_a_publisher(world: World) -> None:
    upload(world, pair([GRID], [VALUE]))
    draft = FactorVersion.objects.get(version="2024")

    with pytest.raises(SelfReview):
        review_version(draft, reviewer=world.users["curator"])
    assert draft.status == Status.DRAFT
    assert "2024" not in Client().get(f"/factors/{GRID['id']}/").content.decode()


def test_versions_already_stored_are_left_unchanged(world: World) -> None:
    upload(world, pair([GRID], [VALUE]))
    Job.objects.all().delete()

    job = upload(world, pair([GRID], [VALUE | {"amount_kg_per_unit": "0.9"}]))

    assert job.status == JobStatus.SUCCEEDED
    assert FactorValue.objects.get().amount_kg_per_unit == 0.1
    assert job.result["table"]["rows"] == [[f"{GRID['id']}@2024", "已存在，未更改"]]


# --- bad files ----------------------------------------------------------------------------


def test_a_bad_csv_pair_fails_the_job_with_every_problem_and_stores_nothing(
    world: World,
) -> None:
    datasets = [GRID | {"category": "fuel", "pedigree_temporal": ""},
                ALUMINA | {"valid_from": "2024/01/01"}]
    values = [VALUE | {"origin": "volcanic"}, VALUE | {"gas": "CH4", "amount_kg_per_unit": "x"}]

    job = upload(world, pair(datasets, values))

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("文件中发现 6 个问题")
    found = [(p["file"], p["line"], p["record"], p["field"]) for p in job.problems]
    grid = f"{GRID['id']}@2024"
    assert found == [
        ("datasets.csv", 2, grid, "category"),
        ("datasets.csv", 2, grid, "pedigree_temporal"),
        ("datasets.csv", 3, "alumina@placeholder", "valid_from"),
        ("values.csv", 2, grid, "origin"),
        ("values.csv", 3, grid, "amount_kg_per_unit"),
        ("datasets.csv", 2, grid, "status"),  # both its values were bad
    ]
    assert all(p["message"] and p["where"] for p in job.problems)
    assert not FactorDataset.objects.exists() and not FactorVersion.objects.exists()


def test_a_bad_workbook_fails_naming_sheet_row_record_and_column(world: World,
                                                                  tmp_path: Path) -> None:
    def edit(book: Any) -> None:
        book[VALUES_SHEET]["C2"] = "XYZ"
        book[DATASETS_SHEET]["T2"] = "0.5"  # uncertainty_gsd

    job = upload(world, workbook(tmp_path, edit))

    assert job.status == JobStatus.FAILED
    assert [(p["sheet"], p["line"], p["field"]) for p in job.problems] == [
        (DATASETS_SHEET, 2, "uncertainty_gsd"), (VALUES_SHEET, 2, "gas"),
        (DATASETS_SHEET, 2, "status")]  # the bad value was its only one
    assert job.problems[1]["where"] == f"factors.xlsx, sheet {VALUES_SHEET}, row 2, " \
                                       f"{GRID['id']}@2024"
    assert not FactorVersion.objects.exists()


def test_a_file_against_the_stored_dataset_stores_nothing(world: World) -> None:
    upload(world, pair([GRID], [VALUE]))
    Job.objects.all().delete()
    other = GRID | {"version": "2025", "unit": "MWh"}

    job = upload(world, pair([other, ALUMINA], [VALUE | {"version": "2025"}]))

    assert job.status == JobStatus.FAILED
    assert [(p["record"], p["field"]) for p in job.problems] == [(f"{GRID['id']}@2025", "unit")]
    assert FactorVersion.objects.count() == 1  # neither 2025 nor the placeholder


def test_the_job_page_lists_every_problem(world: World) -> None:
    job = upload(world, pair([GRID | {"region": ""}], [VALUE | {"gas": "XYZ"}]))

    page = client_of(world.users["curator"]).get(f"/jobs/{job.pk}/").content.decode()

    assert "datasets.csv line 2, electricity-grid-average-CN-YN@2024" in page
    assert "region" in page and "unknown gas &#x27;XYZ&#x27;" in page


@pytest.mark.parametrize(("data", "error"), [
    ({}, "请选择"),
    ({"file": SimpleUploadedFile("factors.ods", b"x")}, ".xlsx"),
    ({"datasets_csv": SimpleUploadedFile("datasets.csv", b"x")}, "请选择"),
    ({"datasets_csv": SimpleUploadedFile("datasets.txt", b"x"),
      "values_csv": SimpleUploadedFile("values.csv", b"x")}, ".csv"),
])
def test_a_form_without_a_usable_file_starts_no_job(world: World, data: dict[str, Any],
                                                    error: str) -> None:
    response = client_of(world.users["curator"]).post(URL, data)

    assert response.status_code == 400 and error in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_above_the_upload_limit_is_refused(world: World, settings: Any) -> None:
    settings.YUNTAN_UPLOAD_MAX_MB = 0

    response = client_of(world.users["curator"]).post(URL, pair([GRID], [VALUE]))

    assert response.status_code == 400 and "0 MB" in response.content.decode()
    assert not Job.objects.exists()
    assert not [p for p in (Path(settings.DATA_DIR) / "uploads").iterdir()]


def test_the_page_is_in_chinese_and_english(world: World) -> None:
    client = client_of(world.users["curator"])

    assert "导入排放因子" in client.get(URL).content.decode()
    client.cookies["django_language"] = "en"
    assert "Import factor datasets" in client.get(URL).content.decode()


def test_an_exported_workbook_imports_as_drafts(world: World, tmp_path: Path) -> None:
    from django.core.management import call_command

    call_command("load_reference_data", stdout=io.StringIO())
    path = tmp_path / "all.xlsx"
    export_factors(FactorVersion.objects.all(), path)
    # The models refuse to remove published figures; the test starts over from empty tables.
    FactorValue.objects.all()._raw_delete(FactorValue.objects.db)
    FactorVersion.objects.all().delete()
    FactorDataset.objects.all().delete()

    job = upload(world, {"file": SimpleUploadedFile("all.xlsx", path.read_bytes())})

    assert job.status == JobStatus.SUCCEEDED
    exported = read_factor_workbook(path)
    assert FactorVersion.objects.filter(status=Status.DRAFT).count() == sum(
        not r.placeholder for r in exported)
    assert FactorVersion.objects.filter(status=Status.PLACEHOLDER).count() == sum(
        r.placeholder for r in exported) == 1
    assert not FactorVersion.objects.filter(status=Status.PUBLISHED).exists()
