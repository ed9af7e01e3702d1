"""Reading product systems from TOML (the demo and ``yuntan footprint`` format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yuntan.formats.inventory_toml import InventoryFormatError, load, parse
from yuntan.lca import build_system, footprint
from yuntan.lca.model import AllocationMethod, DistributionKind


def test_it_reads_factors_processes_and_uncertainty() -> None:
    inventory = parse({
        "factor": [{"id": "grid", "unit": "kWh", "source": "MEE 2022", "version": "2022",
                    "pedigree": [2, 2, 2, 1, 2],
                    "emissions": [{"gas": "CO2", "amount": 0.1073}]}],
        "process": [{
            "id": "refinery", "stage": "production", "allocation": "mass", "primary": True,
            "outputs": [{"product": "a", "amount": 1, "unit": "t"},
                        {"product": "b", "amount": 3, "unit": "t"}],
            "inputs": [{"product": "grid", "amount": 400, "unit": "kWh", "sd": 20}],
            "emissions": [{"gas": "CO2", "amount": 8, "min": 7, "max": 9,
                           "distribution": "triangular"}],
        }],
        "study": {"id": "s", "product": "a"},
    })

    factor = inventory.factors["grid"]
    assert factor.source == "MEE 2022" and not factor.placeholder
    assert factor.dataset.version == "2022" and factor.dataset.pedigree is not None
    process = inventory.study.processes[0] if inventory.study else None
    assert process is not None
    assert process.allocation is AllocationMethod.MASS and process.primary
    assert process.inputs[0].uncertainty is not None
    assert process.inputs[0].uncertainty.kind is DistributionKind.NORMAL
    assert process.emissions[0].uncertainty is not None
    assert process.emissions[0].uncertainty.kind is DistributionKind.TRIANGULAR
    # Mass allocation: a gets 1/4 of 400 kWh × 0.1073 + 8 kg CO2
    system = build_system(inventory.study.processes, [factor.dataset])  # type: ignore[union-attr]
    assert footprint(system, {"a": 1}).total == pytest.approx((400 * 0.1073 + 8) / 4)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"process": [{"outputs": []}]}, "'id' is missing"),
        ({"process": [{"id": "p"}]}, "'outputs' is missing"),
        ({"factor": [{"id": "f", "unit": "kg", "emissions": []}]}, "'source' is missing"),
        ({"process": [{"id": "p", "outputs": [{"product": "x", "amount": 1, "unit": "kg"}],
                       "inputs": [{"product": "y", "amount": 1, "unit": "kg", "min": 1}]}]},
         "give both min and max"),
        ({"process": [{"id": "p", "pedigree": [1, 2],
                       "outputs": [{"product": "x", "amount": 1, "unit": "kg"}]}]},
         "five scores"),
    ],
)
def test_it_names_the_table_and_field_of_a_format_error(
    document: dict[str, object], message: str
) -> None:
    with pytest.raises(InventoryFormatError, match=message):
        parse(document)


def test_it_reports_toml_syntax_errors_with_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[study\nid = 1", encoding="utf-8")

    with pytest.raises(InventoryFormatError, match=r"broken\.toml"):
        load(broken)


def test_every_shipped_demo_factor_has_a_source_and_placeholders_carry_no_emissions() -> None:
    from yuntan.demo import load_demo_factors

    factors = load_demo_factors()
    assert factors
    for info in factors.values():
        assert info.source.strip()
        if info.placeholder:
            assert info.dataset.emissions == ()
            assert "placeholder" in info.name_en.lower() and "占位" in info.name_zh
