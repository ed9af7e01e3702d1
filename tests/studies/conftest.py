"""A study world: the shipped factors loaded, enterprise A's aluminium product and study."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from world_fixtures import World


@pytest.fixture
def factors(db: None) -> None:
    from yuntan.platform.factors.actions import load_shipped_factors

    load_shipped_factors()


@pytest.fixture
def study(world: World, factors: None) -> Any:
    from yuntan.platform.studies.models import Product, Study

    product = Product.objects.create(organisation=world.orgs["enterprise_a"],
                                     name_zh="铝锭", name_en="Aluminium ingot",
                                     rule_pack_id="electrolytic-aluminium", variant="ingot")
    return Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                period_end=datetime.date(2022, 12, 31),
                                rule_pack_id="electrolytic-aluminium",
                                rule_pack_version="1.0.0", variant="ingot",
                                created_by=world.users["admin_a"])
