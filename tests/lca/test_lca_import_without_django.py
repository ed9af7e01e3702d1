"""The calculation core is pure Python: it imports and computes with Django (and ninja and
psycopg) unavailable."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

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
    try:
        import django  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the blocker does not work")

    import yuntan.accounting
    import yuntan.electricity
    import yuntan.gwp
    import yuntan.identifiers
    import yuntan.lca
    import yuntan.units
    from yuntan.lca import Emission, FactorDataset, Input, Output, Process, build_system
    from yuntan.lca import footprint

    grid = FactorDataset("grid", "kWh", (Emission("CO2", 0.1073),))
    smelter = Process("smelter", (Output("aluminium", 1, "吨"),),
                      inputs=(Input("grid", 1.35, "万千瓦时"),))
    result = footprint(build_system([smelter], [grid]), {"aluminium": 1})
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(repr(round(result.total, 6)), loaded, yuntan.gwp.get_gwp_set().name)
""")


def test_it_imports_and_computes_without_django() -> None:
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=CHECKOUT, env=env, capture_output=True,
        text=True, timeout=60, check=False,
    )

    assert completed.returncode == 0, completed.stderr
    # 1.35 万千瓦时 = 13 500 kWh × 0.1073 = 1 448.55 kg CO2e; no blocked module was loaded.
    assert completed.stdout.split() == ["1448.55", "[]", "AR6"]
