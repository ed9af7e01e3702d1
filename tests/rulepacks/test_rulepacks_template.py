"""Downloading the template of every pack and variant; checking a filled one (signed in)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.rulepacks.conftest import PACK_VARIANTS, complete, filled_template, row_counts
from yuntan.formats.excel import read_template, sheet_names
from yuntan.formats.excel.collection_template import FIRST_ROW, METADATA_SHEET
from yuntan.rules import get_pack

pytestmark = pytest.mark.usefixtures("loaded")


@pytest.mark.parametrize(("pack_id", "version", "variant"), PACK_VARIANTS)
def test_the_download_is_a_valid_workbook_for_the_pack_and_variant(
    client: Client, pack_id: str, version: str, variant: str
) -> None:
    response = client.get(f"/rules/{pack_id}/{version}/template.xlsx?variant={variant}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{pack_id}-{version}-{variant}.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    meta = dict(book[METADATA_SHEET].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (meta["pack_id"], meta["pack_version"], meta["variant"]) == (pack_id, version, variant)
    # An unfilled download reads back as "required fields missing", nothing else.
    pack = get_pack(pack_id, version)
    with pytest.raises(Exception) as caught:
        read_template(pack, io.BytesIO(response.content))
    assert {p.rule for p in caught.value.problems} == {"required-missing"}  # type: ignore[attr-defined]


def test_the_default_variant_is_the_first(client: Client) -> None:
    response = client.get("/rules/coffee/1.0.0/template.xlsx")
    assert response["Content-Disposition"].endswith('coffee-1.0.0-green.xlsx"')


def upload(client: Client, source: io.BytesIO, pack: str = "coffee/1.0.0") -> Any:
    return client.post(f"/rules/{pack}/check/", {"workbook": source})


def test_an_anonymous_upload_is_sent_to_sign_in_and_not_read(client: Client) -> None:
    coffee = get_pack("coffee", "1.0.0")
    response = upload(client, filled_template(coffee, values=complete(coffee, "green")))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_upload_without_the_csrf_token_is_refused(django_user_model: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("carol"))
    coffee = get_pack("coffee", "1.0.0")

    response = upload(client, filled_template(coffee, values=complete(coffee, "green")))
    assert response.status_code == 403


@pytest.mark.parametrize(("pack_id", "version", "variant"), PACK_VARIANTS)
def test_a_good_upload_shows_the_values_and_stores_nothing(
    signed_in: Client, pack_id: str, version: str, variant: str
) -> None:
    pack = get_pack(pack_id, version)
    data = complete(pack, variant)
    before = row_counts()

    response = upload(signed_in, filled_template(pack, variant, data), f"{pack_id}/{version}")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="collected"' in body and 'id="problems"' not in body
    for field_id in data:
        assert f'data-field="{field_id}"' in body
    assert row_counts() == before


def test_a_good_upload_shows_amounts_units_and_range_warnings(signed_in: Client) -> None:
    coffee = get_pack("coffee", "1.0.0")
    data = {**complete(coffee, "green"), "cherry_input": (600, "t")}  # out of range

    body = upload(signed_in, filled_template(coffee, "green", data)).content.decode()

    assert "供核查机构关注的提示" in body and "plausible-range" in body
    assert "占位范围" in body  # the range broken is a placeholder
    row = body.split('data-field="cherry_input"')[1].split("</tr>")[0]
    assert "600" in row and ">t<" in row and "600000 kg" in row


def test_a_bad_upload_names_sheet_cell_and_rule_and_stores_nothing(signed_in: Client) -> None:
    coffee = get_pack("coffee", "1.0.0")
    source = filled_template(coffee, "green", complete(coffee, "green"))
    book = load_workbook(source)
    sheet = sheet_names(coffee)["processing"]
    book[sheet][f"D{FIRST_ROW + 1}"] = "sixty"  # cherry_input
    book[sheet][f"E{FIRST_ROW + 2}"] = "kg"  # processing_electricity in kg
    bad = io.BytesIO()
    book.save(bad)
    bad.seek(0)
    before = row_counts()

    response = upload(signed_in, bad)

    assert response.status_code == 422
    body = response.content.decode()
    assert "发现问题：2 个" in body and 'id="collected"' not in body
    assert f"{sheet}!D{FIRST_ROW + 1}" in body and "not-a-number" in body
    assert f"{sheet}!E{FIRST_ROW + 2}" in body and "unit-dimension" in body
    assert "cherry_input" in body and "processing_electricity" in body
    assert row_counts() == before


def test_a_template_of_another_pack_is_refused(signed_in: Client) -> None:
    tea = get_pack("tea", "1.0.0")
    body = upload(signed_in, filled_template(tea, values=complete(tea, "green-tea"))).content
    assert f"{METADATA_SHEET}!B4" in body.decode() and "other-pack" in body.decode()


def test_a_file_that_is_not_a_workbook_is_refused(signed_in: Client) -> None:
    source = io.BytesIO(b"not a workbook")
    source.name = "notes.xlsx"
    response = upload(signed_in, source)
    assert response.status_code == 422 and "not-a-workbook" in response.content.decode()


def test_an_empty_post_asks_for_the_file(signed_in: Client) -> None:
    response = signed_in.post("/rules/coffee/1.0.0/check/", {})
    assert response.status_code == 422 and "errorlist" in response.content.decode()


def test_the_problems_are_shown_in_english_after_switching(signed_in: Client) -> None:
    signed_in.cookies["django_language"] = "en"
    coffee = get_pack("coffee", "1.0.0")
    body = upload(signed_in, filled_template(coffee)).content.decode()
    assert "Problems found" in body and "Required field" in body and "必填字段" not in body


def test_an_oversized_upload_is_refused_before_reading(signed_in: Client,
                                                       settings: Any) -> None:
    settings.YUNTAN_WORKBOOK_MAX_MB = 0
    coffee = get_pack("coffee", "1.0.0")
    response = upload(signed_in, filled_template(coffee, values=complete(coffee, "green")))
    assert response.status_code == 422 and "文件超过" in response.content.decode()
