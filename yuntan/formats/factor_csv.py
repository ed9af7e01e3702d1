"""Factor datasets as a CSV pair (``datasets.csv`` + ``values.csv``), also inside a zip.

Pure reading, checking and writing; the platform stores the rows (``load_factor_rows``).
:func:`read_factor_tables` checks the rows of either format (the Excel workbook uses it too)
and collects every problem: a bad file raises one :class:`FactorFileError` whose
``problems`` each name the file (and sheet), line (or row), record ``id@version``, field
and what is wrong.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from yuntan.errors import YuntanLcaError
from yuntan.formats.safezip import CSV_ZIP_LIMITS, Reader, UnsafeZip, open_zip
from yuntan.gwp import Origin, gases, gwp_set_names
from yuntan.units import parse_unit

# Data-quality scores of the pedigree matrix (1 best … 5 worst): all five or none.
PEDIGREE_COLUMNS = (
    "pedigree_reliability", "pedigree_completeness", "pedigree_temporal",
    "pedigree_geographical", "pedigree_technological",
)
# Optional: a file without these six columns (written before they existed) still reads.
UNCERTAINTY_COLUMNS = ("uncertainty_gsd", *PEDIGREE_COLUMNS)
DATASET_COLUMNS = (
    "id", "version", "name_zh", "name_en", "category", "unit", "region", "reference_year",
    "valid_from", "valid_to", "method", "status", "gwp_set", "source_publisher",
    "source_document", "source_year", "source_url", "source_quality", "licence",
    *UNCERTAINTY_COLUMNS, "note", "conservative_default",
)
# Optional like the uncertainty columns: files written before it existed still read.
# ``true`` marks a conservative default (not a local figure): it is used, never as zero,
# but a result resting on it is rated lower and names it (the logic of CBAM default values).
OPTIONAL_TRAILING = ("conservative_default",)
VALUE_COLUMNS = ("id", "version", "gas", "origin", "amount_kg_per_unit", "source_note")

# Chinese labels of the columns: exported headers read "中文 / english"; both spellings import.
LABELS_ZH = {
    "id": "编号", "version": "版本", "name_zh": "中文名称", "name_en": "英文名称",
    "category": "类别", "unit": "基准单位", "region": "地区", "reference_year": "基准年",
    "valid_from": "生效日期", "valid_to": "失效日期", "method": "方法", "status": "状态",
    "gwp_set": "GWP数据集", "source_publisher": "发布机构", "source_document": "来源文件",
    "source_year": "来源年份", "source_url": "来源地址", "source_quality": "来源质量",
    "licence": "许可", "uncertainty_gsd": "不确定性（几何标准差）",
    "pedigree_reliability": "谱系：可靠性", "pedigree_completeness": "谱系：完整性",
    "pedigree_temporal": "谱系：时间相关性", "pedigree_geographical": "谱系：地理相关性",
    "pedigree_technological": "谱系：技术相关性", "note": "备注", "gas": "气体",
    "conservative_default": "保守缺省值",
    "origin": "来源类型", "amount_kg_per_unit": "每单位千克数", "source_note": "数值说明",
}

# The vocabularies of the exchange format (the platform's model choices are the same lists;
# tests/factors/test_factor_vocabularies.py keeps them in step).
CATEGORIES = ("energy", "fuel_combustion", "material", "transport", "waste_treatment",
              "service", "process_emission")
METHODS = ("grid_average_location_based", "grid_average_excluding_market_nonfossil",
           "fossil_electricity", "market_based", "combustion_only", "cradle_to_gate",
           "process_default")
STATUSES = ("draft", "reviewed", "published", "deprecated", "placeholder")
SOURCE_QUALITIES = ("primary", "secondary", "unverified")
# The lengths the database stores (FactorDataset and FactorVersion fields).
MAX_LENGTHS = {
    "id": 120, "version": 40, "name_zh": 200, "name_en": 200, "unit": 32, "region": 32,
    "method": 64, "source_publisher": 300, "source_document": 500, "source_url": 500,
    "licence": 200,
}
REQUIRED = ("id", "version", "name_zh", "name_en", "category", "unit", "region", "method",
            "status")
ID_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")  # a URL slug: /factors/<id>/
YEARS = (1900, 2100)
DATE_PATTERN = re.compile(r"\d{4}-\d\d-\d\d")
PROGRESS_EVERY = 100  # rows between two progress reports


def bilingual_header(column: str) -> str:
    return f"{LABELS_ZH[column]} / {column}"


def column_of(header: str) -> str:
    """The column id of a header written either as ``id`` or as ``编号 / id``."""
    return header.rsplit("/", 1)[-1].strip()


@dataclass(frozen=True)
class FactorFileProblem:
    """One thing wrong with a factor file: where (file, sheet, line or row, record, field)
    and what."""

    file: str
    message: str
    sheet: str = ""
    line: int | None = None  # line of a CSV file, row of a sheet (the header is 1)
    record: str = ""  # "id@version"
    field: str = ""  # column id

    @property
    def where(self) -> str:
        """``datasets.csv line 4, grid@2022`` or ``f.xlsx, sheet 数值 values, row 4, …``."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        located = ", ".join(parts)
        if self.line is not None:
            located += f"{',' if self.sheet else ''} {'row' if self.sheet else 'line'} "
            located += str(self.line)
        return f"{located}, {self.record}" if self.record else located

    def __str__(self) -> str:
        where = f"{self.where}, field {self.field}" if self.field else self.where
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, str | int | None]:
        return {"file": self.file, "sheet": self.sheet, "line": self.line,
                "record": self.record, "field": self.field, "message": self.message,
                "where": self.where}


