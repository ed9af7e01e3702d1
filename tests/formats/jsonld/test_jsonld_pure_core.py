"""yuntan.formats.jsonld is pure: it reads, builds matrices and writes with Django (and ninja
and psycopg) unavailable."""

from __future__ import annotations

from purity import run_without_django


def test_it_reads_and_writes_without_django() -> None:
    out = run_without_django("""
        import tempfile
        from pathlib import Path

        from yuntan.formats.jsonld import (FactorDatasetRecord, GasAmount, read_jsonld,
                                           to_matrix_system, write_factor_datasets_jsonld)
        from yuntan.lca import footprint

        record = FactorDatasetRecord("grid", "2022", "电网", "grid", "kWh",
                                     (GasAmount("CO2", 0.5),))
        with tempfile.TemporaryDirectory() as folder:
            exported = write_factor_datasets_jsonld([record], Path(folder) / "f.zip")
            imported = read_jsonld(exported.path)
        matrices = to_matrix_system(imported)
        demand = matrices.demand_of(exported.process_ids["grid@2022"])
        print(footprint(matrices.system, demand).total)
    """, timeout=60)
    assert out.splitlines()[0] == "0.5"
