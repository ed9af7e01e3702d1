"""The shared openpyxl cell helpers."""

from __future__ import annotations

import datetime

from openpyxl import Workbook

from yuntan.formats.excel.cells import cell_text, write_header


def test_cell_text_keeps_digits_dates_and_trims() -> None:
    assert cell_text(None) == ""
    assert cell_text(0.1 + 0.2) == "0.30000000000000004"
    assert cell_text(datetime.datetime(2024, 3, 1, 12, 30)) == "2024-03-01"
    assert cell_text("  kg ") == "kg"
    assert cell_text(7) == "7"


def test_write_header_appends_or_places_a_bold_row_and_freezes_below() -> None:
    sheet = Workbook().create_sheet("s")
    write_header(sheet, ["编号 / id", "值 / value"])
    assert [c.value for c in sheet[1]] == ["编号 / id", "值 / value"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"

    write_header(sheet, ["a", "b"], row=4)
    assert sheet["B4"].value == "b" and sheet["B4"].font.bold and sheet.freeze_panes == "A5"
