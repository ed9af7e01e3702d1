"""The bomb suite: each hostile file or text is read in a fresh interpreter whose address
space is capped (RLIMIT_AS), and must end in the reader's own clear error, not a
MemoryError, a kill or a hang. Before the zip guard a 660 KB workbook took 2.5 GB and
189 s, and a 796 KB JSON-LD package more than 4 GB; under this cap they died."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.hardening.bombs import Repeat, deflated, xlsx_with

CHECKOUT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1024 * 1024 * 1024  # 1 GiB of address space (the interpreter needs ~350 MB)
GIVE_UP_SECONDS = 300  # a hang fails the test instead of stalling the suite

# 300,000 shared strings of 4,000 characters each: 1.2 GB of XML, and as much in Python
# strings, from a workbook of about 1.3 MB.
SHARED_STRINGS = Repeat(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                        b'main">', b"<si><t>" + b"a" * 4000 + b"</t></si>", 300_000,
                        b"</sst>")
# One process of 100 million empty exchanges: 300 MB of JSON from 0.3 MB.
HUGE_PROCESS = Repeat(b'{"@type": "Process", "@id": "p", "exchanges": [', b"{},",
                      100_000_000, b"{}]}")
# A values.csv of 600 MB in one line repeated.
HUGE_VALUES = Repeat(b"id,version,gas,origin,amount_kg_per_unit,source_note\n",
                     b"x,1,CO2,fossil,1.0,\n", 30_000_000, b"")


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(snippet: str) -> str:
    """Run ``snippet`` under the memory cap; its standard output, which must end with the
    line it prints for the error it caught."""
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(snippet)], env=env,
                          cwd=CHECKOUT, capture_output=True, text=True, timeout=GIVE_UP_SECONDS,
                          preexec_fn=_cap, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from yuntan.formats.excel import write_template
    from yuntan.rules import get_pack

    path = tmp_path_factory.mktemp("bombs") / "tea.xlsx"
    write_template(get_pack("tea"), path, values={})
    return path


def test_a_shared_strings_bomb_in_a_collection_template(template: Path,
                                                         tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_with(template, {"xl/sharedStrings.xml": SHARED_STRINGS}))
    assert bomb.stat().st_size < 3 * 1024 * 1024
    out = run_capped(f"""
        from yuntan.formats.excel import InvalidCollectionTemplate, read_template
        from yuntan.rules import get_pack
        try:
            read_template(get_pack, {str(bomb)!r})
        except InvalidCollectionTemplate as exc:
            print("refused:", exc.problems[0].rule, exc.problems[0].message_en)
    """)
    assert out.startswith("refused: too-large The workbook unpacks to too much"), out


def test_a_shared_strings_bomb_in_a_factor_workbook(tmp_path: Path) -> None:
    from yuntan.formats.factor_csv import read_factor_files
    from yuntan.formats.factor_excel import write_factor_workbook

    shipped = CHECKOUT / "yuntan" / "data" / "factors"
    plain = tmp_path / "factors.xlsx"
    write_factor_workbook(read_factor_files(shipped / "datasets.csv",
                                            shipped / "values.csv")[:2], plain)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_with(plain, {"xl/sharedStrings.xml": SHARED_STRINGS}))
    out = run_capped(f"""
        from pathlib import Path
        from yuntan.formats.factor_csv import FactorFileError
        from yuntan.formats.factor_excel import read_factor_workbook
        try:
            read_factor_workbook(Path({str(bomb)!r}))
        except FactorFileError as exc:
            print("refused:", exc.problems[0].message)
    """)
    assert out.startswith("refused: xl/sharedStrings.xml unpacks to"), out


def test_a_jsonld_package_with_one_huge_process(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(deflated({"olca-schema.json": b'{"version": 2}',
                               "processes/p.json": HUGE_PROCESS}))
    assert bomb.stat().st_size < 1024 * 1024
    out = run_capped(f"""
        from yuntan.formats.jsonld import InvalidJsonLdPackage, read_jsonld
        try:
            read_jsonld({str(bomb)!r})
        except InvalidJsonLdPackage as exc:
            print("refused:", exc.problems[0].message)
    """)
    assert out.startswith("refused: processes/p.json unpacks to"), out


def test_a_factor_zip_with_a_huge_values_file(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(deflated({"datasets.csv": b"id\n", "values.csv": HUGE_VALUES}))
    out = run_capped(f"""
        from pathlib import Path
        from yuntan.formats.factor_csv import FactorFileError, read_factor_zip
        try:
            read_factor_zip(Path({str(bomb)!r}))
        except FactorFileError as exc:
            print("refused:", exc.problems[0].message)
    """)
    assert out.startswith("refused: values.csv unpacks to"), out


@pytest.mark.parametrize("text", ["kWh**(9**9**9)", "kWh^9^9^9", "9**9**9**9",
                                  "(kWh**6)**6" * 10, "kWh" + "*kWh" * 5_000])
def test_a_unit_expression_bomb(text: str) -> None:
    out = run_capped(f"""
        from yuntan.errors import UnknownUnit
        from yuntan.units import conversion_factor
        try:
            conversion_factor({text!r}, "kWh")
        except UnknownUnit as exc:
            print("refused:", exc)
    """)
    assert out.startswith("refused: Not a unit"), out


@pytest.mark.parametrize("text,message", [
    ("[" * 10_000_000 + "]" * 10_000_000, "nests deeper than"),
    ('{"a": ' * 1_000_000 + "1" + "}" * 1_000_000, "nests deeper than"),
    ("[" + "9" * 100_000 + "]", "digits"),
    ("[1e999999]", "too large"),
    ("[NaN, Infinity]", "not a number JSON allows"),
])
def test_a_json_bomb(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "body.json"
    path.write_text(text)
    out = run_capped(f"""
        from pathlib import Path
        from yuntan.bounded_json import UnreadableJson, loads
        try:
            loads(Path({str(path)!r}).read_bytes())
        except UnreadableJson as exc:
            print("refused:", exc)
    """)
    assert out.startswith("refused:") and message in out, out


def test_a_deeply_nested_json_file_inside_a_jsonld_package(tmp_path: Path) -> None:
    # Small and within every size limit, but [[[[… recursed until a RecursionError escaped
    # the reader (an error page, not a problem list).
    nested = b"[" * 100_000 + b"]" * 100_000
    bomb = tmp_path / "deep.zip"
    bomb.write_bytes(deflated({"olca-schema.json": b'{"version": 2}',
                               "processes/p.json": nested}))
    out = run_capped(f"""
        from yuntan.formats.jsonld import InvalidJsonLdPackage, read_jsonld
        try:
            read_jsonld({str(bomb)!r})
        except InvalidJsonLdPackage as exc:
            print("refused:", exc.problems[0].message)
    """)
    assert "refused:" in out and "nested too deeply" in out, out
