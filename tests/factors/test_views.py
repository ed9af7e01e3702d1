"""The factor database's web pages: browse and search, history, curator create/review/publish.

The cast: ``anna`` and ``bo`` are curators (change_factorversion), ``pia`` may only publish
(publish_factorversion), ``uli`` is signed in without permissions, and anonymous visitors.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from yuntan.platform.factors import views
from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db

GRID = "electricity-grid-average-CN-YN"
ALUMINA = "alumina-CN-default"


def _user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def anna() -> User:
    return _user("anna", "change_factorversion")


@pytest.fixture
def bo() -> User:
    return _user("bo", "change_factorversion")


@pytest.fixture
def pia() -> User:
    return _user("pia", "publish_factorversion")


@pytest.fixture
def uli() -> User:
    return _user("uli")


def _client(user: User | None, language: str = "") -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["django_language"] = language
    return client


def _version(dataset: FactorDataset, label: str, status: str, amount: float | None = 0.1,
             **fields: Any) -> FactorVersion:
    fields = {"region": "CN-YN", "method": "grid_average_location_based",
              "source_publisher": "生态环境部", "source_document": f"{label}年电力二氧化碳排放因子",
              "source_quality": "secondary", **fields}
    version = FactorVersion.objects.create(dataset=dataset, version=label, **fields)
    if amount is not None:
        FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                                   amount_kg_per_unit=amount)
    version.status = status
    version.save()
    return version


@pytest.fixture
def grid(anna: User) -> FactorDataset:
    """Published 2021 and 2022, and anna's draft correction of 2022."""
    dataset = FactorDataset.objects.create(
        code=GRID, name_zh="云南电网平均二氧化碳排放因子",
        name_en="Yunnan grid average CO2 factor", category="energy", unit="kWh")
    _version(dataset, "2021", Status.PUBLISHED, 0.1235, reference_year=2021,
             source_url="https://www.mee.gov.cn/2021.html")
    v2022 = _version(dataset, "2022", Status.PUBLISHED, 0.1073, reference_year=2022,
                     source_url="javascript:alert(1)", uncertainty_gsd=1.05,
                     pedigree_reliability=2, pedigree_completeness=1, pedigree_temporal=1,
                     pedigree_geographical=1, pedigree_technological=3)
    _version(dataset, "2022-r1", Status.DRAFT, 0.1081, reference_year=2022,
             supersedes=v2022, created_by=anna)
    return dataset


@pytest.fixture
def alumina() -> FactorDataset:
    """A placeholder: no public figure found."""
    dataset = FactorDataset.objects.create(
        code=ALUMINA, name_zh="氧化铝", name_en="Alumina", category="material", unit="t")
    _version(dataset, "placeholder", Status.PLACEHOLDER, None, region="CN",
             method="cradle_to_gate", source_quality="unverified")
    return dataset


@pytest.fixture
def draft_only() -> FactorDataset:
    dataset = FactorDataset.objects.create(
        code="coal-CN", name_zh="原煤", name_en="Raw coal", category="fuel_combustion",
        unit="t")
    _version(dataset, "2024-draft", Status.DRAFT, 1900, region="CN", reference_year=2024)
    return dataset


def _status(code: str, label: str) -> str:
    return FactorVersion.objects.get(dataset__code=code, version=label).status


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response
    return response.content.decode()


# --- browse and search ------------------------------------------------------------------


def test_anonymous_visitors_see_public_versions_but_no_drafts(
    grid: FactorDataset, alumina: FactorDataset, draft_only: FactorDataset
) -> None:
    body = _page(_client(None), "/factors/")

    assert GRID in body and ALUMINA in body
    assert "coal-CN" not in body
    assert "2022-r1" not in body
    assert "找到的因子数据集：2 个" in body


@pytest.mark.parametrize("who", ["anna", "pia"])
def test_curators_and_publishers_also_see_drafts(
    request: pytest.FixtureRequest, who: str, grid: FactorDataset, draft_only: FactorDataset
) -> None:
    client = _client(request.getfixturevalue(who))

    assert "coal-CN" in _page(client, "/factors/")
    assert "2022-r1" in _page(client, f"/factors/{GRID}/")
    assert "1900" in _page(client, "/factors/coal-CN/")


