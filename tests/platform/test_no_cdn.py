"""Nothing is loaded from another host: the platform must run on an isolated intranet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2] / "yuntan"
# src=/href= attributes, CSS url() and @import pointing at http(s):// or protocol-relative //.
EXTERNAL_ASSET = re.compile(
    r"""(?:\b(?:src|href|action)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(?:https?:)?//""",
    re.IGNORECASE,
)


def _web_files() -> list[Path]:
    files = []
    for folder in PACKAGE.rglob("*"):
        if folder.is_dir() and folder.name in {"templates", "static"}:
            files += [path for path in folder.rglob("*") if path.is_file()]
    return sorted(files)


def test_there_are_templates_to_check() -> None:
    assert PACKAGE / "platform" / "templates" / "base.html" in _web_files()


def test_the_pattern_catches_external_assets() -> None:
    for text in (
        '<script src="https://cdn.example/x.js">',
        "<link href='//fonts.example/css'>",
        "body { background: url(http://example.com/a.png) }",
        '@import "https://example.com/a.css";',
    ):
        assert EXTERNAL_ASSET.search(text), text
    assert not EXTERNAL_ASSET.search('<a href="/static/app.css">')


@pytest.mark.parametrize("path", _web_files(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_template_or_static_file_loads_from_another_host(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert not EXTERNAL_ASSET.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/health/", "/admin/login/"])
def test_rendered_pages_load_nothing_from_another_host(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert not EXTERNAL_ASSET.search(response.content.decode())
