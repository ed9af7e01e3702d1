"""The report's inventory and results as an Excel workbook with bilingual headers.

Sheets: 摘要 summary, 活动数据 activity data, 因子 factors (with sources and values),
结果 results (every breakdown under both electricity methods, side by side). Numbers are
written as numbers, every digit kept, so the workbook reads back exactly.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from yuntan.formats.excel.cells import text_only
from yuntan.formats.reports.data import ReportData

SUMMARY_SHEET = "摘要 summary"
ACTIVITY_SHEET = "活动数据 activity data"
FACTORS_SHEET = "因子 factors"
RESULTS_SHEET = "结果 results"

BOLD = Font(bold=True)
FLAG = PatternFill("solid", fgColor="FFF4E5")
WRAP = Alignment(wrap_text=True, vertical="top")

# Breakdowns of the results sheet: (dimension key of result_as_dict, Chinese, English).
BREAKDOWNS = (
    ("by_stage", "阶段", "stage"),
    ("by_gas", "气体", "gas"),
    ("by_origin", "来源类型", "origin"),
    ("by_process", "过程", "process"),
    ("by_input", "输入", "input"),
    ("biogenic_split", "生物源分项", "biogenic split"),
)


def _header(sheet: Worksheet, labels: Iterable[tuple[str, str]]) -> None:
    sheet.append([f"{zh} / {en}" for zh, en in labels])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _summary(sheet: Worksheet, data: ReportData) -> None:
    sheet.title = SUMMARY_SHEET
    _header(sheet, [("项目", "item"), ("值", "value")])
    outcome = data.outcome
    rows: list[tuple[str, str, Any]] = [
        ("研究", "study", f"{data.study_name_zh} / {data.study_name_en}"),
        ("产品", "product", f"{data.product_name_zh} / {data.product_name_en}"),
        ("组织", "organisation", f"{data.organisation_name_zh} / {data.organisation_name_en}"),
        ("统一社会信用代码", "unified social credit code", data.organisation_uscc),
        ("所在州（市）", "prefecture", f"{data.prefecture_zh} / {data.prefecture_en}"),
        ("声明单位", "declared unit", data.declared_unit),
        ("数据时间范围", "reference period", data.reference_period),
        ("核算规则", "rule pack", f"{data.rule_pack_id} {data.rule_pack_version}"),
        ("系统边界", "system boundary", data.system_boundary),
        ("电力主报告方法", "electricity headline method", data.headline),
    ]
    for method, result in outcome["results"].items():
        rows.append((f"产品碳足迹 kg CO2e（{method}）", f"footprint kg CO2e ({method})",
                     float(result["total"])))
    headline = data.result
    rows += [
        ("GWP 数据集", "GWP set", str(headline.get("gwp_set", ""))),
        ("初级数据占比", "primary data share", headline.get("primary_data_share")),
        ("数据质量评分", "data quality rating", (headline.get("data_quality") or {}).get("dqr")),
        ("等级", "grade", f"{outcome['grade'].get('name_zh', '')} / "
                            f"{outcome['grade'].get('name_en', '')}"),
        ("占位因子", "placeholder factors", ", ".join(data.placeholders)),
        ("示意数据", "illustrative data", data.illustrative),
        ("结果编号", "result number", data.result_number),
        ("计算时间", "computed at", data.computed_at),
        ("引擎版本", "engine version", data.engine_version),
        ("输入 SHA-256", "inputs SHA-256", data.inputs_sha256),
    ]
    for zh, en, value in rows:
        sheet.append([f"{zh} / {en}", value])
        if en == "placeholder factors" and value:
            sheet.cell(row=sheet.max_row, column=2).fill = FLAG
    _widths(sheet, [44, 70])


def _activity(sheet: Worksheet, data: ReportData) -> None:
    _header(sheet, [("编号", "field"), ("中文名称", "name_zh"), ("英文名称", "name_en"),
                    ("阶段", "stage"), ("数量", "amount"), ("单位", "unit")])
    fields = {f.id: f for f in data.fields}
    for key, (amount, unit) in data.inputs.get("activity", {}).items():
        spec = fields.get(key)
        sheet.append([key, spec.name_zh if spec else "", spec.name_en if spec else "",
                      spec.group if spec else "", float(amount), str(unit)])
    _widths(sheet, [30, 28, 36, 16, 14, 14])


def _factors(sheet: Worksheet, data: ReportData) -> None:
    _header(sheet, [("编号", "code"), ("版本", "version"), ("中文名称", "name_zh"),
                    ("英文名称", "name_en"), ("基准单位", "unit"), ("发布机构", "publisher"),
                    ("来源文件", "document"), ("来源年份", "year"), ("来源地址", "url"),
                    ("占位", "placeholder"), ("气体", "gas"), ("来源类型", "origin"),
                    ("每单位千克数", "kg per unit")])
    values = data.inputs.get("factors", {})
    for row in data.factors:
        pinned = values.get(row.code, {})
        gases = pinned.get("values") or [["", "", None]]
        placeholder = row.placeholder or row.code in data.placeholders
        for gas, origin, amount in gases:
            sheet.append([row.code, row.version, row.name_zh, row.name_en, row.unit,
                          row.source_publisher, row.source_document, row.source_year,
                          row.source_url, placeholder, gas, origin,
                          None if amount is None else float(amount)])
            if placeholder:
                for cell in sheet[sheet.max_row]:
                    cell.fill = FLAG
    _widths(sheet, [34, 10, 30, 36, 10, 20, 50, 10, 30, 10, 8, 16, 16])


def _results(sheet: Worksheet, data: ReportData) -> None:
    methods = [data.headline, *sorted(m for m in data.outcome["results"] if m != data.headline)]
    _header(sheet, [("维度", "dimension"), ("编号", "key"), ("名称", "name"),
                    *((f"kg CO2e（{m}）", m) for m in methods)])
    results = data.outcome["results"]
    sheet.append(["total", "total", "合计 / total",
                  *(float(results[m]["total"]) for m in methods)])
    for dimension, _, _ in BREAKDOWNS:
        keys: list[str] = []
        for method in methods:
            keys += [k for k in results[method][dimension] if k not in keys]
        for key in keys:
            names = f"{data.name_of(key, 'zh')} / {data.name_of(key, 'en')}"
            sheet.append([dimension, key, names,
                          *(_number(results[m][dimension].get(key)) for m in methods)])
            if key in data.placeholders:
                for cell in sheet[sheet.max_row]:
                    cell.fill = FLAG
    _widths(sheet, [16, 40, 50, *([22] * len(methods))])


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


_NUMBER_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><v>([^<]*)</v></c>')


def _replacer(cells: dict[bytes, bytes]) -> Callable[[re.Match[bytes]], bytes]:
    def replace(match: re.Match[bytes]) -> bytes:
        text = cells.get(match.group(1), match.group(3))
        return b'<c r="%s"%s><v>%s</v></c>' % (match.group(1), match.group(2), text)
    return replace


def _exact_numbers(workbook_bytes: bytes, book: Workbook) -> bytes:
    """openpyxl writes floats with 16 significant digits ("%.16g"); a double needs up to 17.
    Rewrite each float cell whose text does not read back as the same double with repr."""
    exact: dict[str, dict[bytes, bytes]] = {}
    for index, sheet in enumerate(book.worksheets, start=1):
        cells: dict[bytes, bytes] = {}
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, float) and float(f"{value:.16g}") != value:
                    cells[cell.coordinate.encode()] = repr(value).encode()
        if cells:
            exact[f"xl/worksheets/sheet{index}.xml"] = cells
    if not exact:
        return workbook_bytes
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in exact:
                content = _NUMBER_CELL.sub(_replacer(exact[item.filename]), content)
            target.writestr(item, content)
    return out.getvalue()


def write_excel(data: ReportData, target: Path | str | IO[bytes]) -> None:
    """Write the inventory and results workbook to ``target`` (a path or a binary file)."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    _summary(summary, data)
    _activity(book.create_sheet(ACTIVITY_SHEET), data)
    _factors(book.create_sheet(FACTORS_SHEET), data)
    _results(book.create_sheet(RESULTS_SHEET), data)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > 40:
                    cell.alignment = WRAP
    buffer = io.BytesIO()
    text_only(book).save(buffer)
    content = _exact_numbers(buffer.getvalue(), book)
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(content)
    else:
        target.write(content)
