"""The app's own translations: every message has Chinese, and the .mo files are current."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

from tests.platform.test_i18n import _read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "yuntan/platform/rulepacks/locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_committed_mo_file_matches_the_po_file(language: str) -> None:
    messages = LOCALE_DIR / language / "LC_MESSAGES"
    po = {k: v for k, v in _read_po(messages / "django.po").items() if k and v}
    with (messages / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    mo = {k: v for k, v in catalog._catalog.items() if k}  # type: ignore[attr-defined]
    assert mo == po, "run: cd yuntan/platform/rulepacks && django-admin compilemessages"


def test_every_message_has_a_chinese_translation() -> None:
    zh = _read_po(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po")
    en = _read_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po")
    assert set(zh) == set(en) and len(zh) > 100
    assert [msgid for msgid, msgstr in zh.items() if msgid and not msgstr] == []
