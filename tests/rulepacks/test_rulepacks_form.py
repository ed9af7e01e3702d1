"""The data collection form built from a pack: fields by stage, checks, and the same result
as the Excel template for the same data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tests.rulepacks.conftest import PACK_VARIANTS, complete, filled_template
from yuntan.formats.collection import Requirement, collection_stages
from yuntan.formats.excel import InvalidCollectionTemplate, read_template
from yuntan.platform.rulepacks.forms import collection_form_class, unit_field_name
from yuntan.rules import FieldKind, RulePack, get_pack


def post_data(pack: RulePack, variant: str,
              data: dict[str, tuple[object, str]]) -> dict[str, str]:
    """What a browser posts: every field's unit select, and the amounts entered."""
    posted = {unit_field_name(f.spec.id): f.spec.unit
              for s in collection_stages(pack, variant) for f in s.fields}
    for field_id, (amount, unit) in data.items():
        posted[field_id] = str(amount)
        posted[unit_field_name(field_id)] = unit
    return posted


def test_the_form_has_a_number_and_a_unit_per_field_grouped_by_stage() -> None:
    coffee = get_pack("coffee", "1.0.0")
    form = collection_form_class(coffee, "roasted")()

    groups = form.groups()
    assert [stage.stage.id for stage, _rows in groups] == [
        "cultivation", "transport", "processing", "roasting"]
    assert len(form.fields) == 2 * len(coffee.fields)
    field, value, unit, requirement = groups[3][1][0]
    assert field.spec.id == "roasted_coffee_output"
    assert value.label == "烘焙豆产量" and requirement == "必填"
    assert [choice for choice, _label in form.fields[unit.name].choices][:2] == ["kg", "t"]
    assert form.fields[unit.name].initial == "kg"


def test_the_labels_follow_the_language_of_the_request() -> None:
    form_class = collection_form_class(get_pack("coffee", "1.0.0"))
    with translation.override("en"):
        english = form_class()
    chinese = form_class()

    assert english.fields["cherry_harvest"].label == "Coffee cherries harvested"
    assert chinese.fields["cherry_harvest"].label == "咖啡鲜果产量"
    assert english.fields["synthetic_n_applied"].help_text.startswith("Total N")


@pytest.mark.parametrize(("pack_id", "version", "variant"), PACK_VARIANTS)
def test_the_form_and_the_template_give_identical_results(
    pack_id: str, version: str, variant: str
) -> None:
    pack = get_pack(pack_id, version)
    data = complete(pack, variant)
    # One value outside its range, so that findings are compared too.
    spec = next(f for f in pack.fields if f.id in data and f.range is not None
                and f.range.max is not None)
    data[spec.id] = (data[spec.id][0] * 1000, data[spec.id][1])

    form = collection_form_class(pack, variant)(post_data(pack, variant, data))
    assert form.is_valid(), form.errors
    read = read_template(pack, filled_template(pack, variant, data))

    assert form.activity_data == read.activity_data == data
    assert form.cleaned_data["activity_data"] == data
    assert form.findings == read.findings and form.findings


@pytest.mark.parametrize(("pack_id", "version", "variant"), PACK_VARIANTS)
def test_the_form_and_the_template_refuse_the_same_data_for_the_same_reasons(
    pack_id: str, version: str, variant: str
) -> None:
    pack = get_pack(pack_id, version)
    data: dict[str, tuple[float, str]] = dict(complete(pack, variant))
    required = [f.spec.id for s in collection_stages(pack, variant) for f in s.fields
                if f.requirement is Requirement.REQUIRED and f.spec.kind is not FieldKind.OUTPUT]
    first, second = required[:2]
    del data[first]  # required, missing
    data[second] = (-1, data[second][1])

    form = collection_form_class(pack, variant)(post_data(pack, variant, data))
    assert not form.is_valid()
    with pytest.raises(InvalidCollectionTemplate) as caught:
        read_template(pack, filled_template(pack, variant, data))

    expected = {(first, "required-missing"), (second, "negative-amount")}
    assert {(p.field, p.rule) for p in form.problems} == expected
    assert {(p.field, p.rule) for p in caught.value.problems} == expected
    assert set(form.errors) == {first, second} and form.activity_data == {}


def test_a_unit_of_another_kind_is_refused_by_both() -> None:
    coffee = get_pack("coffee", "1.0.0")
    data = {**complete(coffee, "green"), "urea": (100.0, "kWh")}

    form = collection_form_class(coffee, "green")(post_data(coffee, "green", data))
    assert not form.is_valid()
    # The web form offers only mass units; the template's reader names the rule.
    assert list(form.errors) == [unit_field_name("urea")] and form.problems == ()
    with pytest.raises(InvalidCollectionTemplate) as caught:
        read_template(coffee, filled_template(coffee, "green", data))
    assert [(p.field, p.rule) for p in caught.value.problems] == [("urea", "unit-dimension")]


def test_a_field_error_is_in_the_language_of_the_request() -> None:
    coffee = get_pack("coffee", "1.0.0")
    data = {k: v for k, v in complete(coffee, "green").items() if k != "cherry_input"}
    posted = post_data(coffee, "green", data)

    # Explicit: an earlier test in the same worker thread may have left English active.
    with translation.override("zh-hans"):
        chinese = collection_form_class(coffee, "green")(posted)
        assert not chinese.is_valid()
        assert "必填字段「加工鲜果量」" in chinese.errors["cherry_input"][0]
    with translation.override("en"):
        english = collection_form_class(coffee, "green")(posted)
        assert not english.is_valid()
    assert english.errors["cherry_input"][0].startswith("Required field Cherries processed")


def test_a_unit_missing_is_an_error_on_the_unit(client: Client) -> None:
    coffee = get_pack("coffee", "1.0.0")
    posted = post_data(coffee, "green", complete(coffee, "green"))
    posted[unit_field_name("urea")] = ""
    form = collection_form_class(coffee, "green")(posted)

    assert not form.is_valid()
    assert list(form.errors) == [unit_field_name("urea")]


def test_text_that_is_not_a_number_is_one_error_on_the_value() -> None:
    coffee = get_pack("coffee", "1.0.0")
    posted = post_data(coffee, "green", complete(coffee, "green"))
    posted["cherry_input"] = "sixty"
    form = collection_form_class(coffee, "green")(posted)

    assert not form.is_valid()
    assert list(form.errors) == ["cherry_input"] and len(form.errors["cherry_input"]) == 1


@pytest.mark.usefixtures("loaded")
def test_the_form_page_shows_the_values_or_the_errors(client: Client) -> None:
    coffee = get_pack("coffee", "1.0.0")
    data = complete(coffee, "roasted")
    good = client.post("/rules/coffee/1.0.0/form/?variant=roasted",
                       post_data(coffee, "roasted", data))
    assert good.status_code == 200
    assert 'id="collected"' in good.content.decode()
    assert 'data-field="roasted_coffee_output"' in good.content.decode()

    missing = {k: v for k, v in data.items() if k != "roasting_electricity"}
    bad = client.post("/rules/coffee/1.0.0/form/?variant=roasted",
                      post_data(coffee, "roasted", missing))
    assert bad.status_code == 422
    assert "必填字段「烘焙用电」" in bad.content.decode()
    assert 'id="collected"' not in bad.content.decode()
