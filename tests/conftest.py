"""Fixtures shared by the platform tests."""

from __future__ import annotations

from typing import Any

import pytest
from world_fixtures import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """Enterprises A (Kunming) and B (Pu'er), a verification body, the certification body,
    the provincial department, Pu'er's department and the platform operator; one user per
    role, named after it (see world_fixtures.build_world)."""
    return build_world()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
