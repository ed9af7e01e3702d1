"""Read a filled data collection template back into activity data (all or nothing).

Every problem of the file is collected, each naming the sheet, the cell, the field and the
rule broken, and raised together as :class:`InvalidCollectionTemplate`; nothing partial is
returned. Values outside their plausible range are not errors: they come back as findings
(warnings for the verifier) with the activity data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from yuntan.formats.collection import Column, EntryProblem, check_entries, collection_stages
from yuntan.formats.excel.cells import cell_text
from yuntan.formats.excel.collection_template import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    ID_COLUMN,
    INSTRUCTIONS_SHEET,
    METADATA_SHEET,
    TEMPLATE_FORMAT,
    TEMPLATE_FORMAT_VERSION,
    UNIT_COLUMN,
    UNITS_SHEET,
    VALUE_COLUMN,
    CollectionTemplateError,
    sheet_names,
)
from yuntan.formats.safezip import UnsafeZip, checked_workbook
from yuntan.rules import ActivityData, Finding, RulePack, RulePackError

PackLoader = Callable[[str, str], RulePack]  # (pack id, version) → pack, e.g. get_pack
_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
_HEADERS = {c.key: c.header for c in COLUMNS}
# Rows read below the last field to notice rows that were added (and no further).
_TRAILING_ROWS = 50
_FIXED_SHEETS = frozenset({INSTRUCTIONS_SHEET, UNITS_SHEET, METADATA_SHEET})


@dataclass(frozen=True)
class TemplateProblem:
    """One problem of a filled template: where (sheet and cell), which field, which rule."""

    sheet: str | None
    cell: str | None
    field: str | None
    rule: str
    message_zh: str
    message_en: str

    @property
    def location(self) -> str:
        """``原材料获取与运输 Raw material!D7``, a sheet, or ``file`` for the whole file."""
        if self.sheet is None:
            return "file"
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.location}: [{self.rule}] {self.message_en}"


class InvalidCollectionTemplate(CollectionTemplateError):
    """A filled template that cannot be read; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[TemplateProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class CollectedTemplate:
    """What a valid filled template holds: the activity data ``{field_id: (amount, unit)}``
    in the units entered, for the pack and variant it was made for, with the findings of
    :func:`yuntan.rules.check_activity_data` (warnings such as out-of-range values)."""

    pack: RulePack
    variant: str
    activity_data: ActivityData
    findings: tuple[Finding, ...]


def _fatal(sheet: str | None, cell: str | None, rule: str, zh: str, en: str
           ) -> InvalidCollectionTemplate:
    return InvalidCollectionTemplate([TemplateProblem(sheet, cell, None, rule, zh, en)])


def _metadata(book: Any) -> dict[str, tuple[str, int]]:
    """key → (value text, row) of the metadata sheet."""
    if METADATA_SHEET not in book.sheetnames:
        raise _fatal(METADATA_SHEET, None, "sheet-missing",
                     f"缺少工作表「{METADATA_SHEET}」：这不是云碳数据收集模板，或该表被删除、改名。"
                     "请重新下载模板。",
                     f"The sheet {METADATA_SHEET!r} is missing: this is not a Yuntan data "
                     f"collection template, or the sheet was deleted or renamed. Download the "
                     f"template again.")
    found: dict[str, tuple[str, int]] = {}
    rows = book[METADATA_SHEET].iter_rows(min_row=2, max_row=60, max_col=2, values_only=True)
    for row, cells in enumerate(rows, start=2):
        key, value = (cell_text(c) for c in (*cells, None, None)[:2])
        if key:
            found[key] = (value, row)
    return found


def _pack_of(pack_or_loader: RulePack | PackLoader, meta: dict[str, tuple[str, int]]
             ) -> tuple[RulePack, str]:
    """The pack and variant the template was made for, checked against what was asked."""
    def value(key: str) -> tuple[str, str]:
        text, row = meta.get(key, ("", 0))
        return text, f"B{row}" if row else ""

    kind, kind_cell = value("format")
    if kind != TEMPLATE_FORMAT:
        raise _fatal(METADATA_SHEET, kind_cell or None, "not-a-template",
                     "元数据不是云碳数据收集模板的格式。请使用平台下载的模板。",
                     "The metadata is not that of a Yuntan data collection template; use a "
                     "template downloaded from the platform.")
    version, version_cell = value("format_version")
    if version != str(TEMPLATE_FORMAT_VERSION):
        raise _fatal(METADATA_SHEET, version_cell or None, "template-format-version",
                     f"模板格式版本 {version!r} 不受支持（应为 {TEMPLATE_FORMAT_VERSION}）。"
                     "请重新下载模板。",
                     f"Template format version {version!r} is not supported (expected "
                     f"{TEMPLATE_FORMAT_VERSION}); download the template again.")
    (pack_id, id_cell), (pack_version, pv_cell) = value("pack_id"), value("pack_version")
    if isinstance(pack_or_loader, RulePack):
        pack = pack_or_loader
        for found, wanted, cell, what_zh, what_en in (
            (pack_id, pack.id, id_cell, "核算规则", "rule pack"),
            (pack_version, pack.version, pv_cell, "核算规则版本", "rule pack version"),
        ):
            if found != wanted:
                raise _fatal(METADATA_SHEET, cell or None, "other-pack",
                             f"该模板是为{what_zh}「{pack_id} {pack_version}」制作的，不是"
                             f"「{pack.id} {pack.version}」。请下载并填写正确的模板。",
                             f"This template was made for {what_en} {pack_id} {pack_version}, "
                             f"not {pack.id} {pack.version}; download and fill the right one.")
    else:
        try:
            pack = pack_or_loader(pack_id, pack_version)
        except (RulePackError, KeyError) as exc:
            raise _fatal(METADATA_SHEET, id_cell or None, "unknown-pack",
                         f"平台上没有核算规则「{pack_id} {pack_version}」：{exc}",
                         f"No rule pack {pack_id} {pack_version} on the platform: {exc}") from exc
    variant, variant_cell = value("variant")
    if variant not in {v.id for v in pack.variants}:
        raise _fatal(METADATA_SHEET, variant_cell or None, "unknown-variant",
                     f"产品「{variant}」不是核算规则 {pack.label} 的产品。",
                     f"Product variant {variant!r} is not one of rule pack {pack.label}.")
    return pack, variant


def _cell_row(cell: str | None) -> int:
    match = re.search(r"\d+$", cell or "")
    return int(match.group()) if match else 0


def read_template(pack_or_loader: RulePack | PackLoader,
                  source: str | Path | IO[bytes]) -> CollectedTemplate:
    """Read a filled template written by :func:`write_template`.

    ``pack_or_loader`` is the pack the template must have been made for, or a function
    ``(pack_id, version) -> RulePack`` (such as :func:`yuntan.rules.get_pack`) to use the
    pack named in the template. Raises :class:`InvalidCollectionTemplate` with every problem.
    """
    try:
        book = load_workbook(checked_workbook(source), read_only=True, data_only=True)
    except UnsafeZip as exc:
        raise _fatal(None, None, "too-large", f"工作簿解压后过大，已拒绝：{exc}",
                     f"The workbook unpacks to too much and was refused: {exc}") from exc
    except Exception as exc:  # openpyxl raises several types for a file that is not xlsx
        raise _fatal(None, None, "not-a-workbook", f"不是 Excel 工作簿（.xlsx）：{exc}",
                     f"Not an Excel workbook (.xlsx): {exc}") from exc
    try:
        pack, variant = _pack_of(pack_or_loader, _metadata(book))
        return _read_stages(book, pack, variant)
    finally:
        book.close()


def _read_stages(book: Any, pack: RulePack, variant: str) -> CollectedTemplate:
    names = sheet_names(pack)
    order = {name: i for i, name in enumerate(names.values())}
    problems: list[TemplateProblem] = []
    entries: dict[str, tuple[object, object]] = {}
    located: dict[str, tuple[str, int]] = {}  # field id → (sheet, row)
    unread: set[str] = set()  # fields whose row could not be read (already a problem)
    unexpected = [n for n in book.sheetnames if n not in names.values()
                  and n not in _FIXED_SHEETS]
    for collected in collection_stages(pack, variant):
        name = names[collected.stage.id]
        ids = [f.spec.id for f in collected.fields]
        if name not in book.sheetnames:
            others = "、".join(unexpected) or "—"
            problems.append(TemplateProblem(
                name, None, None, "sheet-missing",
                f"缺少阶段「{collected.stage.name_zh}」的工作表「{name}」（被删除或改名？"
                f"其他工作表：{others}）。",
                f"The sheet {name!r} of stage {collected.stage.name_en} is missing (deleted "
                f"or renamed? other sheets: {', '.join(unexpected) or 'none'})."))
            unread.update(ids)
            continue
        last = FIRST_ROW + len(ids) - 1
        rows = list(book[name].iter_rows(min_row=1, max_row=last + _TRAILING_ROWS,
                                          max_col=len(COLUMNS), values_only=True))

        def cell(row: int, key: str, rows: list[tuple[Any, ...]] = rows) -> Any:
            cells = rows[row - 1] if row <= len(rows) else ()
            index = _INDEX[key]
            return cells[index] if index < len(cells) else None

        moved = [key for key in ("id", "value", "unit")
                 if cell_text(cell(HEADER_ROW, key)) != _HEADERS[key]]
        if moved:
            letter = {"id": ID_COLUMN, "value": VALUE_COLUMN, "unit": UNIT_COLUMN}[moved[0]]
            problems.append(TemplateProblem(
                name, f"{letter}{HEADER_ROW}", None, "columns-changed",
                f"表头「{_HEADERS[moved[0]]}」不在原位置：列被插入、删除或移动。请使用原模板。",
                f"The header {_HEADERS[moved[0]]!r} is not where it was: columns were "
                f"inserted, deleted or moved. Use the template as downloaded."))
            unread.update(ids)
            continue
        for row, field_id in enumerate(ids, start=FIRST_ROW):
            found = cell_text(cell(row, "id"))
            if found != field_id:
                problems.append(TemplateProblem(
                    name, f"{ID_COLUMN}{row}", field_id, "row-moved",
                    f"这一行应为字段「{field_id}」，却是「{found or '空'}」：行被移动、插入或删除。"
                    "请使用原模板，不要改动行。",
                    f"This row should hold field {field_id!r} but holds {found or 'nothing'!r}: "
                    f"rows were moved, inserted or deleted. Use the template as downloaded."))
                unread.add(field_id)
                continue
            entries[field_id] = (cell(row, "value"), cell(row, "unit"))
            located[field_id] = (name, row)
        for row in range(last + 1, len(rows) + 1):
            if any(cell_text(cell(row, key)) for key in ("id", "value")):
                problems.append(TemplateProblem(
                    name, f"{ID_COLUMN}{row}", None, "row-added",
                    "在字段表下方添加了行；模板只读取规定的字段，请删除该行。",
                    "A row was added below the fields; the template reads only the pack's "
                    "fields. Remove the row."))
                break
    checked = check_entries(pack, entries, variant)
    problems += [_located(p, located) for p in checked.problems if p.field not in unread]
    if problems:
        problems.sort(key=lambda p: (order.get(p.sheet or "", -1), _cell_row(p.cell),
                                     p.cell or ""))
        raise InvalidCollectionTemplate(problems)
    return CollectedTemplate(pack, variant, checked.activity_data, checked.findings)


def _located(problem: EntryProblem, located: dict[str, tuple[str, int]]) -> TemplateProblem:
    if problem.field is None or problem.field not in located:
        return TemplateProblem(None, None, problem.field, problem.rule, problem.message_zh,
                               problem.message_en)
    sheet, row = located[problem.field]
    letter = VALUE_COLUMN if problem.column is Column.VALUE else UNIT_COLUMN
    return TemplateProblem(sheet, f"{letter}{row}", problem.field, problem.rule,
                           problem.message_zh, problem.message_en)


