"""The bilingual Excel data collection template of a rule pack (数据收集模板), written.

Sheets: 说明 Instructions (Chinese first, then English), one sheet per life-cycle stage
listing its fields with a value and a unit column to fill, 单位 Units (each field's unit
and the accepted alternatives) and 元数据 Metadata (which pack, version and variant the
template was made for, so :mod:`yuntan.formats.excel.collection_reader` can check it).
Stage sheets are protected without a password: only the value and unit cells are open,
so rows are not moved by accident.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from yuntan.errors import YuntanLcaError
from yuntan.formats.collection import (
    BOUNDARY_LABELS,
    DIMENSION_LABELS,
    EVIDENCE_LABELS,
    KIND_LABELS,
    REQUIREMENT_LABELS,
    CollectionField,
    CollectionStage,
    Requirement,
    collection_stages,
    placeholder_labels,
)
from yuntan.formats.excel.cells import (
    BOLD,
    CONDITIONAL_FILL,
    INPUT_FILL,
    PLACEHOLDER_FONT,
    REQUIRED_FILL,
    TITLE,
    WRAP,
    set_widths,
    text_only,
    write_header,
)
from yuntan.rules import ActivityData, RulePack

TEMPLATE_FORMAT = "yuntan-collection-template"
TEMPLATE_FORMAT_VERSION = 1
INSTRUCTIONS_SHEET = "说明 Instructions"
UNITS_SHEET = "单位 Units"
METADATA_SHEET = "元数据 Metadata"
HEADER_ROW = 4  # on stage sheets; rows 1-3 are the title and the notes in both languages
FIRST_ROW = HEADER_ROW + 1
UNITS_HEADER_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: float

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


COLUMNS = (
    Column("id", "字段编号", "Field id", 24),
    Column("name_zh", "名称", "Name (Chinese)", 26),
    Column("name_en", "英文名称", "Name", 30),
    Column("value", "数值", "Value", 14),
    Column("unit", "单位", "Unit", 12),
    Column("requirement", "填报要求", "Requirement", 18),
    Column("asked_unit", "规定单位", "Unit asked", 12),
    Column("process", "过程", "Process", 22),
    Column("kind", "类型", "Kind", 14),
    Column("range", "合理范围", "Plausible range", 22),
    Column("placeholder", "范围为占位值", "Range is a placeholder", 14),
    Column("evidence", "佐证材料", "Evidence", 26),
    Column("factor_dataset", "默认因子数据集", "Default factor dataset", 30),
    Column("default", "缺省值", "Default value", 12),
    Column("help", "说明", "Help", 60),
)
LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
ID_COLUMN, VALUE_COLUMN, UNIT_COLUMN = LETTER["id"], LETTER["value"], LETTER["unit"]

METADATA_KEYS = ("format", "format_version", "pack_id", "pack_version", "variant")
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({"/": "／", ":": "：", "\\": "-", "?": "？",
                                           "*": "-", "[": "(", "]": ")"})


class CollectionTemplateError(YuntanLcaError):
    """A data collection template that cannot be written (e.g. a value for an unknown field)."""


def sheet_names(pack: RulePack) -> dict[str, str]:
    """Stage id → sheet name (Chinese, then as much English as Excel's 31 characters allow)."""
    names: dict[str, str] = {}
    for collected in collection_stages(pack):
        stage = collected.stage
        zh = stage.name_zh.translate(_FORBIDDEN_IN_SHEET_NAMES).strip("'")[:31]
        name = zh
        for word in stage.name_en.translate(_FORBIDDEN_IN_SHEET_NAMES).split():
            longer = f"{name} {word}"
            if len(longer) > 31:
                break
            name = longer
        name = name.rstrip(" ,;-").strip("'")
        unique, n = name, 2
        while unique in names.values() or unique in (INSTRUCTIONS_SHEET, UNITS_SHEET,
                                                      METADATA_SHEET):
            unique = f"{name[:28]} {n}"
            n += 1
        names[stage.id] = unique
    return names


def _evidence_text(field: CollectionField) -> str:
    return ", ".join(e.value for e in field.spec.evidence)


def _help_text(field: CollectionField) -> str:
    spec = field.spec
    parts = [spec.help_zh, spec.help_en]
    if spec.default is not None:
        parts.append(f"缺省值来源 / default source: {spec.default_source}")
    if field.range_sources:
        parts.append("范围依据 / range source: " + "; ".join(field.range_sources))
    return "\n".join(p for p in parts if p)


def _row(field: CollectionField, value: tuple[float, str] | None) -> list[object]:
    spec, process = field.spec, field.process
    requirement_zh, requirement_en = REQUIREMENT_LABELS[field.requirement]
    kind_zh, kind_en = KIND_LABELS[spec.kind]
    cells: dict[str, object] = {
        "id": spec.id, "name_zh": spec.name_zh, "name_en": spec.name_en,
        "value": value[0] if value is not None else None,
        "unit": value[1] if value is not None else spec.unit,
        "requirement": f"{requirement_zh} / {requirement_en}",
        "asked_unit": spec.unit,
        "process": f"{process.name_zh} / {process.name_en}",
        "kind": f"{kind_zh} / {kind_en}",
        "range": field.range_text,
        "placeholder": "是 / yes" if field.range_placeholder else "",
        "evidence": _evidence_text(field),
        "factor_dataset": field.factor_dataset,
        "default": spec.default,
        "help": _help_text(field),
    }
    return [cells[c.key] for c in COLUMNS]


class _UnitLists:
    """The lists of accepted units on the units sheet, one column each, for validation."""

    def __init__(self, sheet: Worksheet, first_column: int) -> None:
        self.sheet = sheet
        self.next_column = first_column
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_of(self, field: CollectionField) -> str:
        units = field.units
        if units not in self.ranges:
            column = self.next_column
            self.next_column += 1
            letter = get_column_letter(column)
            dim_zh, dim_en = DIMENSION_LABELS[field.spec.dimension]
            header = self.sheet.cell(row=UNITS_HEADER_ROW, column=column,
                                     value=f"{dim_zh} / {dim_en} ({units[0]})")
            header.font = BOLD
            for offset, unit in enumerate(units, start=1):
                self.sheet.cell(row=UNITS_HEADER_ROW + offset, column=column, value=unit)
            self.sheet.column_dimensions[letter].width = 16
            last = UNITS_HEADER_ROW + len(units)
            self.ranges[units] = (f"'{UNITS_SHEET}'!${letter}${UNITS_HEADER_ROW + 1}:"
                                  f"${letter}${last}")
        return self.ranges[units]


def _stage_sheet(book: Workbook, name: str, pack: RulePack, collected: CollectionStage,
                 values: Mapping[str, tuple[float, str]], lists: _UnitLists) -> None:
    sheet = book.create_sheet(name)
    stage = collected.stage
    sheet["A1"] = f"{stage.name_zh} / {stage.name_en} — {pack.name_zh} / {pack.name_en} " \
                  f"{pack.version}"
    sheet["A1"].font = TITLE
    processes = {f.process.id: f.process for f in collected.fields}
    notes_zh = [f"{p.name_zh}：{p.help_zh}" for p in processes.values() if p.help_zh]
    notes_en = [f"{p.name_en}: {p.help_en}" for p in processes.values() if p.help_en]
    sheet["A2"] = " ".join([
        f"在「数值」列（{VALUE_COLUMN}）填写报告期的数量，在「单位」列（{UNIT_COLUMN}）选择单位；"
        "黄色为必填，浅黄色在填报该过程时必填。不要移动、插入或删除行。", *notes_zh])
    sheet["A3"] = " ".join([
        f"Enter the amount of the reporting period in the Value column ({VALUE_COLUMN}) and "
        f"pick its unit in the Unit column ({UNIT_COLUMN}); yellow cells are required, light "
        "yellow ones when their process is reported. Do not move, insert or delete rows.",
        *notes_en])
    write_header(sheet, [c.header for c in COLUMNS], row=HEADER_ROW)
    set_widths(sheet, {LETTER[c.key]: c.width for c in COLUMNS})

    amounts = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="数值 / Value",
        error="请输入不小于 0 的数字。/ Enter a number of at least 0.")
    sheet.add_data_validation(amounts)
    unit_validations: dict[str, DataValidation] = {}
    for row, field in enumerate(collected.fields, start=FIRST_ROW):
        sheet.append(_row(field, values.get(field.spec.id)))
        for letter in (VALUE_COLUMN, UNIT_COLUMN):
            cell = sheet[f"{letter}{row}"]
            cell.protection = Protection(locked=False)
            cell.fill = {Requirement.REQUIRED: REQUIRED_FILL,
                         Requirement.REQUIRED_IF_PROCESS: CONDITIONAL_FILL,
                         }.get(field.requirement, INPUT_FILL)
        amounts.add(f"{VALUE_COLUMN}{row}")
        source = lists.range_of(field)
        if source not in unit_validations:
            unit_validations[source] = DataValidation(
                type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                errorTitle="单位 / Unit",
                error="请从列表中选择单位。/ Pick a unit from the list.")
            sheet.add_data_validation(unit_validations[source])
        unit_validations[source].add(f"{UNIT_COLUMN}{row}")
        if field.range_placeholder:
            sheet[f"{LETTER['placeholder']}{row}"].font = PLACEHOLDER_FONT
        sheet[f"{LETTER['help']}{row}"].alignment = WRAP
    # No password: the lock guards against accidents, not against the enterprise.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _instructions(sheet: Worksheet, pack: RulePack, variant: str | None,
                  names: Mapping[str, str]) -> None:
    chosen = pack.variant(variant)
    declared = pack.declared_unit
    boundary_zh, boundary_en = BOUNDARY_LABELS[pack.system_boundary]
    placeholders = [(p.label_zh, p.label_en) for p in placeholder_labels(pack)]
    stage_list = list(names.values())
    steps_zh = [
        "1. 每个生命周期阶段一张工作表：" + "、".join(stage_list) + "。",
        "2. 在「数值」列填写报告期的数量，在「单位」列从下拉列表选择单位"
        f"（可选单位见「{UNITS_SHEET}」）。",
        "3. 黄色单元格必填；浅黄色在填报该可选过程时必填；留空的可选字段视为未填报。",
        "4. 数值不能为负数；超出合理范围的数值可以提交，但会提示核查。",
        "5. 保存为 .xlsx 后上传；整个文件有效时才会读取，错误会列出工作表、单元格和违反的规则。",
        "6. 请按「佐证材料」列准备证明文件，供核查机构查验。",
    ]
    steps_en = [
        "1. One sheet per life-cycle stage: " + ", ".join(stage_list) + ".",
        "2. Enter the amount of the reporting period in the Value column and pick its unit "
        f"from the list in the Unit column (accepted units: sheet '{UNITS_SHEET}').",
        "3. Yellow cells are required; light yellow ones when that optional process is "
        "reported; optional fields left empty count as not reported.",
        "4. Amounts cannot be negative; amounts outside the plausible range are accepted with "
        "a warning for the verifier.",
        "5. Save as .xlsx and upload it; nothing is read unless the whole file is valid, and "
        "each error names the sheet, the cell and the rule broken.",
        "6. Keep the documents listed under Evidence ready for the verifier.",
    ]
    legend_zh = [f"{e.value}：{zh}" for e, (zh, _en) in EVIDENCE_LABELS.items()]
    legend_en = [f"{e.value}: {en}" for e, (_zh, en) in EVIDENCE_LABELS.items()]
    rows: list[tuple[str, str]] = [
        ("数据收集模板", f"{pack.name_zh}（{pack.id} {pack.version}）"),
        ("核算规则编号", pack.id),
        ("版本", pack.version),
        ("产品", f"{chosen.name_zh}（{chosen.id}）"),
        ("声明单位", declared.label_zh or f"{declared.amount:g} {declared.unit}"),
        ("系统边界", boundary_zh),
        ("范围说明", pack.description_zh),
        ("填写方法", "\n".join(steps_zh)),
        ("佐证材料代码", "\n".join(legend_zh)),
        ("占位值", "以下数值尚无公开的官方数据，为待省级主管部门确认的占位值，仅供参考：\n"
         + ("\n".join(zh for zh, _en in placeholders) or "无")),
        ("", ""),
        ("Data collection template", f"{pack.name_en} ({pack.id} {pack.version})"),
        ("Rule pack id", pack.id),
        ("Version", pack.version),
        ("Product", f"{chosen.name_en} ({chosen.id})"),
        ("Declared unit", declared.label_en or f"{declared.amount:g} {declared.unit}"),
        ("System boundary", boundary_en),
        ("Scope", pack.description_en),
        ("How to fill it in", "\n".join(steps_en)),
        ("Evidence codes", "\n".join(legend_en)),
        ("Placeholders", "No official public figure exists yet for the following; they are "
         "placeholders to be confirmed by the province, for guidance only:\n"
         + ("\n".join(en for _zh, en in placeholders) or "none")),
    ]
    for label, value in rows:
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        sheet.cell(row=sheet.max_row, column=2).alignment = WRAP
    sheet["A1"].font = TITLE
    set_widths(sheet, {"A": 22, "B": 110})


