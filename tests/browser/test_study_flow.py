"""The enterprise's main flow in a real browser: sign in, register a product, open a study,
enter the activity data in the form, compute, see the charts, download the PDF report."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from pages import click_and_wait, sign_in
from world_fixtures import World, build_world

from tests.studies.studies_data import ALUMINIUM
from yuntan.platform.factors.actions import load_shipped_factors
from yuntan.platform.rulepacks.forms import unit_field_name
from yuntan.platform.studies.models import Result, Study

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".var" / "screenshots"


@pytest.fixture
def province(settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_shipped_factors()
    return build_world()


def test_an_enterprise_accounts_a_footprint_from_sign_in_to_report(
    browser: Any, live_server: Any, province: World
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base = live_server.url
    sign_in(browser, base, "member_a", "pw-member_a-123", "/products/")

    # Register a product under the aluminium rule pack.
    browser.find_element(By.ID, "id_name_zh").send_keys("原铝锭")
    browser.find_element(By.ID, "id_name_en").send_keys("Primary aluminium ingot")
    Select(browser.find_element(By.ID, "id_rule_pack_id")).select_by_value(
        "electrolytic-aluminium")
    Select(browser.find_element(By.ID, "id_variant")).select_by_value("ingot")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert "原铝锭" in browser.find_element(By.TAG_NAME, "h1").text

    # Open a study for 2022.
    browser.find_element(By.ID, "id_title").send_keys("2022 年度")
    for field, value in (("id_period_start", "2022-01-01"), ("id_period_end", "2022-12-31")):
        browser.execute_script("arguments[0].value = arguments[1];",
                               browser.find_element(By.ID, field), value)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    study = Study.objects.get(title="2022 年度")

    # Enter the activity data in the generated collection form.
    click_and_wait(browser, browser.find_element(By.ID, "enter-data"))
    for field_id, (amount, unit) in ALUMINIUM.items():
        box = browser.find_element(By.ID, f"id_{field_id}")
        box.clear()
        box.send_keys(str(amount))
        Select(browser.find_element(By.ID, f"id_{unit_field_name(field_id)}")).select_by_value(
            unit)
    # htmx checks the form as it is typed: an implausible amount is flagged at once.
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    alumina = browser.find_element(By.ID, "id_alumina")
    alumina.clear()
    alumina.send_keys("1500", Keys.TAB)
    WebDriverWait(browser, 20).until(
        lambda driver: driver.find_elements(By.ID, "check-warnings"))
    assert "alumina" in browser.find_element(By.ID, "check-warnings").text
    alumina.clear()
    alumina.send_keys("1920", Keys.TAB)
    WebDriverWait(browser, 20).until(lambda driver: driver.find_elements(By.ID, "check-ok"))
    click_and_wait(browser, browser.find_element(By.ID, "save-data"))
    assert study.activity.count() == len(ALUMINIUM)

    # Compute and read the result.
    click_and_wait(browser, browser.find_element(By.ID, "compute"))
    result = Result.objects.get(study=study)
    total = browser.find_element(By.ID, "total").text
    assert float(total.replace(",", "")) == pytest.approx(result.total_kg_co2e, rel=1e-3)
    charts = browser.find_elements(By.CSS_SELECTOR, "section.method svg.chart")
    assert len(charts) >= 10 and all(chart.size["height"] > 0 for chart in charts)
    # Alumina has no Yunnan figure: a conservative default, named with its share.
    completeness = browser.find_element(By.ID, "completeness")
    assert "氧化铝" in completeness.text  # named by the dataset's name, not its code
    assert any(a.get_attribute("href").endswith("/factors/alumina-production-CN/")
               for a in completeness.find_elements(By.TAG_NAME, "a"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "result.png"))

    # The PDF report, fetched with the browser's session.
    link = browser.find_element(By.ID, "report-pdf").get_attribute("href")
    session = browser.get_cookie("sessionid")["value"]
    request = urllib.request.Request(link, headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        pdf = response.read()
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and "甲铝业" in text