@pytest.mark.parametrize("who", [None, "uli"])
def test_a_dataset_with_only_drafts_is_not_found_by_the_public(
    request: pytest.FixtureRequest, who: str | None, draft_only: FactorDataset
) -> None:
    user = request.getfixturevalue(who) if who else None
    assert _client(user).get("/factors/coal-CN/").status_code == 404


def test_an_unknown_dataset_is_not_found() -> None:
    assert _client(None).get("/factors/no-such-factor/").status_code == 404


def _found(client: Client, query: str) -> set[str]:
    response = client.get(f"/factors/?{query}")
    assert response.status_code == 200
    return {dataset.code for dataset in response.context["page"]}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", {GRID, ALUMINA}),
        ("q=云南电网", {GRID}),
        ("q=YUNNAN", {GRID}),
        ("q=alumina-CN", {ALUMINA}),
        ("q=氧化铝", {ALUMINA}),
        ("q=steel", set()),
        ("category=energy", {GRID}),
        ("category=material", {ALUMINA}),
        ("region=CN-YN", {GRID}),
        ("region=CN", {ALUMINA}),
        ("year=2021", {GRID}),
        ("year=2019", set()),
        ("status=placeholder", {ALUMINA}),
        ("status=published&q=grid", {GRID}),
        # Filters the visitor may not use are ignored (and shown as errors), not obeyed.
        ("status=draft", {GRID, ALUMINA}),
        ("year=abc", {GRID, ALUMINA}),
    ],
)
def test_the_public_searches_by_text_category_region_year_and_status(
    grid: FactorDataset, alumina: FactorDataset, query: str, found: set[str]
) -> None:
    assert _found(_client(None), query) == found


def test_curators_filter_drafts_awaiting_review(
    anna: User, grid: FactorDataset, alumina: FactorDataset, draft_only: FactorDataset
) -> None:
    client = _client(anna)

    assert _found(client, "status=draft") == {GRID, "coal-CN"}
    # The row lists the matching versions only.
    [row] = [d for d in client.get("/factors/?status=draft&q=grid").context["page"]]
    assert [v.version for v in row.shown_versions] == ["2022-r1"]


def test_the_list_is_paginated(
    monkeypatch: pytest.MonkeyPatch, grid: FactorDataset, alumina: FactorDataset
) -> None:
    monkeypatch.setattr(views, "DATASETS_PER_PAGE", 1)
    client = _client(None)

    assert _found(client, "") == {ALUMINA}
    assert _found(client, "page=2") == {GRID}
    body = _page(client, "/factors/?category=&page=1")
    assert "第 1 页，共 2 页" in body
    assert 'href="?category=&amp;page=2"' in body  # the filters are kept


def test_placeholders_are_flagged_in_the_list_and_on_the_detail_page(
    alumina: FactorDataset,
) -> None:
    client = _client(None)
    for path in ("/factors/", f"/factors/{ALUMINA}/"):
        body = _page(client, path)
        assert 'class="badge badge-placeholder"' in body
        assert "占位：尚无公开数值" in body
    assert "尚未找到该因子的公开数值" in _page(client, f"/factors/{ALUMINA}/")


# --- the detail page --------------------------------------------------------------------


def test_the_detail_page_shows_values_source_quality_and_history(grid: FactorDataset) -> None:
    body = _page(_client(None, "en"), f"/factors/{GRID}/")

    assert "Yunnan grid average CO2 factor" in body
    assert "0.1073" in body and "0.1235" in body
    assert "CO2 — Carbon dioxide" in body
    assert "Masses of each gas" in body
    assert "生态环境部" in body and "2022年电力二氧化碳排放因子" in body
    assert "lognormal, geometric standard deviation 1.05" in body
    assert "reliability 2; completeness 1;" in body
    assert "Weak source: Secondary: a transcription or report of it" in body
    # Only web addresses become links.
    assert '<a href="https://www.mee.gov.cn/2021.html"' in body
    assert 'href="javascript:' not in body
    assert "javascript:alert(1)" in body
    assert "2022-r1" not in body  # anna's draft is not public


