"""Deployment settings: off by default for the local demo; with the production block of
docs/configuration.md, ``check --deploy`` is clean; files are created owner-only."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from yuntan.platform.env import SETTINGS_BY_NAME

CHECKOUT = Path(__file__).resolve().parents[2]
DOC = CHECKOUT / "docs" / "configuration.md"
DEPLOY = ("YUNTAN_SECURE_COOKIES", "YUNTAN_SSL_REDIRECT", "YUNTAN_HSTS_INCLUDE_SUBDOMAINS",
          "YUNTAN_HSTS_PRELOAD", "YUNTAN_TRUST_X_FORWARDED_PROTO",
          "YUNTAN_TRUST_X_FORWARDED_HOST")


def _production_block() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Production"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "docs/configuration.md: the Production section needs its ```sh block"
    return dict(re.findall(r"^export ([A-Z0-9_]+)=(\S+)$", block.group(1), re.M))


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YUNTAN_")
           and not k.startswith("DATABASE_URL")}
    env.update({"YUNTAN_DATA_DIR": str(tmp_path / "data"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'yuntan.sqlite3'}",
                "DJANGO_SETTINGS_MODULE": "yuntan.platform.settings", **extra})
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yuntan.cli", "manage", *args], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", DEPLOY)
def test_https_settings_are_off_by_default_for_the_local_demo(name: str) -> None:
    assert SETTINGS_BY_NAME[name].default == "false"
    assert SETTINGS_BY_NAME["YUNTAN_HSTS_SECONDS"].default == "0"


def test_the_production_block_uses_only_declared_variables() -> None:
    block = _production_block()
    assert set(DEPLOY) - {"YUNTAN_TRUST_X_FORWARDED_HOST"} <= set(block)
    for name in block:
        assert name.removesuffix("_FILE") in SETTINGS_BY_NAME, name


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    key = tmp_path / "secret_key"
    key.write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    production = _production_block()
    # Paths and the database of this machine; every other value exactly as documented.
    production.update({"YUNTAN_SECRET_KEY_FILE": str(key)})
    del production["DATABASE_URL"], production["YUNTAN_DATA_DIR"]
    checked = _manage(_clean_env(tmp_path, **production), "check", "--deploy",
                      "--fail-level", "WARNING")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_check_deploy_names_what_the_demo_defaults_leave_off(tmp_path: Path) -> None:
    checked = _manage(_clean_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert checked.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in checked.stdout + checked.stderr


def test_the_proxy_headers_are_trusted_only_when_configured(tmp_path: Path) -> None:
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "print(s.USE_X_FORWARDED_HOST, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))")
    run = [sys.executable, "-c", script]
    default = subprocess.run(run, env=_clean_env(tmp_path), capture_output=True, text=True)
    assert default.stdout.split() == ["False", "None"], default.stderr
    trusted = subprocess.run(run, env=_clean_env(tmp_path, YUNTAN_TRUST_X_FORWARDED_HOST="true",
                                                 YUNTAN_TRUST_X_FORWARDED_PROTO="true"),
                             capture_output=True, text=True)
    assert trusted.stdout.startswith("True ('HTTP_X_FORWARDED_PROTO', 'https')"), trusted.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_database_and_keys_are_owner_only(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    migrated = _manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    keys = _manage(env, "label_keys", "--rotate")
    assert keys.returncode == 0, keys.stderr
    data = tmp_path / "data"
    assert _mode(data) == 0o700
    assert _mode(data / "yuntan.sqlite3") == 0o600
    assert _mode(data / "secret_key") == 0o600
    private_keys = list(data.rglob("*.key"))
    assert private_keys and all(_mode(k) == 0o600 for k in private_keys)
    for sidecar in data.glob("yuntan.sqlite3-*"):
        assert _mode(sidecar) == 0o600, sidecar
