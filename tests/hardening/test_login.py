"""Sign-in: throttled and locked out per account and per address (django-axes), and an
unknown user name costs the same password hashing as a known one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from world_fixtures import World

from tests.hardening.hashers import HASHED

LOGIN = "/accounts/login/"
def _sign_in(username: str, password: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username,
                                                    "password": password})


@pytest.fixture
def known(world: World) -> str:
    user = world.users["admin_a"]
    user.set_password("Right-password-2026")
    user.save()
    return user.get_username()


@pytest.mark.django_db
def test_an_account_is_locked_after_the_failures_from_any_address(known: str,
                                                                  settings: Any) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(known, "wrong", f"203.0.113.{attempt}").status_code == 200
    # The failure that reaches the limit locks the account at once.
    assert _sign_in(known, "wrong", "203.0.113.99").status_code == 429
    locked = _sign_in(known, "Right-password-2026", "198.51.100.9")
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode() or "locked" in locked.content.decode()


@pytest.mark.django_db
def test_an_address_is_locked_after_failures_on_any_accounts(known: str,
                                                            settings: Any) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(f"guess-{attempt}", "wrong")
    assert _sign_in(known, "Right-password-2026").status_code == 429
    # Another address signs in to the same account.
    assert _sign_in(known, "Right-password-2026", "198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(
        known: str, settings: Any) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(known, "wrong")
    assert _sign_in(known, "Right-password-2026").status_code == 302
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(known, "wrong")
    assert _sign_in(known, "Right-password-2026").status_code == 302


@pytest.mark.django_db
def test_an_unknown_user_name_costs_a_password_hashing_too(known: str, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.hardening.hashers.CountingHasher"]
    HASHED.clear()
    _sign_in("nobody-by-this-name", "some password")
    assert HASHED == ["some password"]
    HASHED.clear()
    _sign_in(known, "some password")  # stored with another hasher: hashed once to compare
    assert len(HASHED) <= 1
