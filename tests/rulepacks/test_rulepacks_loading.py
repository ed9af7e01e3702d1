"""Loading rule packs into the platform: idempotent, immutable versions, all or nothing."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from yuntan.platform.rulepacks.actions import (
    ChangedRulePackVersion,
    load_rule_packs,
    load_shipped_rule_packs,
    shipped_pack_sources,
    withdraw_rule_pack_version,
)
from yuntan.platform.rulepacks.models import RulePackVersion, Status
from yuntan.rules import InvalidRulePack, get_pack, list_packs, shipped_packs

pytestmark = pytest.mark.django_db


def coffee_source() -> tuple[str, str]:
    return next(s for s in shipped_pack_sources() if s[0] == "coffee.toml")


def test_it_loads_the_five_shipped_packs_with_their_source_and_hash() -> None:
    assert load_shipped_rule_packs() == (len(shipped_packs()), 0)

    stored = {(v.pack_id, v.version) for v in RulePackVersion.objects.all()}
    assert stored == set(list_packs())
    coffee = RulePackVersion.objects.get(pack_id="coffee", version="1.0.0")
    name, text = coffee_source()
    assert (coffee.source_name, coffee.source_toml) == (name, text)
    assert coffee.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (coffee.name_zh, coffee.status) == ("咖啡产品碳足迹核算规则", Status.PUBLISHED)
    assert coffee.rule_pack() == get_pack("coffee", "1.0.0")


def test_loading_again_adds_nothing_and_changes_nothing() -> None:
    load_shipped_rule_packs()
    before = list(RulePackVersion.objects.values())

    assert load_shipped_rule_packs() == (0, len(shipped_packs()))
    assert list(RulePackVersion.objects.values()) == before


def test_other_content_under_a_loaded_version_is_refused_naming_the_file() -> None:
    load_shipped_rule_packs()
    _name, text = coffee_source()
    changed = text.replace('name_en = "Carbon footprint rules for coffee"',
                           'name_en = "Coffee rules, edited"')
    assert changed != text

    with pytest.raises(ChangedRulePackVersion,
                       match=r"edited-coffee\.toml: rule pack coffee 1\.0\.0 is already loaded"):
        load_rule_packs([("edited-coffee.toml", changed)])
    assert RulePackVersion.objects.get(pack_id="coffee", version="1.0.0").source_toml == text


def test_one_bad_file_stores_nothing() -> None:
    name, text = coffee_source()
    new_version = text.replace('version = "1.0.0"', 'version = "1.1.0"')
    broken = text.replace('version = "1.0.0"', 'version = "1.2.0"').replace(
        'unit = "kWh"', 'unit = "furlongz"', 1)

    with pytest.raises(InvalidRulePack, match="furlongz"):
        load_rule_packs([(name, text), ("coffee-1.1.0.toml", new_version),
                         ("coffee-1.2.0.toml", broken)])
    assert RulePackVersion.objects.count() == 0


def test_a_new_version_is_stored_beside_the_old_one() -> None:
    name, text = coffee_source()
    load_rule_packs([(name, text)])
    assert load_rule_packs([("coffee-1.1.0.toml",
                             text.replace('version = "1.0.0"', 'version = "1.1.0"'))]) == (1, 0)
    assert sorted(RulePackVersion.objects.filter(pack_id="coffee")
                  .values_list("version", flat=True)) == ["1.0.0", "1.1.0"]


def test_a_loaded_version_cannot_be_edited_but_can_be_withdrawn() -> None:
    load_shipped_rule_packs()
    coffee = RulePackVersion.objects.get(pack_id="coffee", version="1.0.0")

    coffee.source_toml = coffee.source_toml + "\n# edited"
    with translation.override("en"), pytest.raises(ValidationError, match="cannot change"):
        coffee.save()

    coffee.refresh_from_db()
    withdraw_rule_pack_version(coffee)
    coffee.refresh_from_db()
    assert coffee.status == Status.WITHDRAWN
    assert not coffee.source_toml.endswith("# edited")


def test_the_reference_data_command_loads_factors_and_packs_and_says_so_in_both_languages(
) -> None:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    first = out.getvalue()
    n = len(shipped_packs())
    assert (f"核算规则版本：新增 {n}，已存在 0 / rule pack versions: {n} added, 0 already present"
            in first)
    assert "排放因子版本：新增" in first

    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert f"rule pack versions: 0 added, {n} already present" in out.getvalue()
    assert RulePackVersion.objects.count() == n
