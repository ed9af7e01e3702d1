"""The command-line demo: compute the shipped example footprints and print their breakdowns.

Activity data in ``yuntan/data/demo`` is illustrative (示意数据); factor datasets carry their
sources, and placeholders (no public figure yet) are flagged in the output.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TextIO

from yuntan.formats.inventory_toml import FactorInfo, Study, load
from yuntan.lca import FootprintResult, TreeNode, build_system, footprint, monte_carlo, prepare
from yuntan.lca.uncertainty import MonteCarloResult

DEMO_STUDIES = ("aluminium.toml", "coffee.toml")


def _demo_dir() -> Path:
    return Path(str(resources.files("yuntan.data.demo")))


def load_demo_factors() -> Mapping[str, FactorInfo]:
    return load(_demo_dir() / "factors.toml").factors


def compute(
    study: Study, factors: Mapping[str, FactorInfo], gwp_set: str = "AR6", iterations: int = 1000
) -> tuple[FootprintResult, MonteCarloResult]:
    system = build_system(study.processes, [f.dataset for f in factors.values()])
    prepared = prepare(system, gwp_set)
    demand = {study.product: study.amount}
    result = footprint(prepared, demand)
    return result, monte_carlo(prepared, demand, iterations=iterations, seed=0)


def _kg(value: float) -> str:
    return f"{value:,.2f} kg CO2e"


def _share(part: float, total: float) -> str:
    return f"{100 * part / total:6.1f} %" if total else "   -  "


def _table(out: TextIO, title: str, rows: Mapping[str, float], total: float, top: int = 8) -> None:
    out.write(f"  {title}\n")
    ordered = sorted(rows.items(), key=lambda item: -abs(item[1]))
    for key, value in ordered[:top]:
        out.write(f"    {key:<44} {_kg(value):>22} {_share(value, total)}\n")
    if len(ordered) > top:
        rest = sum(v for _, v in ordered[top:])
        out.write(f"    {'其他 / other':<44} {_kg(rest):>22} {_share(rest, total)}\n")


def _tree(out: TextIO, node: TreeNode, total: float, depth: int = 0, max_depth: int = 3) -> None:
    out.write(f"    {'  ' * depth}{node.name} ({node.amount:,.4g} {node.unit}): "
              f"{_kg(node.score)} {_share(node.score, total)}\n")
    if depth < max_depth:
        for child in node.children:
            _tree(out, child, total, depth + 1, max_depth)


def report(
    out: TextIO,
    study: Study,
    factors: Mapping[str, FactorInfo],
    result: FootprintResult,
    mc: MonteCarloResult,
) -> None:
    """Print one study's footprint with its breakdowns, in Chinese and English."""
    out.write(f"\n=== {study.name_zh} / {study.name_en} ===\n")
    if study.illustrative:
        out.write("  ⚠ 示意数据，仅供演示 / illustrative activity data, for demonstration only\n")
    out.write(f"  功能单位 / declared unit: {study.declared_unit}   GWP: IPCC {result.gwp_set} "
              f"(100 年)   求解器 / solver: {result.solver}   引擎 / engine: "
              f"{result.engine_version}\n")
    split = result.biogenic_split
    out.write(f"  产品碳足迹 / product carbon footprint: {_kg(result.total)}\n")
    out.write(f"    化石 / fossil {_kg(split.fossil)}; "
              f"生物源排放 / biogenic {_kg(split.biogenic)}; "
              f"生物源吸收 / biogenic uptake {_kg(split.biogenic_uptake)}; "
              f"土地利用变化 / land-use change {_kg(split.land_use_change)}\n")
    out.write(f"    不含生物源CO2 / excluding biogenic CO2 (PACT v2): "
              f"{_kg(split.excluding_biogenic_co2)}\n")
    _table(out, "按生命周期阶段 / by life-cycle stage", result.by_stage, result.total)
    _table(out, "按气体 / by gas", result.by_gas, result.total)
    _table(out, "按输入（含上游供应链） / by input (supply chain included)", result.by_input,
           result.total)
    _table(out, "按过程（直接排放） / by process (direct emissions)", result.by_process,
           result.total)
    out.write("  上游树 / upstream tree\n")
    _tree(out, result.tree, result.total)
    dq = result.data_quality
    if dq.dqr is not None:
        out.write(f"  数据质量评级 / data quality rating (PEF DQR): {dq.dqr:.2f} ({dq.level}), "
                  f"覆盖 / coverage {100 * dq.coverage:.0f} %\n")
    if result.primary_data_share is not None:
        out.write(f"  原始数据占比 / primary data share: {100 * result.primary_data_share:.1f} %\n")
    low, high = mc.percentiles[2.5], mc.percentiles[97.5]
    out.write(f"  蒙特卡罗 / Monte Carlo ({mc.iterations} 次 / runs, seed {mc.seed}, "
              f"{mc.method}): 均值 / mean {_kg(mc.mean)}, 标准差 / sd {mc.std:,.2f}, "
              f"95 % 区间 / interval [{low:,.2f}, {high:,.2f}]\n")
    used = [fid for fid in result.supply if fid in factors]
    out.write("  所用因子 / factor datasets used:\n")
    for fid in used:
        info = factors[fid]
        flag = "  ⚠ 占位值 / PLACEHOLDER" if info.placeholder else ""
        out.write(f"    {fid} @ {info.dataset.version}: {info.name_zh} / {info.name_en}{flag}\n")
        out.write(f"      来源 / source: {info.source}\n")
    placeholders = [fid for fid in used if factors[fid].placeholder]
    if placeholders:
        out.write("  ⚠ 结果不完整：以上占位因子尚无公开数值，按 0 计入 / incomplete result: the "
                  "placeholder datasets above have no public figure yet and count as 0\n")
    if result.cut_off:
        out.write(f"  截断 / cut off: {', '.join(result.cut_off)}\n")
    out.write(f"  可复现指纹 / reproducibility fingerprint: {result.system_fingerprint[:16]}…\n")


def run(out: TextIO, gwp_set: str = "AR6", iterations: int = 1000) -> list[FootprintResult]:
    factors = load_demo_factors()
    results = []
    out.write("云碳 Yuntan — 产品碳足迹示例 / example product carbon footprints\n")
    for name in DEMO_STUDIES:
        study = load(_demo_dir() / name).study
        assert study is not None, name
        result, mc = compute(study, factors, gwp_set, iterations)
        report(out, study, factors, result, mc)
        results.append(result)
    return results
