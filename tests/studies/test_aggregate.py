"""Factors from the platform's own data: a production-weighted average of verified results,
only with at least three enterprises and none dominant, without naming any."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from studies_data import ALUMINIUM
from world_fixtures import World, make_uscc

from yuntan.platform.accounts.models import Organisation
from yuntan.platform.factors.models import FactorVersion, Status
from yuntan.platform.studies.aggregate import AggregationRefused, aggregate
from yuntan.platform.studies.models import Product, Study, StudyStatus
from yuntan.platform.studies.services import compute_result, set_activity


def _verified(world: World, org: Organisation, output_t: float, grid_10k_kwh: float,
              status: str = StudyStatus.VERIFIED) -> Any:
    product = Product.objects.create(organisation=org, name_zh="铝锭",
                                     rule_pack_id="electrolytic-aluminium", variant="ingot")
    study = Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                 period_end=datetime.date(2022, 12, 31),
                                 rule_pack_id="electrolytic-aluminium",
                                 rule_pack_version="1.0.0", variant="ingot")
    data = {**ALUMINIUM, "aluminium_liquid_output": (output_t, "t"),
            "aluminium_ingot_output": (output_t, "t"), "liquid_aluminium_cast": (output_t, "t"),
            "electricity_grid": (grid_10k_kwh, "万千瓦时")}
    set_activity(study, data, None, "test")
    result = compute_result(study, None, "test")
    Study.objects.filter(pk=study.pk).update(status=status)
    return result


def _enterprise(n: int, prefecture: str = "530300") -> Organisation:
    return Organisation.objects.create(kind="enterprise", name_zh=f"企业{n}",
                                       uscc=make_uscc(100 + n, prefecture),
                                       prefecture=prefecture)


@pytest.mark.django_db
def test_the_average_is_weighted_by_production(world: World, factors: None) -> None:
    a = _verified(world, _enterprise(1), 1000, 1350)
    b = _verified(world, _enterprise(2), 2000, 2600)
    c = _verified(world, _enterprise(3), 1000, 1400)
    _verified(world, _enterprise(4), 5000, 9000, status=StudyStatus.DRAFT)  # not verified

    found = aggregate("electrolytic-aluminium", "ingot", 2022)
    expected = (1000 * a.total_kg_co2e + 2000 * b.total_kg_co2e + 1000 * c.total_kg_co2e) / 4000
    assert found.total_kg_co2e == pytest.approx(expected)
    assert (found.enterprises, found.studies, found.production) == (3, 3, 4000)
    co2 = sum(kg for (gas, _origin), kg in found.per_declared_unit.items() if gas == "CO2")
    assert co2 > 0


@pytest.mark.django_db
def test_fewer_than_three_enterprises_or_a_dominant_one_is_refused(world: World,
                                                                   factors: None) -> None:
    _verified(world, _enterprise(1), 1000, 1350)
    _verified(world, _enterprise(2), 1000, 1350)
    with pytest.raises(AggregationRefused, match="3"):
        aggregate("electrolytic-aluminium", "ingot", 2022)
    _verified(world, _enterprise(3), 20_000, 27_000)  # 20 of 22 kt
    with pytest.raises(AggregationRefused, match="75"):
        aggregate("electrolytic-aluminium", "ingot", 2022)


@pytest.mark.django_db
def test_a_prefecture_average_counts_only_its_enterprises(world: World, factors: None) -> None:
    for n in range(3):
        _verified(world, _enterprise(n, "532600"), 1000, 1350)
    _verified(world, _enterprise(9, "530300"), 1000, 1350)
    assert aggregate("electrolytic-aluminium", "ingot", 2022, "532600").enterprises == 3
    with pytest.raises(AggregationRefused):
        aggregate("electrolytic-aluminium", "ingot", 2022, "530300")


@pytest.mark.django_db
def test_the_command_makes_a_draft_that_names_no_enterprise(world: World, factors: None) -> None:
    for n in range(3):
        _verified(world, _enterprise(n), 1000 + 100 * n, 1350)
    out = StringIO()
    call_command("derive_platform_factor", "electrolytic-aluminium", "ingot", "2022",
                 "--curator", "curator", stdout=out)
    draft = FactorVersion.objects.get(
        dataset__code="electrolytic-aluminium-ingot-CN-YN-platform-average")
    assert draft.status == Status.DRAFT and draft.created_by == world.users["curator"]
    assert draft.dataset.unit == "t" and draft.values.filter(gas="CO2").exists()
    text = " ".join([draft.note, draft.source_document, out.getvalue()])
    assert "3 enterprises" in text
    assert not any(f"企业{n}" in text for n in range(3))
    with pytest.raises(CommandError, match="not a factor curator"):
        call_command("derive_platform_factor", "electrolytic-aluminium", "ingot", "2022",
                     "--curator", "admin_a")
