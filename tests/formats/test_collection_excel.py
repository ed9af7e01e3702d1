"""The Excel data collection template: written for every pack and variant, read back (round
trip), and every kind of bad file refused with the sheet, cell and rule named."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.rules.rules_fixtures import COMPLETE, VARIANTS
from yuntan.formats.collection import Requirement, collection_stages
from yuntan.formats.excel import (
    CollectionTemplateError,
    InvalidCollectionTemplate,
    read_template,
    sheet_names,
    template_filename,
    write_template,
)
from yuntan.formats.excel.collection_template import (
    FIRST_ROW,
    INSTRUCTIONS_SHEET,
    METADATA_SHEET,
    UNITS_SHEET,
)
from yuntan.rules import RulePack, Severity, check_activity_data, get_pack, shipped_packs

PACK_VARIANTS = [(p, v.id) for p in shipped_packs() for v in p.variants]
IDS = [f"{p.id}-{v}" for p, v in PACK_VARIANTS]


def complete(pack: RulePack, variant: str) -> dict[str, tuple[float, str]]:
    return dict(VARIANTS.get((pack.id, variant), COMPLETE[pack.id]))


def template(pack: RulePack, variant: str | None = None,
             values: dict[str, tuple[float, str]] | None = None) -> io.BytesIO:
    target = io.BytesIO()
    write_template(pack, target, variant, values)
    target.seek(0)
    return target


def edited(source: io.BytesIO, change: Callable[[Any], None]) -> io.BytesIO:
    """The workbook after ``change(book)``, as a user's spreadsheet program would save it."""
    book = load_workbook(source)
    change(book)
    target = io.BytesIO()
    book.save(target)
    target.seek(0)
    return target


def row_of(pack: RulePack, field_id: str) -> tuple[str, int]:
    """(sheet, row) of a field in the template."""
    names = sheet_names(pack)
    for collected in collection_stages(pack):
        ids = [f.spec.id for f in collected.fields]
        if field_id in ids:
            return names[collected.stage.id], FIRST_ROW + ids.index(field_id)
    raise KeyError(field_id)


def problems_of(pack: RulePack | Any, source: io.BytesIO) -> list[tuple[str, str | None, str]]:
    with pytest.raises(InvalidCollectionTemplate) as caught:
        read_template(pack, source)
    return [(p.location, p.field, p.rule) for p in caught.value.problems]


# -- writing ----------------------------------------------------------------------------