class FactorFileError(YuntanLcaError):
    """A factor file that cannot be imported; nothing of it is returned.

    ``problems`` lists every problem found; the message says how many and lists them all.
    """

    def __init__(self, problems: Iterable[FactorFileProblem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        self.summary = (f"{count} problem{'s' if count != 1 else ''} in the factor file; "
                        f"nothing was imported.")
        super().__init__("\n".join([self.summary, *(f"- {p}" for p in self.problems)]))


@dataclass(frozen=True)
class FactorValueRow:
    gas: str
    origin: str
    amount_kg_per_unit: float
    source_note: str


@dataclass(frozen=True)
class FactorVersionRow:
    """One row of ``datasets.csv`` with its values from ``values.csv``, and where it was read
    (so the platform's own checks can name the file and line too)."""

    fields: dict[str, str]
    values: tuple[FactorValueRow, ...] = field(default=())
    file: str = ""
    sheet: str = ""
    line: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.fields["id"], self.fields["version"]

    @property
    def record(self) -> str:
        return "@".join(self.key)

    @property
    def placeholder(self) -> bool:
        return self.fields["status"] == "placeholder"

    @property
    def conservative_default(self) -> bool:
        return self.fields.get("conservative_default", "") == "true"

    def problem(self, field_name: str, message: str) -> FactorFileProblem:
        return FactorFileProblem(self.file, message, self.sheet, self.line, self.record,
                                 field_name)


Table = list[tuple[int, dict[str, str]]]  # (line or row number, {column: text})
Progress = Callable[[int, int, str], None]  # (done, total, message)


@dataclass(frozen=True)
class SourceTable:
    """The rows of one CSV file or worksheet, and where they come from."""

    file: str
    rows: Table
    sheet: str = ""

    def problem(self, line: int | None, message: str, record: str = "",
                field_name: str = "") -> FactorFileProblem:
        return FactorFileProblem(self.file, message, self.sheet, line, record, field_name)


def check_header(file: str, header: Sequence[str], columns: Sequence[str],
                 sheet: str = "") -> tuple[list[str], list[FactorFileProblem]]:
    """Column ids of ``header`` and the problem if it is not ``columns`` in order (the
    uncertainty and pedigree columns may be left out altogether)."""
    found = [column_of(h) for h in header]
    while found and not found[-1]:  # trailing empty header cells (Excel, spreadsheets)
        found.pop()
    expected = list(columns)
    accepted = [[c for c in expected if c not in left_out]
                for left_out in ((), OPTIONAL_TRAILING, UNCERTAINTY_COLUMNS,
                                 (*UNCERTAINTY_COLUMNS, *OPTIONAL_TRAILING))]
    if found in accepted:
        return found, []
    return found, [FactorFileProblem(
        file, f"the header must be {','.join(expected)} (found {','.join(found)}).",
        sheet, 1)]


# --- checking -----------------------------------------------------------------------------


def _year(text: str) -> str | None:
    if not text:
        return None
    if not re.fullmatch(r"\d+", text) or not YEARS[0] <= int(text) <= YEARS[1]:
        return f"{text!r} is not a year ({YEARS[0]}–{YEARS[1]}, e.g. 2022)."
    return None


def _date(text: str) -> date | None:
    """The date written as YYYY-MM-DD; raises ValueError otherwise."""
    if not DATE_PATTERN.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _choice(text: str, allowed: Iterable[str]) -> str | None:
    allowed = list(allowed)
    if text in allowed:
        return None
    return f"unknown value {text!r}; use one of: {', '.join(allowed)}."


def _gsd_problem(text: str) -> str | None:
    if not text:
        return None
    try:
        gsd = float(text)
    except ValueError:
        return f"{text!r} is not a number."
    if not math.isfinite(gsd) or gsd < 1:
        return f"the geometric standard deviation must be a number ≥ 1 (found {text!r})."
    return None


def dataset_row_problems(row: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) of everything wrong with one row of ``datasets.csv`` on its own."""
    found: list[tuple[str, str]] = []
    for name in REQUIRED:
        if not row[name]:
            found.append((name, "required."))
    for name, limit in MAX_LENGTHS.items():
        if len(row[name]) > limit:
            found.append((name, f"at most {limit} characters (found {len(row[name])})."))
    if row["id"] and not ID_PATTERN.fullmatch(row["id"]):
        found.append(("id", "use letters, digits, hyphens and underscores only."))
    if row["unit"]:
        try:
            parse_unit(row["unit"])
        except YuntanLcaError as exc:
            found.append(("unit", str(exc)))
    vocabularies = {"category": CATEGORIES, "method": METHODS, "status": STATUSES,
                    "gwp_set": ("", *gwp_set_names()), "source_quality": ("", *SOURCE_QUALITIES)}
    for name, allowed in vocabularies.items():
        message = _choice(row[name], allowed) if row[name] else None  # empty: see REQUIRED
        if message:
            found.append((name, message))
    for name in ("reference_year", "source_year"):
        message = _year(row[name])
        if message:
            found.append((name, message))
    dates: dict[str, date | None] = {}
    for name in ("valid_from", "valid_to"):
        try:
            dates[name] = _date(row[name]) if row[name] else None
        except ValueError:
            found.append((name, f"{row[name]!r} is not a date; write YYYY-MM-DD."))
    start, end = dates.get("valid_from"), dates.get("valid_to")
    if start and end and end < start:
        found.append(("valid_to", "the end of validity is before its start."))
    if row["status"] != "placeholder" and row["status"] in STATUSES:
        for name in ("source_publisher", "source_document"):
            if not row[name]:
                found.append((name, f"required for a {row['status']} version (only a "
                                    f"placeholder may lack its source)."))
    message = _gsd_problem(row["uncertainty_gsd"])
    if message:
        found.append(("uncertainty_gsd", message))
    if row.get("conservative_default", "") not in ("", "true", "false"):
        found.append(("conservative_default",
                      f"write true or leave empty (found {row['conservative_default']!r})."))
    if row.get("conservative_default") == "true" and row["status"] == "placeholder":
        found.append(("conservative_default", "a placeholder has no figure, so it is not a "
                                              "default."))
    scores = [(name, row[name]) for name in PEDIGREE_COLUMNS]
    for name, text in scores:
        if text and text not in ("1", "2", "3", "4", "5"):
            found.append((name, f"a pedigree score is a whole number 1–5 (found {text!r})."))
    given = [name for name, text in scores if text]
    if given and len(given) < len(scores):
        missing = [name for name, text in scores if not text]
        found.append((missing[0], f"give all five pedigree scores or none "
                                  f"(missing: {', '.join(missing)})."))
    return found


def _value_row(table: SourceTable, line: int, row: dict[str, str],
               problems: list[FactorFileProblem]) -> FactorValueRow | None:
    record = f"{row['id']}@{row['version']}"
    before = len(problems)

    def report(field_name: str, message: str) -> None:
        problems.append(table.problem(line, message, record, field_name))

    if row["gas"] not in gases():
        report("gas", f"unknown gas {row['gas']!r}; use one of: {', '.join(gases())}.")
    origin = row["origin"]
    if origin not in {o.value for o in Origin}:
        report("origin", f"unknown origin {origin!r}; use one of: "
                         f"{', '.join(o.value for o in Origin)}.")
    try:
        amount = float(row["amount_kg_per_unit"])
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount):
        report("amount_kg_per_unit", f"must be a finite number of kg per unit (found "
                                     f"{row['amount_kg_per_unit']!r}).")
    if len(problems) > before:
        return None
    return FactorValueRow(row["gas"], origin, amount, row["source_note"])


def read_factor_tables(datasets: SourceTable, values: SourceTable,
                       progress: Progress | None = None) -> list[FactorVersionRow]:
    """Check and join the two tables (from CSV or Excel); raises :class:`FactorFileError`
    listing every problem, or returns one row per version with its values."""
    problems: list[FactorFileProblem] = []
    total = len(datasets.rows) + len(values.rows)
    checked = 0

    def step() -> None:
        nonlocal checked
        checked += 1
        if progress is not None and (checked % PROGRESS_EVERY == 0 or checked == total):
            progress(checked, total, f"checked {checked} of {total} rows")

    versions: dict[tuple[str, str], tuple[int, dict[str, str]]] = {}
    first_of_id: dict[str, dict[str, str]] = {}
    for line, row in datasets.rows:
        step()
        key = (row["id"], row["version"])
        record = "@".join(key) if all(key) else ""
        own = dataset_row_problems(row)
        for field_name, message in own:
            problems.append(datasets.problem(line, message, record, field_name))
        if not all(key):
            continue
        if key in versions:
            problems.append(datasets.problem(
                line, f"{record} appears twice (first on {_line_word(datasets)} "
                      f"{versions[key][0]}).", record, "version"))
            continue
        versions[key] = (line, row)
        first = first_of_id.setdefault(row["id"], row)
        for name in ("unit", "category"):
            if row[name] != first[name] and name not in {f for f, _m in own}:
                problems.append(datasets.problem(
                    line, f"every version of {row['id']} must have the same {name} "
                          f"({first[name]!r} on an earlier {_line_word(datasets)}).",
                    record, name))
    found_values: dict[tuple[str, str], list[FactorValueRow]] = {}
    for line, row in values.rows:
        step()
        key = (row["id"], row["version"])
        record = "@".join(key)
        if key not in versions:
            problems.append(values.problem(
                line, f"no dataset {record} in {datasets.sheet or datasets.file}.", record,
                "id"))
        value = _value_row(values, line, row, problems)
        if value is None or key not in versions:
            continue
        listed = found_values.setdefault(key, [])
        if any(v.gas == value.gas and v.origin == value.origin for v in listed):
            problems.append(values.problem(
                line, f"{value.gas} ({value.origin}) appears twice for {record}.", record,
                "gas"))
            continue
        listed.append(value)
    rows = []
    values_name = values.sheet or values.file
    for key, (line, fields) in versions.items():
        found = tuple(found_values.get(key, ()))
        record = "@".join(key)
        if fields["status"] == "placeholder" and found:
            problems.append(datasets.problem(
                line, f"a placeholder has no values, but {values_name} has {len(found)} for "
                      f"it; remove them or give the version another status.", record,
                "status"))
        elif fields["status"] != "placeholder" and not found:
            problems.append(datasets.problem(
                line, f"no values in {values_name}: add them, or mark the version "
                      f"placeholder if no public figure exists.", record, "status"))
        rows.append(FactorVersionRow(fields, found, datasets.file, datasets.sheet, line))
    if problems:
        raise FactorFileError(problems)
    return rows


def _line_word(table: SourceTable) -> str:
    return "row" if table.sheet else "line"


# --- CSV ----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); else GB18030, which Excel on Chinese Windows saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def csv_table(name: str, data: bytes, columns: Sequence[str]) -> tuple[SourceTable,
                                                                       list[FactorFileProblem]]:
    """The rows of a CSV file (bytes) with the problems of its shape (header, cell count)."""
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        return SourceTable(name, []), [FactorFileProblem(
            name, "not a text file: save it as CSV UTF-8.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines: list[list[str]] = list(reader)
    except csv.Error as exc:
        return SourceTable(name, []), [FactorFileProblem(name, f"not a CSV file ({exc}).")]
    header, problems = check_header(name, lines[0] if lines else [], columns)
    if problems:
        return SourceTable(name, []), problems
    rows: Table = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, also the ",,,," of a spreadsheet
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(FactorFileProblem(
                name, f"the line has {len(cells)} cells, the header {len(header)}.",
                line=number))
        row = {c: "" for c in columns}
        row.update(zip(header, (from_text_cell(c.strip()) for c in cells), strict=False))
        rows.append((number, row))
    return SourceTable(name, rows), problems


def _read_pair(sources: Sequence[tuple[str, bytes]],
               progress: Progress | None) -> list[FactorVersionRow]:
    (datasets_name, datasets_data), (values_name, values_data) = sources
    datasets, problems = csv_table(datasets_name, datasets_data, DATASET_COLUMNS)
    values, more = csv_table(values_name, values_data, VALUE_COLUMNS)
    if problems or more:
        raise FactorFileError([*problems, *more])
    return read_factor_tables(datasets, values, progress)


def read_factor_files(datasets_csv: Path, values_csv: Path, *,
                      names: tuple[str, str] | None = None,
                      progress: Progress | None = None) -> list[FactorVersionRow]:
    """Read and check both files. ``names`` are what problems call them (default: the file
    names), e.g. the names of uploaded files stored under another name."""
    shown = names or (datasets_csv.name, values_csv.name)
    problems = []
    data = []
    for name, path in zip(shown, (datasets_csv, values_csv), strict=True):
        try:
            data.append((name, path.read_bytes()))
        except OSError as exc:
            problems.append(FactorFileProblem(name, f"cannot be read ({exc.strerror})."))
    if problems:
        raise FactorFileError(problems)
    return _read_pair(data, progress)


def _members(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if not info.is_dir() and "__MACOSX" not in path.parts and not path.name.startswith("."):
            yield info


def read_factor_zip(path: Path, *, name: str | None = None, max_member_bytes: int | None = None,
                    progress: Progress | None = None) -> list[FactorVersionRow]:
    """Read the CSV pair from a zip (``datasets.csv`` and ``values.csv``, at its top or in one
    folder). ``max_member_bytes`` refuses files that unpack to more than that."""
    shown = name or path.name
    try:
        archive = open_zip(path, CSV_ZIP_LIMITS)
    except UnsafeZip as exc:
        raise FactorFileError([FactorFileProblem(shown, str(exc))]) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise FactorFileError([FactorFileProblem(shown, f"not a zip file ({exc}).")]) from exc
    with archive:
        found: dict[str, list[zipfile.ZipInfo]] = {"datasets.csv": [], "values.csv": []}
        for info in _members(archive):
            base = PurePosixPath(info.filename).name.lower()
            if base in found:
                found[base].append(info)
        problems = []
        for wanted, infos in found.items():
            if len(infos) != 1:
                problems.append(FactorFileProblem(
                    shown, f"the zip must hold exactly one {wanted} (found {len(infos)})."))
            elif max_member_bytes is not None and infos[0].file_size > max_member_bytes:
                problems.append(FactorFileProblem(
                    shown, f"{infos[0].filename} unpacks to {infos[0].file_size} bytes, more "
                           f"than the {max_member_bytes} allowed."))
        if problems:
            raise FactorFileError(problems)
        try:
            reader = Reader(archive, CSV_ZIP_LIMITS)
            sources = [(f"{shown}: {infos[0].filename}", reader.read(infos[0]))
                       for infos in found.values()]
        except UnsafeZip as exc:
            raise FactorFileError([FactorFileProblem(shown, str(exc))]) from exc
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise FactorFileError([FactorFileProblem(
                shown, f"the zip cannot be unpacked ({exc}).")]) from exc
    return _read_pair(sources, progress)


# A cell Excel or another spreadsheet would run as a formula (CSV injection): written with
# a leading apostrophe, which spreadsheets show as text, and taken off again on reading.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def as_text_cell(text: str) -> str:
    """``text`` safe to open in a spreadsheet: never a formula (numbers stay numbers)."""
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def from_text_cell(text: str) -> str:
    """The text :func:`as_text_cell` wrote."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write_factor_files(rows: Iterable[FactorVersionRow], datasets_csv: Path,
                       values_csv: Path) -> None:
    """Write the CSV pair with bilingual headers (UTF-8 with BOM, so Excel shows Chinese).
    Text that a spreadsheet would run as a formula is written as text (:func:`as_text_cell`)."""
    rows = list(rows)
    with datasets_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([bilingual_header(c) for c in DATASET_COLUMNS])
        writer.writerows([as_text_cell(row.fields.get(c, "")) for c in DATASET_COLUMNS]
                         for row in rows)
    with values_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([bilingual_header(c) for c in VALUE_COLUMNS])
        for row in rows:
            for value in row.values:
                writer.writerow([as_text_cell(row.fields["id"]),
                                 as_text_cell(row.fields["version"]), value.gas,
                                 value.origin, repr(value.amount_kg_per_unit),
                                 as_text_cell(value.source_note)])
