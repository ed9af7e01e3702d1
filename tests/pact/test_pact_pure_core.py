"""yuntan.pact imports and works with Django, ninja and psycopg unavailable."""

from __future__ import annotations

from purity import run_without_django


def test_it_writes_and_reads_a_footprint_without_django() -> None:
    out = run_without_django("""
        import json
        from pathlib import Path
        from yuntan.pact import parse_footprint, validate
        import yuntan.pact.client  # the HTTP client: standard library only
        data = json.loads(Path("yuntan/data/pact/v3/example-1.json").read_text())
        validate(data, "ProductFootprint", "3")
        print(parse_footprint(data).co2e_kg_per_declared_unit)
    """, timeout=60)
    assert out.splitlines()[0] == "0.384"
