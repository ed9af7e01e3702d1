"""Chinese first: Simplified Chinese until the user picks English with the switch."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.test import Client

PACKAGE_DIR = Path(__file__).resolve().parents[2] / "yuntan"
LOCALE_DIR = PACKAGE_DIR / "platform" / "locale"
# The platform's catalog and each app's own (apps may keep their messages beside them).
LOCALE_DIRS = sorted(path for path in PACKAGE_DIR.rglob("locale") if path.is_dir())
CHINESE = "云碳 — 云南省产品碳足迹管理平台"
ENGLISH = "Yuntan — Yunnan product carbon footprint platform"


def test_home_page_is_chinese_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert f"<h1>{CHINESE}</h1>" in body
    assert ENGLISH not in body


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "zh-hans"
    assert f"<h1>{CHINESE}</h1>" in response.content.decode()


def test_the_language_cookie_selects_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response["Content-Language"] == "en"
    body = response.content.decode()
    assert f"<h1>{ENGLISH}</h1>" in body
    assert "云南省" not in body


def test_an_unsupported_language_cookie_falls_back_to_chinese(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    response = client.get("/")
    assert response["Content-Language"] == "zh-hans"
    assert CHINESE in response.content.decode()


def test_the_language_switch_stores_the_choice(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/health/"})
    assert response.status_code == 302
    assert response["Location"] == "/health/"
    assert response.cookies["django_language"].value == "en"
    # The cookie now wins over a browser that prefers Chinese.
    page = client.get("/", headers={"accept-language": "zh-CN"})
    assert f"<h1>{ENGLISH}</h1>" in page.content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert f"<h1>{CHINESE}</h1>" in client.get("/").content.decode()


def test_every_page_offers_the_switch_with_both_languages(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in body
    assert '<option value="zh-hans" selected>简体中文</option>' in body
    assert '<option value="en">English</option>' in body


_ESCAPES = {r"\n": "\n", r"\"": '"', "\\\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r'\\[n"\\]', lambda match: _ESCAPES[match.group(0)], text)


def _read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file without plural forms (enough for ours)."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    field = None
    text = path.read_text(encoding="utf-8")
    assert "msgid_plural" not in text, "extend _read_po for plural forms"
    for line in [*text.splitlines(), ""]:
        if line.startswith("#"):
            continue
        if match := re.fullmatch(r'(msgid|msgstr) "(.*)"', line):
            field = match.group(1)
            if field == "msgid":
                msgid, msgstr = match.group(2), None
            else:
                msgstr = match.group(2)
        elif match := re.fullmatch(r'"(.*)"', line):
            if field == "msgid":
                msgid = (msgid or "") + match.group(1)
            else:
                msgstr = (msgstr or "") + match.group(1)
        elif not line.strip() and msgid is not None and msgstr is not None:
            entries[_unescape(msgid)] = _unescape(msgstr)
            msgid = msgstr = field = None
    return entries


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_committed_mo_file_matches_the_po_file(locale_dir: Path, language: str) -> None:
    messages = locale_dir / language / "LC_MESSAGES"
    po = {k: v for k, v in _read_po(messages / "django.po").items() if k and v}
    with (messages / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    mo = {k: v for k, v in catalog._catalog.items() if k}  # type: ignore[attr-defined]
    assert mo == po, f"run: cd {locale_dir.parent} && django-admin compilemessages"


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS, ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_every_message_has_a_chinese_translation(locale_dir: Path) -> None:
    zh = _read_po(locale_dir / "zh_Hans" / "LC_MESSAGES" / "django.po")
    en = _read_po(locale_dir / "en" / "LC_MESSAGES" / "django.po")
    assert set(zh) == set(en)
    assert [msgid for msgid, msgstr in zh.items() if msgid and not msgstr] == []


@pytest.mark.django_db
def test_the_admin_uses_the_platform_name_in_both_languages(client: Client) -> None:
    assert "云碳管理后台" in client.get("/admin/login/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/admin/login/").content.decode()
    assert "Yuntan administration" in english
