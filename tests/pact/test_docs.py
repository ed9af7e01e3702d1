"""docs/pact.md names every public entry point of yuntan.pact."""

from __future__ import annotations

from pathlib import Path

import yuntan.pact

DOC = Path(__file__).resolve().parents[2] / "docs" / "pact.md"


def test_every_public_function_the_platform_calls_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    functions = [n for n in yuntan.pact.__all__
                 if callable(getattr(yuntan.pact, n)) and n[0].islower()
                 and n not in ("spec", "schema_names", "violations", "response_violations",
                               "decimal_string", "error_code", "pact_declared_unit", "v2_dqr",
                               "validity_period")]
    missing = [n for n in functions if f"`{n}`" not in text]
    assert not missing, missing
