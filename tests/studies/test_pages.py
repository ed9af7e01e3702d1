"""Study pages: the main flow for an enterprise, and who may see and do what (every page and
action for every role: another organisation's objects answer 404)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.formats.excel import write_template
from yuntan.platform.studies.models import Evidence, Product, Result, Study
from yuntan.platform.studies.services import compute_result, set_activity
from yuntan.rules import get_pack


def _as(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _filled_template(values: dict[str, tuple[float, str]],
                     version: str = "1.0.0") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    write_template(get_pack("electrolytic-aluminium", version), buffer, "ingot", values)
    return SimpleUploadedFile("filled.xlsx", buffer.getvalue())


@pytest.mark.django_db
def test_an_enterprise_registers_a_product_opens_a_study_uploads_data_and_computes(
    world: World, factors: None
) -> None:
    client = _as(world.users["member_a"])
    response = client.post(reverse("studies:products"), {
        "name_zh": "铝锭", "name_en": "Ingot", "rule_pack_id": "electrolytic-aluminium",
        "variant": "ingot", "description": ""})
    assert response.status_code == 302
    product = Product.objects.get(name_zh="铝锭")
    assert product.organisation == world.orgs["enterprise_a"]

    response = client.post(reverse("studies:product", args=[product.pk]), {
        "title": "2022", "period_start": "2022-01-01", "period_end": "2022-12-31",
        "gwp_set": "AR6"})
    assert response.status_code == 302
    study = Study.objects.get(product=product)
    # A new study takes the pack's latest release.
    assert (study.rule_pack_id, study.rule_pack_version) == ("electrolytic-aluminium", "2.0.0")

    response = client.post(reverse("studies:upload", args=[study.pk]),
                           {"file": _filled_template(ALUMINIUM, "2.0.0")})
    assert response.status_code == 302
    assert study.activity.count() == len(ALUMINIUM)
    assert set(study.changes.values_list("source", flat=True)) == {"excel"}

    response = client.post(reverse("studies:compute", args=[study.pk]))
    assert response.status_code == 302
    result = Result.objects.get(study=study)
    page = client.get(response["Location"]).content.decode()
    assert "kg CO2e" in page and result.inputs_sha256 in page
    assert "alumina-production-CN" in page  # the conservative default is named
    assert 'id="completeness"' in page and "保守缺省值" in page  # and flagged, Chinese first
    assert page.count("<svg") >= 10  # five charts for each electricity method
    assert 'id="stage-location_based-title"' in page
    # Numbers trace back: a factor dataset's row links to the dataset's page.
    assert reverse("factors:detail", args=["electricity-lifecycle-CN-YN"]) in page

    recheck = client.post(reverse("studies:recheck", args=[study.pk, result.number]),
                          follow=True)
    assert "每个数字都相同" in recheck.content.decode()


@pytest.mark.django_db
def test_a_bad_template_shows_every_problem_and_saves_nothing(world: World,
                                                               study: Study) -> None:
    bad = {**ALUMINIUM, "electricity_grid": (-5, "万千瓦时")}
    response = _as(world.users["admin_a"]).post(reverse("studies:upload", args=[study.pk]),
                                                 {"file": _filled_template(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "electricity_grid" in page and "!" in page  # sheet!cell
    assert not study.activity.exists()


@pytest.mark.django_db
def test_evidence_is_checked_and_kept_by_its_hash(world: World, study: Study,
                                                  settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_DIR = tmp_path
    client = _as(world.users["admin_a"])
    url = reverse("studies:evidence-upload", args=[study.pk])
    pdf = b"%PDF-1.4\n% a meter reading\n"
    client.post(url, {"field_id": "electricity_grid",
                      "file": SimpleUploadedFile("meter.pdf", pdf)})
    item = Evidence.objects.get(study=study)
    assert item.size == len(pdf) and len(item.sha256) == 64
    assert (tmp_path / item.sha256[:2] / item.sha256).read_bytes() == pdf

    fake = client.post(url, {"field_id": "electricity_grid",
                             "file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00")},
                       follow=True)
    assert Evidence.objects.count() == 1
    assert "invoice.pdf" in fake.content.decode()
    exe = client.post(url, {"field_id": "electricity_grid",
                            "file": SimpleUploadedFile("tool.exe", b"MZ")})
    assert exe.status_code == 302 and Evidence.objects.count() == 1

    download = client.get(reverse("studies:evidence", args=[item.pk]))
    assert b"".join(download.streaming_content) == pdf  # type: ignore[attr-defined]
    assert _as(world.users["admin_b"]).get(
        reverse("studies:evidence", args=[item.pk])).status_code == 404


# --- the permission matrix ----------------------------------------------------------------

ROLES = ["admin_a", "member_a", "admin_b", "verifier", "certifier", "province_viewer",
         "puer_viewer", "curator", "platform_admin", "outsider", None]
OWN = {"admin_a", "member_a"}


@pytest.fixture
def computed(world: World, study: Study, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.EVIDENCE_DIR = tmp_path
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    result = compute_result(study, world.users["admin_a"], "compute")
    from yuntan.platform.studies.evidence import store_evidence

    item = store_evidence(study, "alumina", SimpleUploadedFile("a.csv", b"t,1920\n"),
                          world.users["admin_a"])
    return {"study": study, "result": result, "evidence": item}


def _pages(c: dict[str, Any]) -> dict[str, str]:
    study, result = c["study"], c["result"]
    return {
        "product": reverse("studies:product", args=[study.product_id]),
        "study": reverse("studies:study", args=[study.pk]),
        "template": reverse("studies:template", args=[study.pk]),
        "result": reverse("studies:result", args=[study.pk, result.number]),
        "evidence": reverse("studies:evidence", args=[c["evidence"].pk]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_who_may_read_a_study(world: World, computed: dict[str, Any], who: str | None) -> None:
    client = _as(world.users[who] if who else None)
    for name, url in _pages(computed).items():
        status = client.get(url).status_code
        if who is None:
            assert status == 302, name  # to the sign-in page
        elif who in OWN or who == "platform_admin":
            assert status == 200, (name, who)
        else:
            assert status == 404, (name, who)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_who_may_change_a_study(world: World, computed: dict[str, Any],
                                who: str | None) -> None:
    study = computed["study"]
    client = _as(world.users[who] if who else None)
    actions = {
        "compute": (reverse("studies:compute", args=[study.pk]), {}),
        "upload": (reverse("studies:upload", args=[study.pk]),
                   {"file": _filled_template({**ALUMINIUM, "alumina": (1900, "t")})}),
        "evidence": (reverse("studies:evidence-upload", args=[study.pk]),
                     {"field_id": "alumina", "file": SimpleUploadedFile("b.txt", b"x")}),
        "scenario": (reverse("studies:scenario", args=[study.pk]), {"title": "s"}),
        "recheck": (reverse("studies:recheck", args=[study.pk, 1]), {}),
        "uncertainty": (reverse("studies:uncertainty", args=[study.pk, 1]),
                        {"iterations": "100"}),
    }
    for name, (url, data) in actions.items():
        status = client.post(url, data).status_code
        if who is None:
            assert status == 302, name
        elif who in OWN:
            assert status == 302, (name, who)  # done, back to a page
        elif who == "platform_admin":
            assert status == (302 if name == "recheck" else 403), (name, who)
        else:
            assert status == 404, (name, who)
    if who not in OWN:
        assert Result.objects.filter(study=study).count() == 1
        assert Study.objects.count() == 1
        assert Evidence.objects.count() == 1
        assert study.activity.get(field_id="alumina").amount == 1920


@pytest.mark.django_db
@pytest.mark.parametrize("who", ROLES)
def test_who_sees_which_products(world: World, computed: dict[str, Any],
                                 who: str | None) -> None:
    response = _as(world.users[who] if who else None).get(reverse("studies:products"))
    if who is None:
        assert response.status_code == 302
        return
    listed = reverse("studies:product", args=[computed["study"].product_id]) in (
        response.content.decode())
    assert listed == (who in OWN or who == "platform_admin")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin_b", "verifier", "province_viewer", "platform_admin"])
def test_only_enterprises_register_products(world: World, who: str) -> None:
    response = _as(world.users[who]).post(reverse("studies:products"), {
        "name_zh": "x", "rule_pack_id": "coffee", "variant": "green"})
    assert response.status_code == (302 if who == "admin_b" else 403)


@pytest.mark.django_db
def test_a_scenario_shows_the_change_per_measure(world: World, computed: dict[str, Any]
                                                 ) -> None:
    client = _as(world.users["admin_a"])
    response = client.post(reverse("studies:scenario", args=[computed["study"].pk]),
                           {"title": "绿电", "note": "half the grid electricity"})
    scenario = Study.objects.get(scenario_of=computed["study"])
    assert response["Location"] == reverse("studies:study", args=[scenario.pk])
    set_activity(scenario, {"electricity_grid": (675, "万千瓦时")}, world.users["admin_a"],
                 "form")
    result = compute_result(scenario, world.users["admin_a"], "compute")
    page = client.get(reverse("studies:result", args=[scenario.pk, result.number]))
    html = page.content.decode()
    assert "electricity_grid" in html
    assert page.context["effects"]["total"] == pytest.approx(-6_750 * 0.1073)


@pytest.mark.django_db
def test_the_form_saves_a_draft_and_records_every_change(world: World, study: Study) -> None:
    from yuntan.platform.rulepacks.forms import unit_field_name

    client = _as(world.users["member_a"])
    url = reverse("studies:data", args=[study.pk])
    assert client.get(url).status_code == 200
    # Only part of the data: saved, with the missing fields named.
    response = client.post(url, {"alumina": "1920", unit_field_name("alumina"): "t"},
                           follow=True)
    assert study.activity.get(field_id="alumina").amount == 1920
    assert "electricity_grid" in response.content.decode()
    # A negative amount stops the save and is shown on the form.
    response = client.post(url, {"alumina": "-3", unit_field_name("alumina"): "t"})
    assert response.status_code == 400
    assert study.activity.get(field_id="alumina").amount == 1920
    # Everything, through the form: the same activity data as through the template.
    data: dict[str, str] = {}
    for field_id, (amount, unit) in ALUMINIUM.items():
        data[field_id] = str(amount)
        data[unit_field_name(field_id)] = unit
    client.post(url, data)
    assert {v.field_id: (v.amount, v.unit) for v in study.activity.all()} == {
        k: (float(a), u) for k, (a, u) in ALUMINIUM.items()}
    assert set(study.changes.values_list("source", flat=True)) == {"form"}
    # Clearing a field removes it, and that is recorded too.
    data["casting_natural_gas"] = ""
    client.post(url, data)
    assert not study.activity.filter(field_id="casting_natural_gas").exists()
    assert study.changes.filter(field_id="casting_natural_gas", new_amount=None).exists()
    for who in ("admin_b", "verifier"):
        assert _as(world.users[who]).get(url).status_code == 404
    assert _as(world.users["platform_admin"]).get(url).status_code == 403


@pytest.mark.django_db
def test_the_report_downloads_as_pdf_html_and_excel(world: World,
                                                    computed: dict[str, Any]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    study, result = computed["study"], computed["result"]
    client = _as(world.users["member_a"])

    def url(fmt: str) -> str:
        return reverse("studies:report", args=[study.pk, result.number, fmt])

    pdf = client.get(url("pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(
        io.BytesIO(b"".join(pdf.streaming_content))).pages)  # type: ignore[attr-defined]
    assert "甲铝业" in text and result.inputs_sha256[:16] in text.replace("\n", "")
    english = client.get(url("html") + "?lang=en").content.decode()
    assert "A Aluminium" in english and "PLACEHOLDER" in english.upper()
    book = load_workbook(io.BytesIO(b"".join(client.get(url("xlsx")).streaming_content)))  # type: ignore[attr-defined]
    assert len(book.sheetnames) >= 3
    assert client.get(url("doc")).status_code == 404
    for who in ("admin_b", "verifier", "province_viewer"):
        assert _as(world.users[who]).get(url("pdf")).status_code == 404


@pytest.mark.django_db
def test_the_form_is_checked_as_it_is_typed(world: World, study: Study) -> None:
    from yuntan.platform.rulepacks.forms import unit_field_name

    client = _as(world.users["member_a"])
    url = reverse("studies:data-check", args=[study.pk])
    data: dict[str, str] = {}
    for field_id, (amount, unit) in ALUMINIUM.items():
        data[field_id] = str(amount)
        data[unit_field_name(field_id)] = unit
    assert 'id="check-ok"' in client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    far = client.post(url, {**data, "alumina": "1500"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="check-warnings"' in far and "alumina" in far  # 1.5 t/t: below the minimum
    bad = client.post(url, {**data, "alumina": "-1"}).content.decode()
    assert 'id="check-problems"' in bad
    missing = client.post(url, {"alumina": "1920", unit_field_name("alumina"): "t"})
    assert "electricity_grid" in missing.content.decode()
    assert not study.activity.exists()  # checking never saves
    assert _as(world.users["admin_b"]).post(url, data).status_code == 404
