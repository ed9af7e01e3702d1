"""Every shipped rule pack loads, validates and keeps its placeholders flagged."""

from __future__ import annotations

import pytest

from yuntan.rules import FieldKind, UnknownRulePack, get_pack, list_packs, shipped_packs
from yuntan.rules.schema import RulePack

SHIPPED = ["ammonium-phosphate", "coffee", "cut-roses", "electrolytic-aluminium", "tea"]


def test_it_ships_the_five_packs() -> None:
    assert sorted({pack_id for pack_id, _ in list_packs()}) == SHIPPED
    assert [p for p in list_packs() if p[0] in ("coffee", "tea")] == [
        ("coffee", "1.0.0"), ("coffee", "2.0.0"), ("tea", "1.0.0"), ("tea", "2.0.0")]


@pytest.mark.parametrize("pack", shipped_packs(), ids=lambda p: p.id)
def test_every_shipped_pack_is_complete_and_honest(pack: RulePack) -> None:
    assert pack.version in {"1.0.0", "2.0.0"}
    # No official benchmark or grading threshold is public for any shipped category.
    assert pack.grading.placeholder
    assert pack.grading.benchmark_kg_co2e_per_declared_unit is None
    assert all(level.placeholder and level.upper_bound_kg_co2e_per_declared_unit is None
               for level in pack.grading.levels)
    assert {s.code for s in pack.standards} >= {"GB/T 24067-2024", "ISO 14067:2018"}
    for spec in pack.fields:
        assert spec.name_zh and spec.name_en
        assert spec.kind is FieldKind.OUTPUT or spec.evidence, spec.id
        if spec.range is not None:
            for bound in (spec.range.min, spec.range.max):
                # a bound is either derived (its derivation is on the row) or flagged
                assert bound is None or bound.placeholder or "physical bound" in bound.source
                if bound is not None and bound.placeholder:
                    assert "to be confirmed by the province" in bound.source
        if spec.default is not None:
            assert spec.default_source


def test_it_gets_a_pack_by_id_and_version() -> None:
    latest = get_pack("electrolytic-aluminium")
    assert latest.version == "2.0.0"  # the latest release by default
    assert get_pack("electrolytic-aluminium", "2.0.0") is latest
    assert get_pack("electrolytic-aluminium", "1.0.0").version == "1.0.0"  # old results


@pytest.mark.parametrize("pack_id,version,message", [
    ("steel", None, "No rule pack 'steel'"),
    ("electrolytic-aluminium", "9.9.9", "has no version '9.9.9'; it has 1.0.0, 2.0.0"),
])
def test_it_names_what_is_not_shipped(pack_id: str, version: str | None, message: str) -> None:
    with pytest.raises(UnknownRulePack, match=message):
        get_pack(pack_id, version)


def test_the_aluminium_pack_has_anode_co2_and_both_pfcs() -> None:
    pack = get_pack("electrolytic-aluminium", "1.0.0")
    assert {f.gas for f in pack.formulas} == {"CO2", "CF4", "C2F6"}
    assert "GB/T 44095" in {s.code for s in pack.standards}
    hydro = pack.field("electricity_hydro_contract")
    assert hydro.market_based_factor_dataset == "electricity-hydropower-contract-CN-YN"


def test_the_ef1_default_carries_its_source() -> None:
    ef1 = get_pack("coffee", "1.0.0").field("ef1_direct_n2o")
    assert ef1.default == 0.010
    assert "Table 11.1" in ef1.default_source


def test_roses_are_declared_per_stem_and_reported_per_thousand() -> None:
    pack = get_pack("cut-roses", "1.0.0")
    assert (pack.declared_unit.amount, pack.declared_unit.unit) == (1, "piece")
    assert [(u.amount, u.unit) for u in pack.reporting_units] == [(1000, "piece")]
