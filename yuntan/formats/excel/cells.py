"""Small openpyxl helpers shared by the workbooks the platform writes and reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
# Cells the user fills: required ones stand out, conditional ones less so.
REQUIRED_FILL = PatternFill("solid", fgColor="FFE699")
CONDITIONAL_FILL = PatternFill("solid", fgColor="FFF5D6")
INPUT_FILL = PatternFill("solid", fgColor="E2EFDA")
PLACEHOLDER_FONT = Font(bold=True, color="9C5700")


def write_header(sheet: Worksheet, labels: Iterable[str], row: int | None = None) -> None:
    """Write a bold header row (appended, or at ``row``) and freeze the panes below it."""
    labels = list(labels)
    if row is None:
        sheet.append(labels)
        row = sheet.max_row
    else:
        for column, label in enumerate(labels, start=1):
            sheet.cell(row=row, column=column, value=label)
    for column in range(1, len(labels) + 1):
        sheet.cell(row=row, column=column).font = BOLD
    sheet.freeze_panes = f"A{row + 1}"


def cell_text(value: Any) -> str:
    """A cell's value as text: floats keep every digit, dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value).strip()


# A spreadsheet reads text starting with these as a formula (CSV/Excel injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_only(book: Workbook) -> Workbook:
    """Make every text cell of ``book`` text, never a formula: openpyxl stores a string
    starting with "=" as a formula, and Excel would run what a user typed as a product or
    supplier name. Text starting like a formula also gets Excel's quote prefix, so editing
    the cell keeps it text. The workbooks Yuntan writes hold no formulas of their own."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.quotePrefix = True
    return book


def set_widths(sheet: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
