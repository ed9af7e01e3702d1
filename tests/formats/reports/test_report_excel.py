"""The inventory and results workbook: bilingual headers, both electricity methods side by
side, every number read back exactly as computed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from report_fixtures import aluminium_outcome, report_for, with_placeholder

from yuntan.formats.reports import write_excel
from yuntan.formats.reports.excel import (
    ACTIVITY_SHEET,
    BREAKDOWNS,
    FACTORS_SHEET,
    RESULTS_SHEET,
    SUMMARY_SHEET,
)


def rows(book: Any, sheet: str) -> list[tuple[Any, ...]]:
    return list(book[sheet].iter_rows(values_only=True))


def test_the_workbook_has_its_sheets_with_bilingual_headers(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    write_excel(report_for(aluminium_outcome()), target)
    book = load_workbook(target)

    assert book.sheetnames == [SUMMARY_SHEET, ACTIVITY_SHEET, FACTORS_SHEET, RESULTS_SHEET]
    for sheet in book.sheetnames:
        header = rows(book, sheet)[0]
        assert all(" / " in str(h) for h in header), (sheet, header)


def test_results_of_both_methods_read_back_exactly() -> None:
    data = report_for(aluminium_outcome())
    buffer = io.BytesIO()
    write_excel(data, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    results = data.outcome["results"]
    methods = [data.headline, *sorted(m for m in results if m != data.headline)]
    table = rows(book, RESULTS_SHEET)

    assert table[0][3:] == tuple(f"kg CO2e（{m}） / {m}" for m in methods)
    assert table[1][3:] == tuple(results[m]["total"] for m in methods)
    seen = {(r[0], r[1]): r[3:] for r in table[2:]}
    for dimension, _, _ in BREAKDOWNS:
        for method_index, method in enumerate(methods):
            for key, value in results[method][dimension].items():
                assert seen[(dimension, key)][method_index] == value  # exact, not approx


def test_activity_and_factor_values_read_back_exactly(tmp_path: Path) -> None:
    data = report_for(with_placeholder("coffee", "urea-production-net-of-fixed-co2-CN"))
    target = tmp_path / "coffee.xlsx"
    write_excel(data, target)
    book = load_workbook(target)

    activity = {r[0]: (r[4], r[5]) for r in rows(book, ACTIVITY_SHEET)[1:]}
    assert activity == {k: (v[0], v[1]) for k, v in data.inputs["activity"].items()}
    factors = rows(book, FACTORS_SHEET)[1:]
    for code, pinned in data.inputs["factors"].items():
        written = [(r[10], r[11], r[12]) for r in factors if r[0] == code and r[10]]
        assert written == [tuple(v) for v in pinned["values"]]
    flagged = {r[0] for r in factors if r[9]}
    assert flagged == set(data.placeholders) == {"urea-production-net-of-fixed-co2-CN"}


def test_summary_states_the_headline_and_the_traceability_fields(tmp_path: Path) -> None:
    data = report_for(with_placeholder("coffee", "urea-production-net-of-fixed-co2-CN"))
    target = tmp_path / "coffee.xlsx"
    write_excel(data, target)
    summary = {r[0]: r[1] for r in rows(load_workbook(target), SUMMARY_SHEET)[1:]}

    assert summary["电力主报告方法 / electricity headline method"] == data.headline
    assert summary["输入 SHA-256 / inputs SHA-256"] == data.inputs_sha256
    assert summary[f"产品碳足迹 kg CO2e（{data.headline}） / footprint kg CO2e "
                   f"({data.headline})"] == data.result["total"]
    assert summary["占位因子 / placeholder factors"] == "urea-production-net-of-fixed-co2-CN"
    assert summary["示意数据 / illustrative data"] is True