def test_characterised_values_state_their_gwp_set(grid: FactorDataset) -> None:
    pfc = _version(grid, "pfc", Status.DRAFT, None, gwp_set="AR5")
    FactorValue.objects.filter(version=pfc).delete()
    FactorValue.objects.create(version=pfc, gas="CO2e", origin="fossil",
                               amount_kg_per_unit=145.4)
    pfc.status = Status.PUBLISHED
    pfc.save()

    body = _page(_client(None, "en"), f"/factors/{GRID}/")

    assert "CO2e values, characterised with the GWP set AR5." in body


# --- permissions of the curator screens ---------------------------------------------------

CURATOR_PAGES = ["/factors/new/", f"/factors/{GRID}/new-version/",
                 f"/factors/{GRID}/versions/2022-r1/edit/"]


@pytest.mark.parametrize("path", CURATOR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(grid: FactorDataset, path: str) -> None:
    response = _client(None).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", CURATOR_PAGES)
@pytest.mark.parametrize("who", ["uli", "pia"])
def test_users_without_the_curator_permission_get_403(
    request: pytest.FixtureRequest, grid: FactorDataset, path: str, who: str
) -> None:
    assert _client(request.getfixturevalue(who)).get(path).status_code == 403


@pytest.mark.parametrize("path", CURATOR_PAGES)
def test_curators_open_the_curator_pages(anna: User, grid: FactorDataset, path: str) -> None:
    body = _page(_client(anna), path)
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'method="post"' in body


@pytest.mark.parametrize(
    ("step", "who", "expected_code", "expected_status"),
    [
        ("review", None, 302, Status.DRAFT),  # to the sign-in page
        ("review", "uli", 403, Status.DRAFT),
        ("review", "pia", 403, Status.DRAFT),  # publishing is not reviewing
        ("review", "bo", 302, Status.REVIEWED),
        ("publish", None, 302, Status.DRAFT),
        ("publish", "uli", 403, Status.DRAFT),
        ("publish", "bo", 403, Status.DRAFT),  # reviewing is not publishing
    ],
)
def test_only_curators_review_and_only_publishers_publish(
    request: pytest.FixtureRequest, grid: FactorDataset, step: str, who: str | None,
    expected_code: int, expected_status: str,
) -> None:
    user = request.getfixturevalue(who) if who else None

    response = _client(user).post(f"/factors/{GRID}/versions/2022-r1/{step}/")

    assert response.status_code == expected_code
    if who is None:
        assert response["Location"].startswith("/accounts/login/")
    assert _status(GRID, "2022-r1") == expected_status


@pytest.mark.parametrize("step", ["review", "publish"])
def test_state_changes_need_post(bo: User, pia: User, grid: FactorDataset, step: str) -> None:
    client = _client(bo if step == "review" else pia)
    assert client.get(f"/factors/{GRID}/versions/2022-r1/{step}/").status_code == 405
    assert _status(GRID, "2022-r1") == Status.DRAFT


def test_state_changes_need_the_csrf_token(bo: User, grid: FactorDataset) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bo)

    response = client.post(f"/factors/{GRID}/versions/2022-r1/review/")

    assert response.status_code == 403
    assert _status(GRID, "2022-r1") == Status.DRAFT


def test_unknown_versions_are_not_found(bo: User, grid: FactorDataset) -> None:
    assert _client(bo).post(f"/factors/{GRID}/versions/1999/review/").status_code == 404


# --- creating drafts ----------------------------------------------------------------------


def _version_data(**overrides: str) -> dict[str, str]:
    data = {
        "version": "2023", "region": "CN-YN", "reference_year": "2023", "valid_from": "",
        "valid_to": "", "method": "grid_average_location_based", "gwp_set": "",
        "source_publisher": "生态环境部", "source_document": "2023年电力二氧化碳排放因子",
        "source_year": "2025", "source_url": "https://www.mee.gov.cn/2023.html",
        "source_quality": "primary", "licence": "", "uncertainty_gsd": "", "note": "",
        "supersedes": "",
        **{f"pedigree_{name}": "" for name in ("reliability", "completeness", "temporal",
                                                "geographical", "technological")},
    }
    return {**data, **overrides}


