"""Every public name of yuntan.labels is documented in docs/labels.md."""

from __future__ import annotations

from pathlib import Path

import pytest

import yuntan.labels as labels

DOC = Path(__file__).resolve().parents[2] / "docs" / "labels.md"


@pytest.mark.parametrize("name", labels.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in DOC.read_text(encoding="utf-8"), f"document {name} in docs/labels.md"
