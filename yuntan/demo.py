"""The command-line demo: compute the platform demo's five studies from the shipped rule
packs and factor files, and print their breakdowns (the platform computes the same numbers).

Activity data in ``yuntan/data/demo`` is illustrative (示意数据); factor datasets carry their
sources; conservative defaults and placeholders are flagged in the output.
``compute``/``report`` still serve ``yuntan footprint`` for inventory TOML files.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from yuntan.accounting import StudyInputs, StudyOutcome, needed_factors, uncertainty
from yuntan.accounting import compute as compute_study
from yuntan.factordata import shipped_factors
from yuntan.formats.inventory_toml import FactorInfo, Study, load
from yuntan.lca import FootprintResult, TreeNode, build_system, footprint, monte_carlo, prepare
from yuntan.lca.uncertainty import MonteCarloResult
from yuntan.rules import RulePack, get_pack


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


@dataclass(frozen=True)
class DemoStudy:
    """One study of the platform's demo (``yuntan/data/demo/platform.toml``)."""

    title: str
    product_zh: str
    product_en: str
    pack_id: str
    pack_version: str
    variant: str | None
    year: int
    activity: Mapping[str, tuple[float, str]]


def demo_studies() -> list[DemoStudy]:
    """The platform demo's base studies (scenarios left out), as the platform loads them."""
    data = tomllib.loads((_demo_dir() / "platform.toml").read_text(encoding="utf-8"))
    return [DemoStudy(
        title=s["title"], product_zh=s["product_zh"], product_en=s["product_en"],
        pack_id=s["rule_pack"], pack_version=s["rule_pack_version"], variant=s.get("variant"),
        year=s["period_start"].year,
        activity={k: (float(v["amount"]), str(v["unit"])) for k, v in s["activity"].items()},
    ) for s in data["studies"]]


def study_inputs(study: DemoStudy, gwp_set: str = "AR6") -> tuple[RulePack, StudyInputs]:
    """The study's exact inputs with the shipped factor versions of its year: what the
    platform pins for it, so both compute the same number."""
    pack = get_pack(study.pack_id, study.pack_version)
    codes = needed_factors(pack, study.activity, study.variant)
    return pack, StudyInputs(pack.id, pack.version, study.variant, study.activity,
                             shipped_factors(codes, study.year), gwp_set)


def report_study(out: TextIO, study: DemoStudy, outcome: StudyOutcome,
                 inputs: StudyInputs, mc: MonteCarloResult, pack: RulePack) -> None:
    """Print one rule-pack study: the footprint under every electricity method, what it rests
    on (defaults, placeholders, separate credits), breakdowns and Monte Carlo."""
    result = outcome.result
    out.write(f"\n=== {study.product_zh} / {study.product_en} ===\n")
    out.write("  ⚠ 示意数据，仅供演示 / illustrative activity data, for demonstration only\n")
    unit = f"{pack.declared_unit.amount:g} {pack.declared_unit.unit}"
    out.write(f"  核算规则 / rule pack: {pack.id} {pack.version}   功能单位 / declared unit: "
              f"{unit}   GWP: IPCC {result.gwp_set} (100 年)\n")
    out.write(f"  产品碳足迹 / product carbon footprint: {_kg(result.total)} "
              f"({outcome.headline.value})\n")
    for method, other in outcome.results.items():
        if method is not outcome.headline:
            out.write(f"    {method.value}: {_kg(other.total)}\n")
    split = result.biogenic_split
    out.write(f"    化石 / fossil {_kg(split.fossil)}; 生物源排放 / biogenic "
              f"{_kg(split.biogenic)}; 土地利用变化 / land-use change "
              f"{_kg(split.land_use_change)}\n")
    if outcome.separate_credit:
        out.write(f"    单独报告的抵扣（未扣除）/ credit reported separately (not subtracted): "
                  f"{_kg(outcome.separate_credit)}\n")
    if outcome.aircraft:
        out.write(f"    其中航空排放 / of which aircraft emissions: {_kg(outcome.aircraft)}\n")
    _table(out, "按生命周期阶段 / by life-cycle stage", result.by_stage, result.total)
    _table(out, "按气体 / by gas", result.by_gas, result.total)
    _table(out, "按过程（直接排放） / by process (direct emissions)", result.by_process,
           result.total)
    low, high = mc.percentiles[2.5], mc.percentiles[97.5]
    out.write(f"  蒙特卡罗 / Monte Carlo ({mc.iterations} 次 / runs, seed {mc.seed}): "
              f"95 % 区间 / interval [{low:,.4g}, {high:,.4g}]\n")
    out.write("  所用因子 / factor datasets used:\n")
    kinds = {gap.dataset: gap.kind for gap in outcome.gaps}
    for code in sorted(result.factor_versions):
        factor = inputs.factors.get(code)
        if factor is None:
            continue
        flag = {"placeholder": "  ⚠ 占位值，未计入 / PLACEHOLDER, not counted",
                "default": "  ⚠ 保守缺省值 / CONSERVATIVE DEFAULT"}.get(kinds.get(code, ""), "")
        out.write(f"    {code} @ {factor.version}{flag}\n")
    if outcome.default_share:
        out.write(f"  {100 * outcome.default_share:.0f} % 来自保守缺省值 / rests on conservative "
                  f"defaults\n")
    if outcome.material_gap:
        out.write("  ⚠ 结果不完整，不能贴标或分享 / incomplete: cannot be labelled or shared\n")


def run(out: TextIO, gwp_set: str = "AR6", iterations: int = 1000) -> list[StudyOutcome]:
    """Compute and print the platform demo's five studies from the shipped files (the
    platform computes the same numbers from its database)."""
    out.write("云碳 Yuntan — 产品碳足迹示例 / example product carbon footprints\n")
    outcomes = []
    for study in demo_studies():
        pack, inputs = study_inputs(study, gwp_set)
        outcome = compute_study(pack, inputs)
        mc = uncertainty(pack, inputs, iterations=iterations, seed=0)
        report_study(out, study, outcome, inputs, mc, pack)
        outcomes.append(outcome)
    return outcomes
