"""The ``yuntan`` command line: help in both languages, demo, footprint, gwp."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from yuntan.cli import main

STUDY = """
[study]
id = "test-study"
name_zh = "测试产品"
name_en = "Test product"
declared_unit = "1 t"
product = "ingot"

[[factor]]
id = "grid"
unit = "kWh"
source = "test value"
emissions = [{ gas = "CO2", amount = 0.5 }]

[[process]]
id = "melting"
stage = "production"
outputs = [{ product = "ingot", amount = 1, unit = "t" }]
inputs = [{ product = "grid", amount = 1000, unit = "度", gsd = 1.1 }]
emissions = [{ gas = "CH4", amount = 1, unit = "kg", origin = "fossil" }]
"""


def test_it_prints_help_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])

    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    assert "云南省产品碳足迹管理平台" in out
    assert "Yunnan product carbon footprint platform" in out
    assert "计算并打印示例产品碳足迹" in out and "compute and print example" in out


def test_the_demo_prints_footprints_with_their_breakdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo", "--iterations", "20", "--no-platform"]) == 0

    out = capsys.readouterr().out
    for product in ("原铝锭", "Primary aluminium ingot", "磷酸二铵", "Washed green coffee",
                    "普洱茶", "Fresh cut roses"):
        assert product in out
    assert "按生命周期阶段 / by life-cycle stage" in out
    assert "按气体 / by gas" in out
    assert "⚠ 保守缺省值 / CONSERVATIVE DEFAULT" in out
    assert "credit reported separately (not subtracted)" in out  # the DAP plant's steam
    assert "mee_calibre" in out
    assert "示意数据" in out
    assert "蒙特卡罗 / Monte Carlo (20" in out


def test_it_computes_a_toml_study_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "study.toml"
    study.write_text(STUDY, encoding="utf-8")

    assert main(["footprint", str(study), "--json", "--iterations", "10"]) == 0

    result = json.loads(capsys.readouterr().out)
    # 1000 kWh × 0.5 kg CO2/kWh + 1 kg fossil CH4 × 29.8 (AR6) = 529.8 kg CO2e
    assert result["total_kg_co2e"] == pytest.approx(529.8)
    assert result["by_gas"] == pytest.approx({"CO2": 500.0, "CH4": 29.8})
    assert result["by_stage"] == pytest.approx({"production": 529.8})
    assert result["gwp_set"] == "AR6"
    assert result["solver"] == "btf-superlu"


def test_it_uses_the_gwp_set_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "study.toml"
    study.write_text(STUDY, encoding="utf-8")

    assert main(["footprint", str(study), "--json", "--gwp", "AR5", "--iterations", "2"]) == 0

    assert json.loads(capsys.readouterr().out)["total_kg_co2e"] == pytest.approx(530.0)


def test_it_reports_a_model_error_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "study.toml"
    study.write_text(STUDY.replace('unit = "度"', 'unit = "kg"'), encoding="utf-8")

    assert main(["footprint", str(study)]) == 2

    err = capsys.readouterr().err
    assert err.startswith("错误 / error:")
    assert "process 'melting', input 'grid'" in err


def test_it_lists_gwp_values_with_their_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gwp", "--set", "AR6"]) == 0

    out = capsys.readouterr().out
    assert "SF6" in out and "25200" in out
    assert "29.8" in out and "27" in out
    assert "来源 / source: IPCC AR6" in out


def test_the_console_script_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "yuntan.cli", "--version"], capture_output=True, text=True,
        check=True,
    )
    assert completed.stdout.startswith("yuntan ")