def _values_data(*rows: tuple[str, str, str]) -> dict[str, str]:
    """The value rows as a browser posts them: blank rows keep the default origin."""
    rows += (("", "fossil", ""),) * max(3 - len(rows), 0)
    data = {"values-TOTAL_FORMS": str(len(rows)), "values-INITIAL_FORMS": "0",
            "values-MIN_NUM_FORMS": "0", "values-MAX_NUM_FORMS": "1000"}
    for i, (gas, origin, amount) in enumerate(rows):
        data.update({f"values-{i}-gas": gas, f"values-{i}-origin": origin,
                     f"values-{i}-amount_kg_per_unit": amount, f"values-{i}-source_note": ""})
    return data


def _dataset_data(**overrides: str) -> dict[str, str]:
    data = {"dataset-code": "cement-CN-YN", "dataset-name_zh": "水泥",
            "dataset-name_en": "Cement", "dataset-category": "material", "dataset-unit": "t"}
    return {**data, **overrides}


def test_a_curator_creates_a_dataset_with_its_first_draft(anna: User) -> None:
    response = _client(anna).post("/factors/new/", {
        **_dataset_data(), **_version_data(version="2024"),
        **_values_data(("CO2", "fossil", "612.5"), ("CH4", "fossil", "0.01"))})

    draft = FactorVersion.objects.get(dataset__code="cement-CN-YN")
    assert response.status_code == 302
    assert response["Location"] == f"/factors/cement-CN-YN/#v-{draft.pk}"
    assert draft.status == Status.DRAFT and draft.created_by == anna
    assert draft.version == "2024" and draft.source_quality == "primary"
    assert sorted((v.gas, v.amount_kg_per_unit) for v in draft.values.all()) == [
        ("CH4", 0.01), ("CO2", 612.5)]
    assert draft.dataset.name_zh == "水泥"


@pytest.mark.parametrize(
    ("data", "chinese", "english"),
    [
        (_dataset_data(**{"dataset-unit": "bananas"}),
         "不是平台可识别的单位", "is not a unit the platform knows"),
        (_dataset_data(**{"dataset-code": "new"}), "为保留字", "is reserved"),
        (_dataset_data(**{"dataset-code": "bad code!"}), "下划线或连字符号组成",
         "letters, numbers, underscores or hyphens"),
        (_dataset_data(**{"dataset-code": GRID}), "已存在使用此编号的因子数据集",
         "A factor dataset with this identifier exists already."),
        ({**_dataset_data(), **_version_data(source_publisher="")}, "这个字段是必填项",
         "This field is required."),
        ({**_dataset_data(), **_version_data(version="a/b")}, "版本号不能包含“/”",
         "A version label cannot contain “/”."),
        ({**_dataset_data(), **_version_data(valid_from="2024-02-01", valid_to="2024-01-01")},
         "失效日期早于生效日期", "The end of validity is before its start."),
        ({**_dataset_data(), **_version_data(pedigree_reliability="2")},
         "请填写全部五项谱系评分", "Give all five pedigree scores or none."),
        ({**_dataset_data(), **_version_data(uncertainty_gsd="0.5")},
         "确保该值大于或等于1.0", "greater than or equal to 1.0"),
        ({**_dataset_data(), **_values_data(("CO2", "fossil", "lots"))},
         "请输入每基准单位的千克数", "Enter a finite number of kg per reference unit"),
        ({**_dataset_data(), **_values_data(("CO2", "fossil", "inf"))},
         "请输入每基准单位的千克数", "Enter a finite number of kg per reference unit"),
        ({**_dataset_data(), **_values_data(("H2O", "fossil", "1"))},
         "未知气体“H2O”", "Unknown gas “H2O”"),
        ({**_dataset_data(), **_values_data(("CO2", "fossil", "1"), ("CO2", "fossil", "2"))},
         "CO2（化石）出现了两次", "CO2 (fossil) appears twice."),
        ({**_dataset_data(), **_values_data()}, "请至少填写一个数值", "Enter at least one value."),
    ],
)
def test_bad_input_is_refused_with_a_message_in_both_languages(
    anna: User, grid: FactorDataset, data: dict[str, str], chinese: str, english: str
) -> None:
    full = {**_dataset_data(), **_version_data(), **_values_data(("CO2", "fossil", "1")),
            **data}
    before = FactorVersion.objects.count()

    zh = _client(anna).post("/factors/new/", full)
    en = _client(anna, "en").post("/factors/new/", full)

    assert zh.status_code == en.status_code == 200
    assert chinese in zh.content.decode()
    assert "请更正以下错误。" in zh.content.decode()
    assert english in en.content.decode()
    assert FactorVersion.objects.count() == before
    assert not FactorDataset.objects.filter(code="cement-CN-YN").exists()


