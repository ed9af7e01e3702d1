"""yuntan.rules is pure core: it loads and compiles every pack with Django unavailable,
and every schema key is documented in docs/rule-packs.md."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

from yuntan.rules import schema

CHECKOUT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import importlib.abc
    import sys

    BLOCKED = ("django", "ninja", "psycopg", "psycopg2")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, Block())
    from yuntan.rules import list_packs, shipped_packs
    print(len(shipped_packs()), sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
""")


def test_it_loads_every_pack_without_django() -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run([sys.executable, "-c", SCRIPT], cwd=CHECKOUT, env=env,
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["5", "[]"]


MODELS = [m for m in vars(schema).values()
          if isinstance(m, type) and issubclass(m, BaseModel) and m is not schema.PackModel
          and m.__module__ == schema.__name__]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_schema_key_is_documented(model: type[BaseModel]) -> None:
    text = (CHECKOUT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in text]
    assert not missing, f"{model.__name__}: document {missing} in docs/rule-packs.md"