def _units_sheet(sheet: Worksheet, stages: tuple[CollectionStage, ...]) -> None:
    sheet["A1"] = "单位：每个字段的规定单位及可选的同量纲单位；填报时自动换算。"
    sheet["A2"] = ("Units: each field's unit and the accepted units of the same kind; "
                   "amounts are converted on reading.")
    write_header(sheet, ["字段编号 / Field id", "名称 / Name", "规定单位 / Unit asked",
                         "量纲 / Dimension", "可选单位 / Accepted units"], row=UNITS_HEADER_ROW)
    fields = [field for collected in stages for field in collected.fields]
    # Explicit rows: the unit lists to the right were written first (see _UnitLists).
    for row, field in enumerate(fields, start=UNITS_HEADER_ROW + 1):
        dim_zh, dim_en = DIMENSION_LABELS[field.spec.dimension]
        cells = (field.spec.id, f"{field.spec.name_zh} / {field.spec.name_en}",
                 field.spec.unit, f"{dim_zh} / {dim_en}", ", ".join(field.units))
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=row, column=column, value=value)
    set_widths(sheet, {"A": 26, "B": 48, "C": 16, "D": 22, "E": 40})
    sheet.protection.sheet = True


def _metadata(sheet: Worksheet, pack: RulePack, variant: str,
              names: Mapping[str, str]) -> None:
    write_header(sheet, ["键 / Key", "值 / Value"])
    values = (TEMPLATE_FORMAT, TEMPLATE_FORMAT_VERSION, pack.id, pack.version, variant)
    for key, value in zip(METADATA_KEYS, values, strict=True):
        sheet.append([key, value])
    for stage_id, name in names.items():
        sheet.append([f"sheet:{stage_id}", name])
    set_widths(sheet, {"A": 24, "B": 40})
    sheet.protection.sheet = True


