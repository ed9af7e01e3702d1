"""yuntan.rules is pure core: it loads and compiles every pack with Django unavailable,
and every schema key is documented in docs/rule-packs.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from purity import run_without_django
from pydantic import BaseModel

from yuntan.rules import schema, shipped_packs

CHECKOUT = Path(__file__).resolve().parents[2]

def test_it_loads_every_pack_without_django() -> None:
    out = run_without_django("""
        from yuntan.rules import list_packs, shipped_packs
        print(len(shipped_packs()))
    """, timeout=60)
    assert out.splitlines()[0] == str(len(shipped_packs()))


MODELS = [m for m in vars(schema).values()
          if isinstance(m, type) and issubclass(m, BaseModel) and m is not schema.PackModel
          and m.__module__ == schema.__name__]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_schema_key_is_documented(model: type[BaseModel]) -> None:
    text = (CHECKOUT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in text]
    assert not missing, f"{model.__name__}: document {missing} in docs/rule-packs.md"