def test_a_new_version_is_prefilled_from_the_newest_current_one(
    anna: User, grid: FactorDataset
) -> None:
    response = _client(anna).get(f"/factors/{GRID}/new-version/")

    v2022 = FactorVersion.objects.get(dataset=grid, version="2022")
    form, values = response.context["version_form"], response.context["values"]
    assert form.initial["supersedes"] == v2022.pk
    assert form.initial["source_document"] == v2022.source_document
    assert form.initial["uncertainty_gsd"] == 1.05
    assert "version" not in form.initial  # a new label is the curator's choice
    assert values.initial == [{"gas": "CO2", "origin": "fossil", "amount_kg_per_unit": 0.1073,
                               "source_note": ""}]
    # Only current (published or placeholder) versions can be superseded.
    choices = {str(v) for v in form.fields["supersedes"].queryset}
    assert choices == {f"{GRID}@2021", f"{GRID}@2022"}


def test_a_new_version_can_start_from_a_chosen_version(anna: User, grid: FactorDataset) -> None:
    response = _client(anna).get(f"/factors/{GRID}/new-version/?from=2021")

    assert response.context["values"].initial[0]["amount_kg_per_unit"] == 0.1235


def test_a_curator_creates_a_correction_that_supersedes_the_published_version(
    bo: User, grid: FactorDataset
) -> None:
    v2022 = FactorVersion.objects.get(dataset=grid, version="2022")

    response = _client(bo).post(f"/factors/{GRID}/new-version/", {
        **_version_data(version="2022-r2", supersedes=str(v2022.pk)),
        **_values_data(("CO2", "fossil", "0.1079"))})

    assert response.status_code == 302
    draft = FactorVersion.objects.get(dataset=grid, version="2022-r2")
    assert draft.supersedes == v2022 and draft.created_by == bo
    assert _status(GRID, "2022") == Status.PUBLISHED  # until the correction is published


def test_a_version_label_is_unique_within_its_dataset(anna: User, grid: FactorDataset) -> None:
    response = _client(anna).post(f"/factors/{GRID}/new-version/", {
        **_version_data(version="2022"), **_values_data(("CO2", "fossil", "0.2"))})

    assert response.status_code == 200
    assert "该数据集已有版本“2022”。" in response.content.decode()
    assert FactorVersion.objects.filter(dataset=grid).count() == 3


# --- editing: drafts only, by their creator -------------------------------------------------


def test_the_creator_edits_a_draft_and_its_values_are_replaced(
    anna: User, grid: FactorDataset
) -> None:
    v2022 = FactorVersion.objects.get(dataset=grid, version="2022")
    response = _client(anna).post(f"/factors/{GRID}/versions/2022-r1/edit/", {
        **_version_data(version="2022-r1", supersedes=str(v2022.pk), region="CN-YN"),
        **_values_data(("CO2", "fossil", "0.1082"), ("N2O", "fossil", "0.000001"))})

    assert response.status_code == 302
    draft = FactorVersion.objects.get(dataset=grid, version="2022-r1")
    assert sorted((v.gas, v.amount_kg_per_unit) for v in draft.values.all()) == [
        ("CO2", 0.1082), ("N2O", 0.000001)]
    assert draft.status == Status.DRAFT and draft.source_quality == "primary"


