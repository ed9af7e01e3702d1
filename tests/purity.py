"""Run a snippet in a fresh interpreter where Django, ninja and psycopg cannot be imported:
the check that the pure core (yuntan.lca, rules, formats, ...) stays pure."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
BLOCKED = ("django", "ninja", "psycopg", "psycopg2")

_BLOCKER = textwrap.dedent(f"""
    import importlib.abc
    import sys

    BLOCKED = {BLOCKED!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{{name}} is blocked for this test")
            return None

    sys.meta_path.insert(0, Block())
""")

_REPORT = textwrap.dedent("""
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print("loaded:", loaded)
""")


def run_without_django(snippet: str, timeout: float = 120) -> str:
    """Run ``snippet`` (from the checkout) with Django blocked; return its standard output,
    whose last line is ``loaded: [...]`` (the blocked modules that were imported: none)."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = _BLOCKER + textwrap.dedent(snippet) + _REPORT
    done = subprocess.run([sys.executable, "-c", script], cwd=CHECKOUT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1] == "loaded: []", done.stdout
    return done.stdout