@pytest.mark.parametrize(("pack", "variant"), PACK_VARIANTS, ids=IDS)
def test_the_template_has_instructions_a_sheet_per_stage_units_and_metadata(
    pack: RulePack, variant: str
) -> None:
    book = load_workbook(template(pack, variant))
    stages = list(sheet_names(pack).values())

    assert book.sheetnames == [INSTRUCTIONS_SHEET, *stages, UNITS_SHEET, METADATA_SHEET]
    assert all(len(name) <= 31 for name in book.sheetnames)
    instructions = "\n".join(str(c) for row in book[INSTRUCTIONS_SHEET].iter_rows(
        values_only=True) for c in row if c is not None)
    # Chinese first, English second; the pack, declared unit and every placeholder named.
    assert instructions.index("数据收集模板") < instructions.index("Data collection template")
    for text in (pack.name_zh, pack.name_en, pack.version, pack.declared_unit.label_zh,
                 "meter_reading：计量表读数", "meter_reading: meter reading"):
        assert text in instructions
    assert instructions.count("placeholder") >= 1
    meta = dict(book[METADATA_SHEET].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (meta["pack_id"], meta["pack_version"], meta["variant"]) == (
        pack.id, pack.version, variant)


def test_a_stage_sheet_lists_its_fields_with_validation_and_required_cells() -> None:
    coffee = get_pack("coffee")
    book = load_workbook(template(coffee, "green"))
    name, row = row_of(coffee, "cherry_input")
    sheet = book[name]

    assert [sheet[f"{c}{row}"].value for c in "ABCEG"] == [
        "cherry_input", "加工鲜果量", "Cherries processed", "kg", "kg"]
    assert sheet.protection.sheet and sheet["A5"].protection.locked
    assert not sheet[f"D{row}"].protection.locked and not sheet[f"E{row}"].protection.locked
    assert sheet[f"D{row}"].fill.fgColor.rgb.endswith("FFE699")  # required: yellow
    assert sheet[f"J{row}"].value == "1 – 10 kg / 1 kg"  # per kg of green coffee
    validations = {(v.type, v.formula1): str(v.sqref)
                   for v in sheet.data_validations.dataValidation}
    assert f"D{row}" in validations[("decimal", "0")].split()
    unit_lists = [k for k in validations if k[0] == "list"]
    assert unit_lists and all(f.startswith(f"'{UNITS_SHEET}'!$") for _t, f in unit_lists)

    roast_sheet, roast_row = row_of(coffee, "roasted_coffee_output")
    assert "填报该过程时必填" in book[roast_sheet][f"F{roast_row}"].value


def test_the_placeholder_range_is_flagged_on_its_row() -> None:
    aluminium = get_pack("electrolytic-aluminium")
    flagged = [f for f in aluminium.fields if f.range is not None and f.range.placeholder]
    assert flagged
    book = load_workbook(template(aluminium))
    for spec in flagged:
        name, row = row_of(aluminium, spec.id)
        assert book[name][f"K{row}"].value == "是 / yes"


def test_the_unit_list_of_a_field_holds_its_accepted_units() -> None:
    coffee = get_pack("coffee")
    book = load_workbook(template(coffee))
    name, row = row_of(coffee, "processing_electricity")
    validation = next(v for v in book[name].data_validations.dataValidation
                      if v.type == "list" and f"E{row}" in str(v.sqref).split())
    column = validation.formula1.split("!$")[1].split("$")[0]
    units = [c.value for c in book[UNITS_SHEET][column][3:] if c.value is not None]
    assert units == ["kWh", "MWh", "万千瓦时", "度", "MJ", "GJ", "tce", "kgce"]


def test_prefilling_an_unknown_field_is_refused() -> None:
    with pytest.raises(CollectionTemplateError, match="nonsense"):
        write_template(get_pack("tea"), io.BytesIO(), values={"nonsense": (1, "kg")})


def test_the_file_name_says_pack_version_and_variant() -> None:
    assert template_filename(get_pack("coffee", "1.0.0"), "roasted") == "coffee-1.0.0-roasted.xlsx"


# -- round trip -------------------------------------------------------------------------


@pytest.mark.parametrize(("pack", "variant"), PACK_VARIANTS, ids=IDS)
def test_complete_data_comes_back_unchanged(pack: RulePack, variant: str) -> None:
    data = complete(pack, variant)
    read = read_template(pack, template(pack, variant, data))

    assert read.activity_data == data
    assert (read.pack, read.variant) == (pack, variant)


@pytest.mark.parametrize(("pack", "variant"), PACK_VARIANTS, ids=IDS)
def test_the_pack_can_be_looked_up_from_the_metadata(pack: RulePack, variant: str) -> None:
    data = complete(pack, variant)
    assert read_template(get_pack, template(pack, variant, data)).activity_data == data


@st.composite
def filled(draw: st.DrawFn, pack: RulePack, variant: str) -> dict[str, tuple[float, str]]:
    """Random valid amounts and units: the variant's complete data with every value and unit
    redrawn, plus a random choice of the optional fields."""
    base = complete(pack, variant)
    # Excel keeps 15 significant digits (openpyxl writes 16): measured amounts have fewer.
    amounts = st.one_of(st.integers(1, 10**9).map(float),
                        st.floats(1e-6, 1e12).map(lambda x: float(f"{x:.15g}")))
    data: dict[str, tuple[float, str]] = {}
    for collected in collection_stages(pack, variant):
        for field in collected.fields:
            optional = field.requirement in (Requirement.OPTIONAL, Requirement.DEFAULTED)
            if field.spec.id in base or (optional and draw(st.booleans())):
                data[field.spec.id] = (draw(amounts), draw(st.sampled_from(field.units)))
    return data


@pytest.mark.parametrize(("pack_id", "variant"), [(p.id, v) for p, v in PACK_VARIANTS])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_valid_values_and_units_round_trip(pack_id: str, variant: str,
                                               data: st.DataObject) -> None:
    pack = get_pack(pack_id)
    values = data.draw(filled(pack, variant))
    # A co-product needs its allocation keys, a reported process its required fields.
    assume(not any(f.severity is Severity.ERROR
                   for f in check_activity_data(pack, values, variant)))

    assert read_template(pack, template(pack, variant, values)).activity_data == values


def test_a_number_typed_as_text_is_read() -> None:
    tea = get_pack("tea")
    name, row = row_of(tea, "fresh_leaf_input")
    source = edited(template(tea, values=COMPLETE["tea"]),
                    lambda book: book[name].__setitem__(f"D{row}", " 20000.5 "))
    assert read_template(tea, source).activity_data["fresh_leaf_input"] == (20000.5, "kg")


def test_out_of_range_values_are_read_with_warnings() -> None:
    coffee = get_pack("coffee")
    data = {**COMPLETE["coffee"], "cherry_input": (600, "t")}
    read = read_template(coffee, template(coffee, values=data))

    assert read.activity_data == data
    assert [(f.field, f.rule, f.severity) for f in read.findings] == [
        ("cherry_input", "plausible-range", Severity.WARNING)]


# -- bad files --------------------------------------------------------------------------


def test_an_empty_template_names_every_required_cell() -> None:
    tea = get_pack("tea")
    found = problems_of(tea, template(tea, "green-tea"))

    required = [f.spec.id for s in collection_stages(tea, "green-tea") for f in s.fields
                if f.requirement is Requirement.REQUIRED]
    assert [field for _where, field, _rule in found] == required
    assert {rule for _where, _field, rule in found} == {"required-missing"}
    name, row = row_of(tea, "fresh_leaf_harvest")
    assert found[0][0] == f"{name}!D{row}"


@pytest.mark.parametrize(
    ("field_id", "column", "value", "rule"),
    [
        ("alumina", "D", "lots", "not-a-number"),
        ("alumina", "D", -5, "negative-amount"),
        ("alumina", "E", "kWh", "unit-dimension"),
        ("alumina", "E", "furlongz", "unit-unknown"),
        ("alumina", "E", None, "unit-missing"),
        ("alumina", "D", None, "required-missing"),
        ("aluminium_ingot_output", "D", 0, "zero-output"),
    ],
)
def test_a_bad_cell_is_named_with_its_sheet_field_and_rule(
    field_id: str, column: str, value: object, rule: str
) -> None:
    aluminium = get_pack("electrolytic-aluminium")
    name, row = row_of(aluminium, field_id)
    source = edited(template(aluminium, values=COMPLETE[aluminium.id]),
                    lambda book: book[name].__setitem__(f"{column}{row}", value))

    assert problems_of(aluminium, source) == [(f"{name}!{column}{row}", field_id, rule)]


def test_every_problem_of_the_file_is_reported_together_in_sheet_order() -> None:
    coffee = get_pack("coffee")
    bad = {"cherry_harvest": ("D", "x"), "processing_electricity": ("E", "kg"),
           "urea": ("D", -1)}

    def spoil(book: Any) -> None:
        for field_id, (column, value) in bad.items():
            name, row = row_of(coffee, field_id)
            book[name][f"{column}{row}"] = value
        name, row = row_of(coffee, "cherry_input")
        book[name][f"D{row}"] = None

    found = problems_of(coffee, edited(template(coffee, values=COMPLETE["coffee"]), spoil))
    assert [(field, rule) for _where, field, rule in found] == [
        ("cherry_harvest", "not-a-number"), ("urea", "negative-amount"),
        ("cherry_input", "required-missing"), ("processing_electricity", "unit-dimension")]


def test_a_template_for_another_pack_is_refused() -> None:
    source = template(get_pack("coffee"), values=COMPLETE["coffee"])
    assert problems_of(get_pack("tea"), source) == [
        (f"{METADATA_SHEET}!B4", None, "other-pack")]


def test_a_template_for_another_version_is_refused() -> None:
    coffee = get_pack("coffee")
    source = edited(template(coffee, values=COMPLETE["coffee"]),
                    lambda book: book[METADATA_SHEET].__setitem__("B5", "0.9.0"))
    assert problems_of(coffee, source) == [(f"{METADATA_SHEET}!B5", None, "other-pack")]


def test_a_template_naming_an_unknown_pack_is_refused_by_the_loader() -> None:
    source = edited(template(get_pack("coffee")),
                    lambda book: book[METADATA_SHEET].__setitem__("B4", "durian"))
    assert problems_of(get_pack, source) == [(f"{METADATA_SHEET}!B4", None, "unknown-pack")]


def test_an_unknown_variant_is_refused() -> None:
    coffee = get_pack("coffee")
    source = edited(template(coffee),
                    lambda book: book[METADATA_SHEET].__setitem__("B6", "decaf"))
    assert problems_of(coffee, source) == [(f"{METADATA_SHEET}!B6", None, "unknown-variant")]


def test_a_workbook_without_metadata_is_not_a_template() -> None:
    coffee = get_pack("coffee")
    source = edited(template(coffee), lambda book: book.remove(book[METADATA_SHEET]))
    assert problems_of(coffee, source) == [(METADATA_SHEET, None, "sheet-missing")]


def test_other_metadata_is_not_a_template() -> None:
    coffee = get_pack("coffee")
    source = edited(template(coffee),
                    lambda book: book[METADATA_SHEET].__setitem__("B2", "something-else"))
    assert problems_of(coffee, source) == [(f"{METADATA_SHEET}!B2", None, "not-a-template")]


def test_a_newer_template_format_is_refused() -> None:
    coffee = get_pack("coffee")
    source = edited(template(coffee),
                    lambda book: book[METADATA_SHEET].__setitem__("B3", 99))
    assert problems_of(coffee, source) == [
        (f"{METADATA_SHEET}!B3", None, "template-format-version")]


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    assert problems_of(get_pack("coffee"), io.BytesIO(b"id,value\nurea,1\n")) == [
        ("file", None, "not-a-workbook")]


def test_a_missing_stage_sheet_is_named() -> None:
    tea = get_pack("tea")
    name = sheet_names(tea)["processing"]
    source = edited(template(tea, values=COMPLETE["tea"]), lambda book: book.remove(book[name]))

    assert problems_of(tea, source) == [(name, None, "sheet-missing")]


def test_a_renamed_stage_sheet_is_named_with_its_new_name() -> None:
    tea = get_pack("tea")
    name = sheet_names(tea)["processing"]

    def rename(book: Any) -> None:
        book[name].title = "my data"

    with pytest.raises(InvalidCollectionTemplate) as caught:
        read_template(tea, edited(template(tea, values=COMPLETE["tea"]), rename))
    [problem] = caught.value.problems
    assert (problem.location, problem.rule) == (name, "sheet-missing")
    assert "my data" in problem.message_en and "my data" in problem.message_zh


def test_moved_rows_are_named_by_the_id_cell() -> None:
    tea = get_pack("tea")
    name, first = row_of(tea, "made_tea_output")

    def swap(book: Any) -> None:
        sheet = book[name]
        for column in "ABCDE":
            upper, lower = sheet[f"{column}{first}"], sheet[f"{column}{first + 1}"]
            upper.value, lower.value = lower.value, upper.value

    found = problems_of(tea, edited(template(tea, values=COMPLETE["tea"]), swap))
    assert found == [(f"{name}!A{first}", "made_tea_output", "row-moved"),
                     (f"{name}!A{first + 1}", "fresh_leaf_input", "row-moved")]


def test_an_inserted_column_is_refused() -> None:
    tea = get_pack("tea")
    name = sheet_names(tea)["cultivation"]
    source = edited(template(tea, values=COMPLETE["tea"]),
                    lambda book: book[name].insert_cols(2))
    assert problems_of(tea, source) == [(f"{name}!D4", None, "columns-changed")]


def test_an_added_row_is_refused() -> None:
    tea = get_pack("tea")
    name, last = row_of(tea, "packaging_paper")
    source = edited(template(tea, values=COMPLETE["tea"]),
                    lambda book: book[name].append(["my_extra_field", None, None, 5, "kg"]))
    assert problems_of(tea, source) == [(f"{name}!A{last + 1}", None, "row-added")]


def test_the_error_says_where_in_both_languages() -> None:
    aluminium = get_pack("electrolytic-aluminium")
    name, row = row_of(aluminium, "alumina")
    source = edited(template(aluminium, values=COMPLETE[aluminium.id]),
                    lambda book: book[name].__setitem__(f"E{row}", "kWh"))
    with pytest.raises(InvalidCollectionTemplate) as caught:
        read_template(aluminium, source)

    assert str(caught.value).startswith(f"{name}!E{row}: [unit-dimension]")
    [problem] = caught.value.problems
    assert "氧化铝" in problem.message_zh and "kWh" in problem.message_en


def test_the_template_is_written_and_read_without_django(tmp_path: Path) -> None:
    from purity import run_without_django

    out = run_without_django(f"""
        from yuntan.formats.excel import read_template, write_template
        from yuntan.rules import get_pack
        write_template(get_pack("tea"), {str(tmp_path / "tea.xlsx")!r}, values={{}})
        try:
            read_template(get_pack, {str(tmp_path / "tea.xlsx")!r})
        except Exception as exc:
            print(type(exc).__name__, len(exc.problems))
    """)
    assert out.startswith("InvalidCollectionTemplate ")
