"""Every public name of yuntan.formats.jsonld is documented in docs/jsonld.md."""

from __future__ import annotations

from pathlib import Path

import pytest

import yuntan.formats.jsonld as jsonld

DOC = Path(__file__).resolve().parents[3] / "docs" / "jsonld.md"


@pytest.mark.parametrize("name", jsonld.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in DOC.read_text(encoding="utf-8"), f"document {name} in docs/jsonld.md"
