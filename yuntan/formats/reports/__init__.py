"""The footprint report (产品碳足迹报告) as HTML, PDF and Excel, built from plain data.

>>> data = report_data(pack, outcome=outcome_as_dict(outcome), inputs=inputs.as_dict(),
...                    factors=rows, study_name_zh=..., ...)        # doctest: +SKIP
>>> render_html(data, "zh"); render_pdf(data, "en"); write_excel(data, path)  # doctest: +SKIP

Sections and the clause each answers: docs/reports.md.
"""

from yuntan.formats.reports.content import REQUIREMENTS, build_document, quantity
from yuntan.formats.reports.data import (
    FactorRow,
    Named,
    ReportData,
    StandardRef,
    Statement,
    report_data,
)
from yuntan.formats.reports.excel import write_excel
from yuntan.formats.reports.html import render_html
from yuntan.formats.reports.pdf import render_pdf

__all__ = [
    "REQUIREMENTS",
    "FactorRow",
    "Named",
    "ReportData",
    "StandardRef",
    "Statement",
    "build_document",
    "quantity",
    "render_html",
    "render_pdf",
    "report_data",
    "write_excel",
]
