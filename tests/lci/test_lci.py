"""Background LCI databases from openLCA JSON-LD: imported as a background job (all or
nothing), each process's footprint per unit, who sees what, and a factor draft from a
process."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from world_fixtures import World

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats" / "jsonld"))
from jsonld_fixtures import PART_PER_KG, STEEL_PER_KG, chain_package

from yuntan.platform.factors.models import FactorVersion, Status
from yuntan.platform.jobs.models import Job, JobStatus
from yuntan.platform.lci.models import LciDatabase, LciProcess


@pytest.fixture(autouse=True)
def _inline_jobs(settings: Any, tmp_path: Path) -> None:
    settings.YUNTAN_JOBS_BACKEND = "inline"
    settings.DATA_DIR = tmp_path


def _as(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _package(tmp_path: Path, version: int = 2) -> tuple[SimpleUploadedFile, dict[str, str]]:
    package, ids = chain_package()
    path = package.write(tmp_path / f"chain-{version}.zip", version=version)
    return SimpleUploadedFile("chain.zip", path.read_bytes()), ids


def _upload(client: Client, upload: SimpleUploadedFile, name: str = "测试库") -> Job:
    response = client.post(reverse("lci:list"), {"name": name, "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.latest("created_at")


@pytest.mark.django_db
@pytest.mark.parametrize("version", [2, 1])
def test_a_curator_imports_a_package_shared_with_everyone(world: World, tmp_path: Path,
                                                          version: int) -> None:
    upload, ids = _package(tmp_path, version)
    job = _upload(_as(world.users["curator"]), upload)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.done == job.total > 0

    database = LciDatabase.objects.get()
    assert database.organisation is None and database.package_version == version
    assert database.linking["counts"]
    part = LciProcess.objects.get(database=database, uuid=ids["maker"])
    assert part.kg_co2e_per_unit == pytest.approx(PART_PER_KG)
    steel = LciProcess.objects.get(database=database, uuid=ids["mill"])
    assert (steel.amount, steel.unit) == (1000, "kg")  # the stored reference: 1 t
    assert steel.kg_co2e_per_unit == pytest.approx(STEEL_PER_KG)

    for who in ("admin_b", "verifier", "member_a"):
        page = _as(world.users[who]).get(reverse("lci:database", args=[database.pk]))
        assert page.status_code == 200 and "part maker" in page.content.decode()


@pytest.mark.django_db
def test_a_bad_package_changes_nothing_and_names_every_problem(world: World,
                                                               tmp_path: Path) -> None:
    package, ids = chain_package()
    mill = package.get("processes", ids["mill"])
    del mill["exchanges"][1]["amount"]
    path = package.write(tmp_path / "bad.zip")
    job = _upload(_as(world.users["curator"]), SimpleUploadedFile("bad.zip", path.read_bytes()))
    assert job.status == JobStatus.FAILED
    assert job.problems and any("amount" in str(p) for p in job.problems)
    assert any("steel mill" in str(p) or ids["mill"] in str(p) for p in job.problems)
    assert not LciDatabase.objects.exists() and not LciProcess.objects.exists()
    page = _as(world.users["curator"]).get(reverse("jobs:detail", args=[job.pk]))
    assert "amount" in page.content.decode()


@pytest.mark.django_db
def test_not_a_zip_is_refused_before_any_job(world: World) -> None:
    response = _as(world.users["curator"]).post(reverse("lci:list"), {
        "name": "x", "file": SimpleUploadedFile("data.csv", b"a,b\n")})
    assert response.status_code == 400 and not Job.objects.exists()


@pytest.mark.django_db
def test_an_enterprise_database_is_its_own(world: World, tmp_path: Path) -> None:
    upload, _ids = _package(tmp_path)
    job = _upload(_as(world.users["admin_a"]), upload, "甲的数据库")
    assert job.status == JobStatus.SUCCEEDED, job.error
    database = LciDatabase.objects.get()
    assert database.organisation == world.orgs["enterprise_a"]
    url = reverse("lci:database", args=[database.pk])
    assert _as(world.users["member_a"]).get(url).status_code == 200
    for who in ("admin_b", "verifier", "curator", "province_viewer"):
        assert _as(world.users[who]).get(url).status_code == 404, who
    assert "甲的数据库" not in _as(world.users["admin_b"]).get(
        reverse("lci:list")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [
    ("member_a", 403), ("verifier", 403), ("province_viewer", 403), (None, 302),
])
def test_who_may_import(world: World, tmp_path: Path, who: str | None, status: int) -> None:
    upload, _ids = _package(tmp_path)
    response = _as(world.users[who] if who else None).post(
        reverse("lci:list"), {"name": "x", "file": upload})
    assert response.status_code == status
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_curator_makes_a_factor_draft_from_a_process(world: World, tmp_path: Path) -> None:
    upload, ids = _package(tmp_path)
    _upload(_as(world.users["curator"]), upload)
    database = LciDatabase.objects.get()
    client = _as(world.users["curator"])
    category = ids["gwp"]
    page = client.get(reverse("lci:process", args=[database.pk, ids["mill"]]),
                      {"category": category})
    assert page.context["result"]["total"] == pytest.approx(STEEL_PER_KG * 1000)  # per t

    response = client.post(reverse("lci:derive", args=[database.pk, ids["mill"]]), {
        "code": "steel-test-lci", "name_zh": "钢（测试）", "name_en": "Steel (test)",
        "category": "material", "version": "lci-1", "region": "GLOBAL",
        "impact_category": category})
    assert response.status_code == 302
    draft = FactorVersion.objects.get(dataset__code="steel-test-lci")
    assert draft.status == Status.DRAFT and draft.created_by == world.users["curator"]
    (value,) = draft.values.all()
    assert (value.gas, value.amount_kg_per_unit) == ("CO2e", pytest.approx(STEEL_PER_KG))
    assert database.sha256 in draft.note

    assert _as(world.users["admin_a"]).post(
        reverse("lci:derive", args=[database.pk, ids["mill"]]), {}).status_code == 403


@pytest.mark.django_db
def test_the_command_line_import_shows_progress(tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    package, ids = chain_package()
    path = package.write(tmp_path / "chain.zip")
    err, out = StringIO(), StringIO()
    call_command("import_lci", str(path), "--name", "命令行导入", stdout=out, stderr=err)
    assert "100%" in err.getvalue() and "[" in err.getvalue()
    assert "processes" in out.getvalue() or "过程" in out.getvalue()
    assert LciProcess.objects.filter(uuid=ids["maker"]).exists()

    mill = package.get("processes", ids["mill"])
    del mill["exchanges"][1]["amount"]
    bad = package.write(tmp_path / "bad.zip")
    with pytest.raises(CommandError, match="amount"):
        call_command("import_lci", str(bad), "--name", "坏文件", stdout=StringIO(),
                     stderr=StringIO())
    assert LciDatabase.objects.count() == 1
