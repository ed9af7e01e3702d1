"""Small openpyxl helpers shared by the workbooks the platform writes and reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


def set_widths(sheet: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
