"""The rule pack pages for anonymous and signed-in users, in Chinese and English."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.rulepacks.conftest import PACK_VARIANTS
from yuntan.formats.collection import placeholder_labels
from yuntan.platform.rulepacks.actions import withdraw_rule_pack_version
from yuntan.platform.rulepacks.models import RulePackVersion
from yuntan.rules import get_pack, list_packs

pytestmark = pytest.mark.usefixtures("loaded")


def test_the_list_shows_every_pack_in_chinese_by_default(client: Client) -> None:
    response = client.get("/rules/")

    assert response.status_code == 200 and response["Content-Language"] == "zh-hans"
    body = response.content.decode()
    assert "<h1>核算规则</h1>" in body
    for pack_id, version in list_packs():
        assert f'href="/rules/{pack_id}/{version}/"' in body
        assert get_pack(pack_id).name_zh in body
    assert "个占位值" in body


def test_the_list_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = client.get("/rules/").content.decode()
    assert "<h1>Rule packs</h1>" in body and "Carbon footprint rules for coffee" in body
    assert "咖啡产品碳足迹核算规则" not in body and "placeholders" in body


@pytest.mark.parametrize(("pack_id", "version"), list_packs())
def test_the_detail_shows_the_whole_pack_with_placeholders_flagged(
    client: Client, pack_id: str, version: str
) -> None:
    response = client.get(f"/rules/{pack_id}/{version}/")

    assert response.status_code == 200
    body = response.content.decode()
    pack = get_pack(pack_id, version)
    for text in (pack.name_zh, pack.declared_unit.label_zh, "从摇篮到大门", "数据收集规范",
                 "分摊", "取舍准则", "分级", "GB/T 24067-2024"):
        assert text in body, text
    for spec in pack.fields:
        assert f'id="field-{spec.id}"' in body
    for formula in pack.formulas:
        assert formula.expression in body and formula.derivation in body
    # The grading benchmark of every shipped pack is a placeholder, flagged as such.
    assert body.count('class="badge badge-placeholder"') >= len(pack.placeholders) // 2 + 1
    for item in placeholder_labels(pack):
        assert item.label_zh in body and item.code.replace("'", "&#x27;") in body
    for variant in pack.variants:
        assert f"/rules/{pack_id}/{version}/template.xlsx?variant={variant.id}" in body
        assert f"/rules/{pack_id}/{version}/form/?variant={variant.id}" in body


def test_the_detail_in_english_uses_the_packs_english_texts(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = client.get("/rules/coffee/1.0.0/").content.decode()
    assert "<h1>Carbon footprint rules for coffee</h1>" in body
    assert "Data collection specification" in body and "cradle to gate" in body
    assert "Coffee cherries harvested" in body and "咖啡鲜果产量" not in body


def test_the_specification_follows_the_variant(client: Client) -> None:
    green = client.get("/rules/coffee/1.0.0/").content.decode()
    roasted = client.get("/rules/coffee/1.0.0/?variant=roasted").content.decode()

    def requirement(body: str) -> str:
        row = re.search(r'id="field-roasted_coffee_output">(.*?)</tr>', body, re.S)
        assert row is not None
        return row.group(1)

    assert "填报该过程时必填" in requirement(green)
    assert "badge-required" in requirement(roasted)


@pytest.mark.parametrize("url", ["/rules/durian/1.0.0/", "/rules/coffee/9.9.9/",
                                 "/rules/coffee/1.0.0/?variant=decaf",
                                 "/rules/coffee/9.9.9/template.xlsx",
                                 "/rules/coffee/1.0.0/form/?variant=decaf"])
def test_unknown_packs_versions_and_variants_are_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("signed", [False, True])
@pytest.mark.parametrize("path", ["", "coffee/1.0.0/", "coffee/1.0.0/form/",
                                  "coffee/1.0.0/form/?variant=roasted",
                                  "coffee/1.0.0/template.xlsx"])
def test_the_public_pages_open_for_everyone(client: Client, django_user_model: object,
                                            signed: bool, path: str) -> None:
    if signed:
        client.force_login(django_user_model.objects.create_user("bob"))  # type: ignore[attr-defined]
    assert client.get(f"/rules/{path}").status_code == 200


def test_checking_a_template_needs_signing_in(client: Client) -> None:
    response = client.get("/rules/coffee/1.0.0/check/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/rules/coffee/1.0.0/check/")


def test_a_signed_in_user_gets_the_upload_form(signed_in: Client) -> None:
    body = signed_in.get("/rules/coffee/1.0.0/check/").content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="csrfmiddlewaretoken"' in body


def test_a_withdrawn_version_is_shown_but_collects_no_data(signed_in: Client) -> None:
    withdraw_rule_pack_version(RulePackVersion.objects.get(pack_id="tea", version="1.0.0"))

    assert "已撤回" in signed_in.get("/rules/").content.decode()
    detail = signed_in.get("/rules/tea/1.0.0/").content.decode()
    assert "已撤回" in detail and "template.xlsx" not in detail
    for path in ("template.xlsx", "form/", "check/"):
        assert signed_in.get(f"/rules/tea/1.0.0/{path}").status_code == 404


def test_every_pack_variant_has_its_form_page(client: Client) -> None:
    for pack_id, version, variant in PACK_VARIANTS:
        response = client.get(f"/rules/{pack_id}/{version}/form/?variant={variant}")
        assert response.status_code == 200
        assert 'name="csrfmiddlewaretoken"' in response.content.decode()