def write_template(pack: RulePack, target: str | Path | IO[bytes], variant: str | None = None,
                   values: ActivityData | None = None) -> None:
    """Write the data collection template of ``pack`` (for ``variant``, default the first)
    to ``target`` (.xlsx), prefilled with ``values`` ``{field_id: (amount, unit)}`` if given.

    Amounts are Excel numbers: openpyxl writes 16 significant digits and Excel keeps 15,
    so an amount with more digits than that comes back rounded.
    """
    chosen = pack.variant(variant).id
    values = dict(values or {})
    known = {f.id for f in pack.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise CollectionTemplateError(
            f"{', '.join(unknown)} are not fields of rule pack {pack.label}; prefill only "
            f"the pack's fields.")
    stages = collection_stages(pack, chosen)
    names = sheet_names(pack)
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _instructions(instructions, pack, chosen, names)
    units = book.create_sheet(UNITS_SHEET)  # filled below, placed after the stages
    lists = _UnitLists(units, first_column=7)
    for collected in stages:
        _stage_sheet(book, names[collected.stage.id], pack, collected, values, lists)
    _units_sheet(units, stages)
    book.move_sheet(units, offset=len(stages))
    _metadata(book.create_sheet(METADATA_SHEET), pack, chosen, names)
    text_only(book).save(target)


def template_filename(pack: RulePack, variant: str | None = None) -> str:
    """``coffee-1.0.0-roasted.xlsx``: what a downloaded template is called."""
    return re.sub(r"[^A-Za-z0-9._-]", "-",
                  f"{pack.id}-{pack.version}-{pack.variant(variant).id}") + ".xlsx"