def test_another_curator_cannot_edit_a_draft(bo: User, grid: FactorDataset) -> None:
    response = _client(bo, "en").post(f"/factors/{GRID}/versions/2022-r1/edit/", {
        **_version_data(version="2022-r1"), **_values_data(("CO2", "fossil", "9"))})

    assert response.status_code == 200
    assert "Only the curator who created" in response.content.decode()
    draft = FactorVersion.objects.get(dataset=grid, version="2022-r1")
    assert [v.amount_kg_per_unit for v in draft.values.all()] == [0.1081]


@pytest.mark.parametrize("method", ["get", "post"])
def test_published_versions_cannot_be_edited_through_the_pages(
    anna: User, grid: FactorDataset, method: str
) -> None:
    client = _client(anna)
    data = {**_version_data(version="2022"), **_values_data(("CO2", "fossil", "9"))}

    response = getattr(client, method)(f"/factors/{GRID}/versions/2022/edit/", data,
                                       follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(f"/factors/{GRID}/#v-")
    assert "2022 的状态为“已发布”，不能修改：只有草稿可以编辑。" in body
    v2022 = FactorVersion.objects.get(dataset=grid, version="2022")
    assert v2022.status == Status.PUBLISHED and v2022.source_quality == "secondary"
    assert [v.amount_kg_per_unit for v in v2022.values.all()] == [0.1073]


# --- review (four eyes) and publication -----------------------------------------------------


def test_the_creator_of_a_draft_cannot_review_it(anna: User, grid: FactorDataset) -> None:
    response = _client(anna).post(f"/factors/{GRID}/versions/2022-r1/review/", follow=True)

    assert "由您创建：必须由另一位管理员审核" in response.content.decode()
    version = FactorVersion.objects.get(dataset=grid, version="2022-r1")
    assert version.status == Status.DRAFT and version.reviewer is None


def test_the_detail_page_offers_review_to_others_only(
    anna: User, bo: User, grid: FactorDataset
) -> None:
    review = f'action="/factors/{GRID}/versions/2022-r1/review/"'
    assert review not in _page(_client(anna), f"/factors/{GRID}/")
    assert review in _page(_client(bo), f"/factors/{GRID}/")


def test_another_curator_reviews_and_a_publisher_publishes_the_correction(
    bo: User, pia: User, grid: FactorDataset
) -> None:
    reviewed = _client(bo).post(f"/factors/{GRID}/versions/2022-r1/review/", follow=True)
    assert "已审核，可以发布" in reviewed.content.decode()
    publisher = _client(pia, "en")
    assert "Publish (deprecates 2022)" in _page(publisher, f"/factors/{GRID}/")

    published = publisher.post(f"/factors/{GRID}/versions/2022-r1/publish/", follow=True)

    assert f"{GRID}@2022-r1 is published." in published.content.decode()
    new = FactorVersion.objects.get(dataset=grid, version="2022-r1")
    assert new.status == Status.PUBLISHED
    assert (new.reviewer, new.published_by) == (bo, pia)
    assert new.reviewed_at is not None and new.published_at is not None
    old = FactorVersion.objects.get(dataset=grid, version="2022")
    assert old.status == Status.DEPRECATED
    assert [v.amount_kg_per_unit for v in old.values.all()] == [0.1073]  # history is kept
    # The public history shows both, which supersedes which, and who did what.
    body = _page(_client(None, "en"), f"/factors/{GRID}/")
    assert "0.1081" in body and "0.1073" in body
    assert f'Superseded by\n          <a href="#v-{new.pk}">2022-r1</a>' in body
    assert f'<a href="#v-{old.pk}">2022</a>' in body
    assert '<span class="reviewer">bo</span>' in body
    assert '<span class="publisher">pia</span>' in body
    assert 'class="badge badge-deprecated"' in body


def test_a_draft_cannot_be_published_before_review(pia: User, grid: FactorDataset) -> None:
    response = _client(pia, "en").post(f"/factors/{GRID}/versions/2022-r1/publish/",
                                       follow=True)

    assert "Only a reviewed version can be published" in response.content.decode()
    assert _status(GRID, "2022-r1") == Status.DRAFT
    assert _status(GRID, "2022") == Status.PUBLISHED


@pytest.mark.parametrize(("step", "who"), [("review", "bo"), ("publish", "pia")])
def test_a_published_version_does_not_move_again(
    request: pytest.FixtureRequest, grid: FactorDataset, step: str, who: str
) -> None:
    client = _client(request.getfixturevalue(who), "en")

    response = client.post(f"/factors/{GRID}/versions/2021/{step}/", follow=True)

    assert "is Published" in response.content.decode()
    assert _status(GRID, "2021") == Status.PUBLISHED


def test_a_second_correction_of_the_same_version_cannot_be_published(
    anna: User, bo: User, pia: User, grid: FactorDataset
) -> None:
    v2022 = FactorVersion.objects.get(dataset=grid, version="2022")
    _version(grid, "2022-r2", Status.REVIEWED, 0.2, supersedes=v2022, created_by=bo,
             reviewer=anna)
    _client(bo).post(f"/factors/{GRID}/versions/2022-r1/review/")
    _client(pia).post(f"/factors/{GRID}/versions/2022-r1/publish/")

    response = _client(pia).post(f"/factors/{GRID}/versions/2022-r2/publish/", follow=True)

    assert "已不是现行版本" in response.content.decode()
    assert _status(GRID, "2022-r2") == Status.REVIEWED
    assert _status(GRID, "2022-r1") == Status.PUBLISHED


def test_publishing_a_figure_for_a_placeholder_deprecates_the_placeholder(
    anna: User, bo: User, pia: User, alumina: FactorDataset
) -> None:
    placeholder = alumina.versions.get()
    _client(anna).post(f"/factors/{ALUMINA}/new-version/", {
        **_version_data(version="2024", region="CN", supersedes=str(placeholder.pk)),
        **_values_data(("CO2", "fossil", "1230"))})
    _client(bo).post(f"/factors/{ALUMINA}/versions/2024/review/")
    _client(pia).post(f"/factors/{ALUMINA}/versions/2024/publish/")

    assert _status(ALUMINA, "2024") == Status.PUBLISHED
    assert _status(ALUMINA, "placeholder") == Status.DEPRECATED


# --- languages and signing in --------------------------------------------------------------


def test_the_factor_pages_are_chinese_first_and_switch_to_english(
    grid: FactorDataset,
) -> None:
    chinese = _page(_client(None), f"/factors/{GRID}/")
    english = _page(_client(None, "en"), f"/factors/{GRID}/")

    assert '<html lang="zh-hans">' in chinese
    assert "排放因子数据库" in chinese and "版本与历史" in chinese and "已发布" in chinese
    assert "Versions and history" not in chinese
    assert '<html lang="en">' in english
    assert "Factor database" in english and "Versions and history" in english
    assert "Published" in english and "版本与历史" not in english


def test_sign_in_and_sign_out(settings: Any, grid: FactorDataset) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user("carla", password="a long passphrase")
    client = Client()

    page = _page(client, "/accounts/login/?next=/factors/")
    assert "登录" in page and "用户名" in page and 'name="csrfmiddlewaretoken"' in page
    client.cookies["django_language"] = "en"
    assert "User name" in _page(client, "/accounts/login/")

    wrong = client.post("/accounts/login/", {"username": "carla", "password": "nope",
                                              "next": "/factors/"})
    assert "did not match" in wrong.content.decode()

    signed_in = client.post("/accounts/login/", {"username": "carla",
                                                  "password": "a long passphrase",
                                                  "next": "/factors/"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/factors/"
    assert "Sign out" in _page(client, "/factors/")

    signed_out = client.post("/accounts/logout/", {"next": "/"})
    assert signed_out.status_code == 302
    assert "Sign in" in _page(client, "/factors/")
