"""Where an input comes from: another factor dataset, a supplier's footprint entered by hand,
or another of the enterprise's own studies; each link recorded and reproducible."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from studies_data import ALUMINIUM
from world_fixtures import World

from yuntan.platform.studies.models import Product, Study, SupplierFootprint
from yuntan.platform.studies.services import (
    StudyError,
    compute_result,
    recheck,
    set_activity,
    set_link,
)

GRID = "electricity-grid-average-CN-YN"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def aluminium(study: Study, world: World) -> Study:
    set_activity(study, ALUMINIUM, world.users["admin_a"], "form")
    return study


@pytest.mark.django_db
def test_a_supplier_footprint_replaces_the_default_factor(aluminium: Study,
                                                          world: World) -> None:
    base = compute_result(aluminium, None, "base")
    client = _client(world.users["member_a"])
    url = reverse("studies:link", args=[aluminium.pk, "alumina"])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "action": "add_supplier", "supplier": "示例氧化铝厂", "product": "冶金级氧化铝",
        "unit": "t", "kg_co2e_per_unit": "1200", "gwp_set": "AR6", "reference_year": "2022",
        "evidence": "supplier PCF statement 2023-015"})
    assert response.status_code == 302
    footprint = SupplierFootprint.objects.get()
    assert footprint.organisation == world.orgs["enterprise_a"]

    result = compute_result(aluminium, None, "with supplier data")
    # 1.92 t alumina per t aluminium at 1 200 kg CO2e/t instead of the shipped conservative
    # default (the version the study pinned).
    default = base.inputs["factors"]["alumina-production-CN"]
    assert {gas for gas, _origin, _amount in default["values"]} <= {"CO2", "CO2e"}
    per_t = sum(amount for _gas, _origin, amount in default["values"])
    assert default.get("default") is True
    assert result.total_kg_co2e - base.total_kg_co2e == pytest.approx(1.92 * (1200 - per_t))
    assert result.inputs["overrides"] == {"alumina": f"supplier-{footprint.pk}"}
    assert "alumina-production-CN" not in result.outcome["placeholders"]
    assert recheck(result).same
    change = aluminium.changes.get(source="link")
    assert change.detail == f"alumina-production-CN → supplier footprint {footprint}"


@pytest.mark.django_db
def test_another_own_study_supplies_an_input(aluminium: Study, world: World) -> None:
    anode_product = Product.objects.create(organisation=world.orgs["enterprise_a"],
                                           name_zh="另一条产线的铝锭",
                                           rule_pack_id="electrolytic-aluminium",
                                           variant="ingot")
    other = Study.objects.create(product=anode_product, period_start=datetime.date(2022, 1, 1),
                                 period_end=datetime.date(2022, 12, 31),
                                 rule_pack_id="electrolytic-aluminium",
                                 rule_pack_version="1.0.0", variant="ingot")
    with pytest.raises(StudyError, match="请先计算"):
        set_link(aluminium, "anode_net_consumption", other, None)
    set_activity(other, ALUMINIUM, None, "form")
    supplied = compute_result(other, None, "compute")  # kg CO2e per t of its product
    set_link(aluminium, "anode_net_consumption", other, None)
    result = compute_result(aluminium, None, "with own anodes")
    code = f"own-study-{other.pk}"
    assert result.inputs["factors"][code]["version"] == f"result-{supplied.number}"
    contribution = result.outcome["results"]["location_based"]["by_process"][code]
    assert contribution == pytest.approx(0.42 * supplied.total_kg_co2e, rel=1e-9)


@pytest.mark.django_db
def test_another_dataset_and_back_to_the_default(aluminium: Study, world: World) -> None:
    from yuntan.platform.factors.models import FactorDataset

    national = FactorDataset.objects.get(code="electricity-grid-average-CN")
    set_link(aluminium, "electricity_grid", national, None)
    result = compute_result(aluminium, None, "national grid")
    assert "electricity-grid-average-CN" in result.inputs["factors"]
    set_link(aluminium, "electricity_grid", None, None)
    assert not aluminium.links.exists()
    assert list(aluminium.changes.filter(source="link").values_list("detail", flat=True)) == [
        f"electricity-grid-average-CN → {GRID}", f"{GRID} → electricity-grid-average-CN"]


@pytest.mark.django_db
def test_links_are_checked(aluminium: Study, world: World) -> None:
    from yuntan.platform.factors.models import FactorDataset

    with pytest.raises(StudyError, match="kWh"):
        set_link(aluminium, "electricity_grid",
                 FactorDataset.objects.get(code="alumina-production-CN"), None)
    with pytest.raises(StudyError):
        set_link(aluminium, "aluminium_liquid_output", None, None)  # an output, not an input
    other = SupplierFootprint.objects.create(
        organisation=world.orgs["enterprise_b"], supplier="x", product="y", unit="t",
        kg_co2e_per_unit=1, reference_year=2022, evidence="e", created_by=world.users["admin_b"])
    with pytest.raises(StudyError, match="属于其他组织"):
        set_link(aluminium, "alumina", other, None)
    # Through the page, another organisation's footprint does not even exist.
    response = _client(world.users["admin_a"]).post(
        reverse("studies:link", args=[aluminium.pk, "alumina"]),
        {"action": "supplier", "id": str(other.pk)})
    assert response.status_code == 404
    assert not aluminium.links.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [
    ("member_a", 200), ("admin_b", 404), ("verifier", 404), ("platform_admin", 403),
])
def test_who_may_change_a_source(aluminium: Study, world: World, who: str,
                                 status: int) -> None:
    url = reverse("studies:link", args=[aluminium.pk, "alumina"])
    assert _client(world.users[who]).get(url).status_code == status
