"""yuntan.formats.jsonld is pure: it reads, builds matrices and writes with Django (and ninja
and psycopg) unavailable."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent("""
    import importlib.abc
    import sys
    import tempfile
    from pathlib import Path

    BLOCKED = ("django", "ninja", "psycopg", "psycopg2")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, Block())
    from yuntan.formats.jsonld import (FactorDatasetRecord, GasAmount, read_jsonld,
                                       to_matrix_system, write_factor_datasets_jsonld)
    from yuntan.lca import footprint

    record = FactorDatasetRecord("grid", "2022", "电网", "grid", "kWh",
                                 (GasAmount("CO2", 0.5),))
    with tempfile.TemporaryDirectory() as folder:
        exported = write_factor_datasets_jsonld([record], Path(folder) / "f.zip")
        imported = read_jsonld(exported.path)
    matrices = to_matrix_system(imported)
    result = footprint(matrices.system, matrices.demand_of(exported.process_ids["grid@2022"]))
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(result.total, loaded)
""")


def test_it_reads_and_writes_without_django() -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run([sys.executable, "-c", SCRIPT], cwd=CHECKOUT, env=env,
                               capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["0.5", "[]"]
