"""In a real browser: an enterprise enters gas bills on the cross-check data page and sees
the finding they raise; then shares its verified footprint through PACT and gives a
customer credentials (the secret shown once)."""

from __future__ import annotations

import datetime
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pages import click_and_wait, sign_in
from world_fixtures import World, build_world

from tests.exchange.exchange_fixtures import verify
from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.exchange.models import Customer, SharedFootprint
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.studies.models import Product, Study
from yuntan.platform.studies.services import compute_result, set_activity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = Path(tempfile.mkdtemp(prefix="yuntan-browser-"))
    settings.YUNTAN_JOBS_BACKEND = "inline"
    load_shipped_factors()
    call_command("label_keys", "--rotate", stdout=StringIO())
    return build_world()


def _study(world: World, name: str) -> Study:
    product = Product.objects.create(organisation=world.orgs["enterprise_a"], name_zh=name,
                                     rule_pack_id="electrolytic-aluminium", variant="ingot")
    return Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                period_end=datetime.date(2022, 12, 31),
                                rule_pack_id="electrolytic-aluminium",
                                rule_pack_version="1.0.0", variant="ingot",
                                created_by=world.users["admin_a"])


def test_bills_raise_a_finding_and_a_footprint_is_shared(browser: Any, live_server: Any,
                                                         province: World) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    draft = _study(province, "浏览器铝锭")
    set_activity(draft, ALUMINIUM, province.users["admin_a"], "form")
    compute_result(draft, province.users["admin_a"], "compute")
    verified = _study(province, "已核查铝锭")
    verify(verified, province)

    base = live_server.url
    sign_in(browser, base, "admin_a", "pw-admin_a-123", f"/studies/{draft.pk}/")
    click_and_wait(browser, browser.find_element(By.ID, "cross-check-data"))
    Select(browser.find_element(By.ID, "id_bill-field_id")).select_by_value(
        "casting_natural_gas")
    for field, value in (("id_bill-supplier", "云南燃气"), ("id_bill-number", "INV-1"),
                         ("id_bill-quantity", "12000"), ("id_bill-unit", "Nm3")):
        browser.find_element(By.ID, field).send_keys(value)
    for field, value in (("id_bill-period_start", "2022-01-01"),
                         ("id_bill-period_end", "2022-12-31")):
        browser.execute_script("arguments[0].value = arguments[1];",
                               browser.find_element(By.ID, field), value)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#bill-add button"))
    assert "INV-1" in browser.find_element(By.ID, "bills").text
    # 20,000 Nm3 reported against 12,000 billed: a high invoice finding, in Chinese.
    checks = browser.find_element(By.ID, "live-checks").text
    assert "invoice/invoice-deviation" in checks and "票据" in checks

    browser.get(f"{base}/exchange/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#shareable button"))
    footprint = SharedFootprint.objects.get()
    assert str(footprint.id) in browser.find_element(By.TAG_NAME, "h1").text
    assert "pcfExcludingBiogenicUptake" in browser.find_element(By.ID, "pf-v3").text

    browser.get(f"{base}/exchange/customers/")
    browser.find_element(By.NAME, "name").send_keys("Käufer AG")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#customer-create button"))
    secret = browser.find_element(By.ID, "client-secret").text
    assert len(secret) > 30
    browser.get(f"{base}/exchange/customers/")
    assert secret not in browser.page_source  # shown once
    assert Customer.objects.get().name == "Käufer AG"
