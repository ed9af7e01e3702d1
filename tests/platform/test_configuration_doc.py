"""Every environment variable is declared once and documented."""

from __future__ import annotations

import re
from pathlib import Path

from yuntan.platform.env import SETTINGS

CHECKOUT = Path(__file__).resolve().parents[2]
DOC = CHECKOUT / "docs" / "configuration.md"


def _documented_rows() -> dict[str, str]:
    """Variable -> default cell of each row of the table in docs/configuration.md."""
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| `([^`]*)` \|", DOC.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def test_every_setting_is_documented_with_its_default() -> None:
    rows = _documented_rows()
    for setting in SETTINGS:
        assert setting.name in rows, f"document {setting.name} in {DOC.name}"
        assert rows[setting.name] == setting.documented_default, setting.name


def test_the_doc_lists_no_undeclared_variable() -> None:
    assert set(_documented_rows()) == {setting.name for setting in SETTINGS}


def test_every_setting_has_english_and_chinese_help() -> None:
    for setting in SETTINGS:
        assert setting.help and setting.help_zh, setting.name
        assert re.search(r"[\u4e00-\u9fff]", setting.help_zh), setting.name


def test_settings_py_reads_only_declared_variables() -> None:
    source = (CHECKOUT / "yuntan" / "platform" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\benv_\w+\(\s*\"([A-Z0-9_]+)\"", source))
    assert read == {setting.name for setting in SETTINGS}
    assert "os.environ" not in source
