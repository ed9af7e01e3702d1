from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yuntan.platform.ledger.keys import generate_key


@pytest.fixture
def keys(settings: Any, tmp_path: Path) -> Path:
    """A fresh signing key in a temporary key directory."""
    settings.YUNTAN_LEDGER_KEYS_DIR = str(tmp_path / "keys")
    generate_key()
    return tmp_path / "keys"
