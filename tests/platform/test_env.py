"""The env helpers fail loudly and read NAME_FILE; settings.py uses them at import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from yuntan.platform.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    secret_key_in,
)

NAME = "YUNTAN_TEST_VALUE"
CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (NAME, f"{NAME}_FILE", "YUNTAN_DEBUG", "YUNTAN_DEBUG_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("YES", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("no", False),
        (" no\n", False),
    ],
)
def test_env_bool_accepts_the_six_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, default="false") is expected


@pytest.mark.parametrize("raw", ["maybe", "", "on", "off", "2", "y", "truee"])
def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, default="false")


def test_env_bool_uses_the_default_declared_in_settings() -> None:
    assert env_bool("YUNTAN_DEBUG") is False


def test_env_str_uses_the_explicit_default_when_unset() -> None:
    assert env_str(NAME, default="fallback") == "fallback"


def test_an_undeclared_variable_without_default_is_an_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="not declared"):
        env_str(NAME)


def test_a_declared_variable_with_computed_default_needs_an_explicit_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="computed default"):
        env_str("DATABASE_URL")


@pytest.mark.parametrize("raw,expected", [("42", 42), ("-7", -7), (" 8 ", 8), ("0", 0)])
def test_env_int_parses_integers(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_int(NAME, default="1") == expected


@pytest.mark.parametrize("raw", ["4.2", "forty", "", "0x10", "1e3"])
def test_env_int_rejects_non_integers(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int(NAME, default="1")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("a,b", ["a", "b"]),
        (" localhost , [::1] ", ["localhost", "[::1]"]),
        ("one", ["one"]),
        ("", []),
        ("  ", []),
    ],
)
def test_env_list_splits_on_commas_and_trims(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[str]
) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_list(NAME, default="") == expected


@pytest.mark.parametrize("raw", ["a,,b", "a,b,", ",a"])
def test_env_list_rejects_empty_items(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list(NAME, default="")


def test_env_list_uses_the_declared_default_for_allowed_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("YUNTAN_ALLOWED_HOSTS", raising=False)
    assert env_list("YUNTAN_ALLOWED_HOSTS") == ["localhost", "127.0.0.1", "[::1]", "testserver"]


def test_env_reads_the_value_from_name_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret value\n", encoding="utf-8")
    monkeypatch.setenv(f"{NAME}_FILE", str(secret))
    assert env_str(NAME, default="unused") == "s3cret value"


def test_env_bool_and_int_read_name_file_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "flag").write_text("yes\n", encoding="utf-8")
    (tmp_path / "number").write_text("12\n", encoding="utf-8")
    monkeypatch.setenv("YUNTAN_DEBUG_FILE", str(tmp_path / "flag"))
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "number"))
    assert env_bool("YUNTAN_DEBUG") is True
    assert env_int(NAME, default="0") == 12


def test_a_missing_name_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}_FILE"):
        env_str(NAME, default="unused")


def test_setting_both_name_and_name_file_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "value").write_text("from file", encoding="utf-8")
    monkeypatch.setenv(NAME, "from env")
    monkeypatch.setenv(f"{NAME}_FILE", str(tmp_path / "value"))
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_str(NAME, default="unused")


def test_env_choice_rejects_unknown_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "fr")
    with pytest.raises(ImproperlyConfigured, match="zh-hans, en"):
        env_choice(NAME, ("zh-hans", "en"), default="zh-hans")
    monkeypatch.setenv(NAME, "en")
    assert env_choice(NAME, ("zh-hans", "en"), default="zh-hans") == "en"


def test_env_time_zone_rejects_unknown_zones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, "Mars/Olympus_Mons")
    with pytest.raises(ImproperlyConfigured, match="time zone"):
        env_time_zone(NAME, default="UTC")
    monkeypatch.setenv(NAME, "Asia/Shanghai")
    assert env_time_zone(NAME, default="UTC") == "Asia/Shanghai"


def test_a_postgres_url_selects_postgresql() -> None:
    config = database_from_url("postgres://alice:pw@db.example:6543/yuntan")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("yuntan", "alice", "pw")
    assert (config["HOST"], config["PORT"]) == ("db.example", 6543)


def test_a_sqlite_url_selects_sqlite(tmp_path: Path) -> None:
    config = database_from_url(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "x.sqlite3")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "nonsense://x", "not a url"])
def test_other_database_urls_are_refused(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_the_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = secret_key_in(tmp_path)
    assert len(first) >= 50
    assert secret_key_in(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["secret_key"]


def test_a_short_stored_secret_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("short", encoding="ascii")
    with pytest.raises(ImproperlyConfigured, match="shorter than 32"):
        secret_key_in(tmp_path)


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import yuntan.platform.settings as s; "
        "print(s.DATA_DIR, s.DATABASES['default']['NAME'], s.DEBUG, s.LANGUAGE_CODE, sep='|')"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("YUNTAN_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_create_the_data_dir_with_a_sqlite_database_and_a_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "data"
    result = _import_settings(
        {"YUNTAN_DATA_DIR": str(data_dir), "YUNTAN_DEBUG": "yes", "YUNTAN_LANGUAGE": "en"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        str(data_dir),
        str(data_dir / "yuntan.sqlite3"),
        "True",
        "en",
    ]
    assert (data_dir / "secret_key").is_file()


@pytest.mark.parametrize(
    "variable,value",
    [
        ("YUNTAN_DEBUG", "maybe"),
        ("YUNTAN_LANGUAGE", "fr"),
        ("YUNTAN_TIME_ZONE", "Asia/Kunming_City"),
        ("YUNTAN_ALLOWED_HOSTS", "a,,b"),
        ("DATABASE_URL", "mysql://root@localhost/yuntan"),
    ],
)
def test_settings_refuse_to_start_with_a_bad_value(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = _import_settings({"YUNTAN_DATA_DIR": str(tmp_path), variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_sqlite_urls_get_wal_a_busy_timeout_and_immediate_write_transactions() -> None:
    options = database_from_url("sqlite:////tmp/yuntan-test.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_postgres_urls_get_no_sqlite_options() -> None:
    config = database_from_url("postgres://u:p@127.0.0.1:5432/yuntan")
    assert "transaction_mode" not in config.get("OPTIONS", {})
