"""The factor database in a real browser: a correction goes from draft to the public history.

Anna (curator) drafts a correction, Bo (another curator) reviews it, Pia (publisher) publishes
it, and an anonymous visitor finds it in the version history with the old value deprecated.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from pages import click_and_wait, sign_in

from yuntan.platform.factors.models import FactorDataset, FactorValue, FactorVersion, Status

pytestmark = pytest.mark.django_db(transaction=True)

CODE = "electricity-grid-average-CN-YN"
PASSWORD = "a long passphrase"


@pytest.fixture
def cast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for username, codename in (("anna", "change_factorversion"), ("bo", "change_factorversion"),
                               ("pia", "publish_factorversion")):
        user = User.objects.create_user(username, password=PASSWORD)
        user.user_permissions.add(Permission.objects.get(codename=codename))


@pytest.fixture
def grid() -> FactorVersion:
    dataset = FactorDataset.objects.create(
        code=CODE, name_zh="云南电网平均二氧化碳排放因子",
        name_en="Yunnan grid average CO2 factor", category="energy", unit="kWh")
    version = FactorVersion.objects.create(
        dataset=dataset, version="2022", region="CN-YN", reference_year=2022,
        method="grid_average_location_based", source_publisher="生态环境部",
        source_document="2022年电力二氧化碳排放因子", source_quality="secondary")
    FactorValue.objects.create(version=version, gas="CO2", origin="fossil",
                               amount_kg_per_unit=0.1073)
    version.status = Status.PUBLISHED
    version.save()
    return version


def _sign_in(browser: Any, base: str, username: str) -> None:
    sign_in(browser, base, username, PASSWORD, f"/factors/{CODE}/")


def _sign_out(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, "header form[action='/accounts/logout/'] button"))
    assert browser.find_elements(By.CSS_SELECTOR, "header a[href^='/accounts/login/']")


def _message(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.CSS_SELECTOR, "ul.messages").text)


def test_a_correction_is_drafted_reviewed_published_and_shown_in_the_history(
    browser: Any, live_server: Any, cast: None, grid: FactorVersion
) -> None:
    from selenium.webdriver.common.by import By

    base = live_server.url

    # Anna drafts the correction, prefilled from the published version it supersedes.
    _sign_in(browser, base, "anna")
    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, f"a[href='/factors/{CODE}/new-version/']"))
    assert browser.find_element(By.ID, "id_source_publisher").get_attribute("value") == "生态环境部"
    assert browser.find_element(
        By.CSS_SELECTOR, "#id_supersedes option[selected]").text == f"{CODE}@2022"
    browser.find_element(By.ID, "id_version").send_keys("2022-r1")
    amount = browser.find_element(By.NAME, "values-0-amount_kg_per_unit")
    amount.clear()
    amount.send_keys("0.1081")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=save]"))
    assert "草稿 electricity-grid-average-CN-YN@2022-r1 已保存" in _message(browser)
    # The four-eyes rule: Anna is not offered the review of her own draft.
    assert browser.find_elements(By.CSS_SELECTOR, "button[name=review]") == []
    _sign_out(browser)

    # Bo reviews it.
    _sign_in(browser, base, "bo")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=review]"))
    assert "已审核，可以发布" in _message(browser)
    _sign_out(browser)

    # Pia publishes it; the old version is deprecated.
    _sign_in(browser, base, "pia")
    publish = browser.find_element(By.CSS_SELECTOR, "button[name=publish]")
    assert "废止 2022" in publish.text
    click_and_wait(browser, publish)
    assert "electricity-grid-average-CN-YN@2022-r1 已发布" in _message(browser)
    _sign_out(browser)

    # Anyone now sees both versions in the history, the correction first.
    browser.delete_all_cookies()
    browser.get(f"{base}/factors/{CODE}/")
    sections = browser.find_elements(By.CSS_SELECTOR, "section.version")
    assert [s.find_element(By.TAG_NAME, "h3").text for s in sections] == [
        "版本 2022-r1 已发布 来源较弱：二手：转载或报道",
        "版本 2022 已废止 来源较弱：二手：转载或报道",
    ]
    new, old = sections
    assert "0.1081" in new.text and "0.1073" in old.text
    assert "bo" in new.find_element(By.CSS_SELECTOR, ".reviewer").text
    assert "pia" in new.find_element(By.CSS_SELECTOR, ".publisher").text
    assert "已被替代： 2022-r1" in old.find_element(By.CSS_SELECTOR, ".superseded-note").text
    assert browser.find_elements(By.CSS_SELECTOR, "div.curation") == []  # nothing to curate
    statuses = dict(grid.dataset.versions.values_list("version", "status"))
    assert statuses == {"2022": Status.DEPRECATED, "2022-r1": Status.PUBLISHED}
