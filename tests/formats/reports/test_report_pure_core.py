"""The charts and reports are pure: a study is computed and reported in all three formats
with Django (and ninja and psycopg) unavailable."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent("""
    import importlib.abc
    import io
    import sys

    BLOCKED = ("django", "ninja", "psycopg", "psycopg2")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked for this test")
            return None

    sys.meta_path.insert(0, Block())
    sys.path.insert(0, "tests/formats/reports")
    from report_fixtures import coffee_outcome, report_for
    from yuntan.formats.reports import render_html, render_pdf, write_excel

    data = report_for(coffee_outcome())
    assert render_html(data, "en").startswith("<!DOCTYPE html>")
    assert render_pdf(data, "zh").startswith(b"%PDF-")
    write_excel(data, io.BytesIO())
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not loaded, loaded
    print("pure")
""")


def test_reports_need_no_django() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=CHECKOUT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pure"
