"""Fixtures shared by the platform tests."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from world_fixtures import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """Enterprises A (Kunming) and B (Pu'er), a verification body, the certification body,
    the provincial department, Pu'er's department and the platform operator; one user per
    role, named after it (see world_fixtures.build_world)."""
    return build_world()


_TEST_NUMBERS = itertools.count()


@pytest.fixture(scope="session")
def _ledger_files(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("ledger")


@pytest.fixture(autouse=True)
def _ledger_keys_and_checkpoints_of_the_test(settings: Any, _ledger_files: Any) -> None:
    """Signing keys and exported checkpoints in a folder of the test session, never in the
    checkout's data folder (no key there: in-process checkpoints are skipped unless a test
    makes a key)."""
    test = next(_TEST_NUMBERS)  # folders of their own (made only when used)
    settings.YUNTAN_LEDGER_KEYS_DIR = str(_ledger_files / f"keys-{test}")
    settings.YUNTAN_LEDGER_CHECKPOINTS_DIR = str(_ledger_files / f"checkpoints-{test}")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def factors(db: None) -> None:
    """The shipped factor datasets, loaded."""
    from yuntan.platform.factors.actions import load_shipped_factors

    load_shipped_factors()


@pytest.fixture
def study(world: World, factors: None) -> Any:
    """Enterprise A's aluminium ingot and its 2022 study (no data yet)."""
    from yuntan.platform.studies.models import Product, Study

    product = Product.objects.create(organisation=world.orgs["enterprise_a"],
                                     name_zh="铝锭", name_en="Aluminium ingot",
                                     rule_pack_id="electrolytic-aluminium", variant="ingot")
    return Study.objects.create(product=product, period_start=datetime.date(2022, 1, 1),
                                period_end=datetime.date(2022, 12, 31),
                                rule_pack_id="electrolytic-aluminium",
                                rule_pack_version="1.0.0", variant="ingot",
                                created_by=world.users["admin_a"])
