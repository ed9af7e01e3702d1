"""The report's content as a small document model, one per language; HTML and PDF render
the same model, so both carry the same sections, numbers and flags.

:data:`REQUIREMENTS` ties each content item a CFP study report must have (ISO 14067 /
GB/T 24067-2024, as listed in the project's reporting-standards notes) to the section
that answers it; the tests check every one is present.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from yuntan.formats import charts
from yuntan.formats.collection import BOUNDARY_LABELS
from yuntan.formats.reports.data import ALLOCATION_METHODS, Language, ReportData

# (content item of the CFP study report, section id). Items are worded as in
# shared/specs/reporting-standards.md, section 2 ("CFP study report contents", "Goal and
# scope", "Electricity").
REQUIREMENTS: tuple[tuple[str, str], ...] = (
    ("intended application, reasons, target audience", "goal"),
    ("functional/declared unit and reference flow", "unit"),
    ("system boundary, with inputs/outputs and the decision criteria for them", "boundary"),
    ("significant unit processes", "results"),
    ("data collection and data sources", "data"),
    ("GHGs considered", "ghg"),
    ("characterisation factors (GWP set)", "ghg"),
    ("cut-off criteria and the exclusions made", "cut_off"),
    ("allocation procedures", "allocation"),
    ("time period of the data and period the CFP represents", "scope"),
    ("data-quality assessment", "data_quality"),
    ("electricity treatment, incl. emission factors and contractual instruments", "electricity"),
    ("results per life-cycle stage", "results"),
    ("fossil, biogenic, dLUC and aircraft", "split"),
    ("sensitivity and uncertainty results", "uncertainty"),
    ("interpretation, conclusions and limitations", "limitations"),
    ("value choices made, with justification", "limitations"),
    ("use-stage and end-of-life scenarios and their effect", "boundary"),
    ("PCRs or other product rules used", "scope"),
)

_T: dict[str, tuple[str, str]] = {
    "title": ("产品碳足迹报告", "Product carbon footprint report"),
    "partial": ("部分产品碳足迹（从摇篮到大门）", "partial CFP (cradle to gate)"),
    "full": ("产品碳足迹（从摇篮到坟墓）", "CFP (cradle to grave)"),
    "summary": ("结果摘要", "Summary"),
    "goal": ("研究目的", "Goal of the study"),
    "scope": ("研究范围与依据", "Scope and product rules"),
    "unit": ("声明单位与基准流", "Declared unit and reference flow"),
    "boundary": ("系统边界", "System boundary"),
    "data": ("数据收集与数据来源", "Data collection and data sources"),
    "data_quality": ("数据质量评价", "Data-quality assessment"),
    "allocation": ("分配程序", "Allocation procedures"),
    "cut_off": ("取舍准则与排除项", "Cut-off criteria and exclusions"),
    "ghg": ("温室气体与特征化因子", "Greenhouse gases and characterisation factors"),
    "electricity": ("电力处理", "Electricity"),
    "results": ("量化结果", "Results"),
    "split": ("化石、生物源与土地利用变化排放", "Fossil, biogenic and land-use change emissions"),
    "uncertainty": ("不确定性", "Uncertainty"),
    "limitations": ("解释、结论与局限性", "Interpretation, conclusions and limitations"),
    "traceability": ("可追溯性", "Traceability"),
    "product": ("产品", "Product"),
    "study": ("研究", "Study"),
    "organisation": ("组织", "Organisation"),
    "uscc": ("统一社会信用代码", "Unified social credit code"),
    "prefecture": ("所在州（市）", "Prefecture"),
    "declared_unit": ("声明单位", "Declared unit"),
    "period": ("数据时间范围", "Reference period"),
    "total": ("产品碳足迹", "Carbon footprint"),
    "headline": ("主报告值", "headline"),
    "grade": ("等级", "Grade"),
    "rule_pack": ("核算规则", "Rule pack"),
    "standards": ("依据标准", "Standards"),
    "placeholder": ("占位", "PLACEHOLDER"),
    "placeholder_factor": ("占位因子", "placeholder factor"),
    "illustrative": ("示意数据", "ILLUSTRATIVE DATA"),
    "location_based": ("基于位置（电网平均）", "location-based (grid average)"),
    "market_based": ("基于市场（合同电力）", "market-based (contractual)"),
    "mee_calibre": ("生态环境部口径（仅发电CO2因子）", "MEE calibre (CO2-only grid factor)"),
    "method": ("方法", "Method"),
    "share": ("占比", "Share"),
    "stage": ("阶段", "Stage"),
    "process": ("过程", "Process"),
    "input": ("输入", "Input"),
    "gas": ("气体", "Gas"),
    "origin": ("来源类型", "Origin"),
    "mass_kg": ("质量 (kg)", "Mass (kg)"),
    "field": ("数据项", "Item"),
    "amount": ("数量", "Amount"),
    "unit_col": ("单位", "Unit"),
    "code": ("编号", "Code"),
    "version": ("版本", "Version"),
    "name": ("名称", "Name"),
    "source": ("来源", "Source"),
    "value": ("数值", "Value"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "not_rated": ("未评定", "not rated"),
    "none": ("无", "none"),
    "difference": ("与主报告值之差", "Difference from the headline"),
}

_ORIGIN = {"fossil": ("化石", "fossil"), "biogenic": ("生物源", "biogenic"),
           "biogenic_uptake": ("生物源吸收", "biogenic uptake"),
           "land_use_change": ("土地利用变化", "land-use change"),
           "land_management": ("土地管理非CO2排放（施肥N2O等）",
                               "land management non-CO2 (fertiliser N2O ...)")}
_ALLOCATION = ALLOCATION_METHODS
_BOUNDARY = {boundary.value: names for boundary, names in BOUNDARY_LABELS.items()}


def t(key: str, language: Language) -> str:
    zh, en = _T[key]
    return en if language == "en" else zh


def pick(pair: tuple[str, str], language: Language) -> str:
    return pair[1] if language == "en" else pair[0]


def quantity(value: float) -> str:
    """A footprint figure as the report prints it (the tests use the same function)."""
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 100:
        return f"{value:,.2f}"
    if size >= 0.01:
        return f"{value:,.4f}"
    return f"{value:.4e}"


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Pairs:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    flagged: tuple[int, ...] = ()  # rows that rest on a placeholder


@dataclass(frozen=True)
class Chart:
    svg: str
    caption: str


@dataclass(frozen=True)
class Notice:
    text: str
    kind: Literal["warning", "illustrative", "info"] = "info"


Block = Paragraph | Pairs | Table | Chart | Notice


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    answers: tuple[str, ...]  # the content items of REQUIREMENTS it answers
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    language: Language
    title: str
    subtitle: str
    banners: tuple[Notice, ...]
    sections: tuple[Section, ...]
    footer: str
    watermark: str  # empty unless the data is illustrative


class _Builder:
    """Builds every section from one :class:`ReportData` in one language."""

    def __init__(self, data: ReportData, language: Language) -> None:
        self.d = data
        self.lang: Language = language
        self.result = data.result
        self.unit = f"kg CO2e / {data.declared_unit}"
        self.placeholders = set(data.placeholders)

    def tr(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def name(self, key: str) -> str:
        return self.d.name_of(key, self.lang)

    def flag(self, code: str) -> str:
        """The name of ``code`` with a visible placeholder flag where it is one."""
        if code in self.placeholders:
            return f"{self.name(code)} 【{t('placeholder_factor', self.lang)}】"
        return self.name(code)

    def pack_label(self) -> str:
        d = self.d
        name = d.text(d.rule_pack_name_zh, d.rule_pack_name_en, self.lang)
        return f"{name} ({d.rule_pack_id} {d.rule_pack_version})"

    def methods(self) -> list[str]:
        headline = self.d.headline
        return [headline, *sorted(m for m in self.d.outcome["results"] if m != headline)]

    def method_name(self, method: str) -> str:
        label = t(method, self.lang) if method in _T else method
        if method == self.d.headline:
            label += f" — {t('headline', self.lang)}"
        return label

    # Sections, in report order.

    def summary(self) -> Section:
        d, lang = self.d, self.lang
        rows = [
            (t("product", lang), d.text(d.product_name_zh, d.product_name_en, lang)),
            (t("study", lang), d.text(d.study_name_zh, d.study_name_en, lang)),
            (t("organisation", lang),
             d.text(d.organisation_name_zh, d.organisation_name_en, lang)),
            (t("uscc", lang), d.organisation_uscc),
            (t("prefecture", lang), d.text(d.prefecture_zh, d.prefecture_en, lang)),
            (t("declared_unit", lang), d.declared_unit),
            (t("period", lang), d.reference_period),
        ]
        for method in self.methods():
            total = d.outcome["results"][method]["total"]
            rows.append((f"{t('total', lang)}（{self.method_name(method)}）" if lang == "zh"
                         else f"{t('total', lang)} ({self.method_name(method)})",
                         f"{quantity(total)} {self.unit}"))
        grade = d.outcome.get("grade") or {}
        rows.append((t("grade", lang), self.tr(str(grade.get("name_zh", "")),
                                                str(grade.get("name_en", "")))))
        rows.append((t("rule_pack", lang), self.pack_label()))
        return self.section("summary", (), [Pairs(tuple(rows))])

    def placeholder_notices(self) -> list[Block]:
        if not self.placeholders:
            return []
        listed = "、".join if self.lang == "zh" else ", ".join
        names = listed(f"{self.name(c)} ({c})" for c in sorted(self.placeholders))
        return [Notice(self.tr(
            f"【{t('placeholder_factor', 'zh')}】本结果使用了尚无公开数值的占位因子：{names}。"
            "其贡献按零计入，结果不完整，不得用于对外声明。",
            f"[{t('placeholder_factor', 'en').upper()}] This result uses factor datasets "
            f"without a public figure yet: {names}. They count as zero, so the result is "
            "incomplete and must not be used in a public claim."), "warning")]

    def goal(self) -> Section:
        d = self.d
        if d.goal is not None:
            text = d.goal.text(self.lang)
        else:
            product = d.text(d.product_name_zh, d.product_name_en, self.lang)
            text = self.tr(
                f"量化{product}的产品碳足迹（气候变化单一影响类别），用于云南省产品碳足迹管理"
                "（分级管理与标识认证）、供应链数据交换和企业减排决策。目标受众为企业自身、"
                "核查与认证机构、主管部门及下游客户。结果是否对外发布取决于核查与认证。",
                f"Quantify the carbon footprint of {product} (climate change only) for "
                "Yunnan's product carbon footprint management (grading and labels), supply-chain "
                "data exchange and the enterprise's own reduction decisions. Audience: the "
                "enterprise, verification and certification bodies, the authorities and "
                "downstream customers. Whether the result is communicated depends on "
                "verification and certification.")
        return self.section("goal", self.answers("goal"), [Paragraph(text)])

    def scope(self) -> Section:
        d, lang = self.d, self.lang
        standards = tuple(
            (s.code, d.text(s.title_zh, s.title_en, lang), s.role) for s in d.standards)
        blocks: list[Block] = [
            Pairs((
                (t("period", lang), d.reference_period),
                (t("prefecture", lang), d.text(d.prefecture_zh, d.prefecture_en, lang)),
                (t("rule_pack", lang), self.pack_label()),
            )),
            Paragraph(self.tr(
                "活动数据覆盖上述数据时间范围，产品碳足迹代表该时间范围内的生产情况；"
                "所用因子数据集的版本见“数据收集与数据来源”及“可追溯性”。",
                "The activity data cover the reference period above, and the footprint "
                "represents production in that period; the factor dataset versions used are "
                "listed under data sources and traceability.")),
            Table((t("standards", lang), t("name", lang), self.tr("作用", "Role")),
                  standards),
        ]
        return self.section("scope", self.answers("scope"), blocks)

    def unit_section(self) -> Section:
        d = self.d
        partial = d.system_boundary == "cradle_to_gate"
        product_zh = d.text(d.product_name_zh, d.product_name_en, "zh")
        product_en = d.text(d.product_name_zh, d.product_name_en, "en")
        why_zh = "本研究为部分产品碳足迹，故使用声明单位而非功能单位。" if partial else ""
        why_en = ("This is a partial CFP, hence a declared unit rather than a functional unit."
                  if partial else "")
        text = self.tr(
            f"声明单位：{d.declared_unit}（{product_zh}）。基准流为生产 {d.declared_unit} "
            f"产品所需的各过程产出量，由核算规则按各过程的产量换算。{why_zh}",
            f"Declared unit: {d.declared_unit} of {product_en}. The reference flows are the "
            f"outputs of each process needed for {d.declared_unit} of product, scaled by the "
            f"rule pack from the reported production. {why_en}")
        return self.section("unit", self.answers("unit"), [Paragraph(text.strip())])

    def boundary(self) -> Section:
        d, lang = self.d, self.lang
        boundary = pick(_BOUNDARY.get(d.system_boundary, (d.system_boundary,) * 2), lang)
        kind = t("partial" if d.system_boundary == "cradle_to_gate" else "full", lang)
        stages = tuple((s.name(lang), ", ".join(p.name(lang) for p in d.processes
                                                 if p.group == s.id) or "–")
                       for s in d.stages)
        blocks: list[Block] = [
            Paragraph(self.tr(f"系统边界：{boundary}，{kind}。", f"System boundary: {boundary}; "
                                                                f"{kind}.")),
            Table((t("stage", lang), t("process", lang)), stages),
            Paragraph(self.tr(
                "边界内的输入输出由核算规则的数据收集规范确定：每个过程的能源、物料、运输、"
                "废弃物与直接排放均需填报，并链接到因子数据集或上游过程；排除项见“取舍准则”。",
                "Inputs and outputs inside the boundary follow the rule pack's data collection "
                "specification: every process reports energy, materials, transport, waste and "
                "direct emissions, each linked to a factor dataset or an upstream process; "
                "exclusions are listed under cut-off.")),
        ]
        if d.system_boundary == "cradle_to_gate":
            blocks.append(Paragraph(self.tr(
                "使用阶段与寿命终止阶段不在边界内，因此未设定使用与处置情景，其影响未计入。",
                "The use and end-of-life stages are outside the boundary, so no use or "
                "end-of-life scenarios are set and their effect is not included.")))
        return self.section("boundary", self.answers("boundary"), blocks)

    def data(self) -> Section:
        d, lang = self.d, self.lang
        activity = d.inputs.get("activity", {})
        field_stage = {f.id: f.group for f in d.fields}
        stage_name = {s.id: s.name(lang) for s in d.stages}
        rows = tuple((self.name(k), charts.format_number(float(v[0])), str(v[1]),
                      stage_name.get(field_stage.get(k, ""), field_stage.get(k, "")))
                     for k, v in activity.items())
        factors: list[tuple[str, ...]] = []
        flagged: list[int] = []
        for row in d.factors:
            placeholder = row.placeholder or row.code in self.placeholders
            if placeholder:
                flagged.append(len(factors))
            source = "; ".join(x for x in (row.source_publisher, row.source_document,
                                           row.source_year) if x)
            factors.append((row.code, row.version,
                            row.name(lang) + (f" 【{t('placeholder', lang)}】" if placeholder
                                              else ""),
                            row.unit, source or "–"))
        blocks: list[Block] = [
            Paragraph(self.tr(
                "活动数据由企业按核算规则的数据收集规范填报，单位已换算，并经合理范围检查；"
                "排放因子取自平台因子数据库中锁定的版本。",
                "Activity data were reported by the enterprise under the rule pack's data "
                "collection specification, converted to consistent units and range-checked; "
                "emission factors are the versions pinned from the platform's factor database.")),
            Table((t("field", lang), t("amount", lang), t("unit_col", lang), t("stage", lang)),
                  rows, numeric=(1,)),
            Table((t("code", lang), t("version", lang), t("name", lang), t("unit_col", lang),
                   t("source", lang)), tuple(factors), flagged=tuple(flagged)),
        ]
        blocks += self.placeholder_notices()
        return self.section("data", self.answers("data"), blocks)

    def data_quality(self) -> Section:
        lang = self.lang
        quality = self.result.get("data_quality") or {}
        share = self.result.get("primary_data_share")

        def rated(key: str) -> str:
            value = quality.get(key)
            return t("not_rated", lang) if value is None else charts.format_number(float(value))

        rows = (
            (self.tr("初级数据占比", "Primary data share"),
             f"{100 * share:.1f}%" if share is not None else t("not_rated", lang)),
            (self.tr("数据质量评分 DQR", "Data quality rating (DQR)"), rated("dqr")),
            (self.tr("数据质量等级", "Data quality level"),
             str(quality.get("level") or t("not_rated", lang))),
            (self.tr("技术代表性", "Technological representativeness"), rated("technological")),
            (self.tr("地理代表性", "Geographical representativeness"), rated("geographical")),
            (self.tr("时间代表性", "Temporal representativeness"), rated("temporal")),
            (self.tr("可靠性", "Reliability"), rated("reliability")),
            (self.tr("完整性", "Completeness"), rated("completeness")),
            (self.tr("评分覆盖的排放占比", "Share of emissions covered by the rating"),
             f"{100 * float(quality.get('coverage') or 0):.1f}%"),
        )
        blocks: list[Block] = [Pairs(rows), Paragraph(self.tr(
            "评分按谱系矩阵（1 最好 – 5 最差）对各排放贡献加权；初级数据占比为来自企业自有"
            "过程实测数据的排放份额。",
            "Ratings use the pedigree matrix (1 best – 5 worst), weighted by each "
            "contribution; the primary data share is the part of the emissions that comes "
            "from measured data of the enterprise's own processes."))]
        blocks += [Paragraph(s.text(lang)) for s in self.d.data_quality]
        return self.section("data_quality", self.answers("data_quality"), blocks)

    def allocation(self) -> Section:
        lang = self.lang
        applied = self.result.get("allocation") or {}
        blocks: list[Block] = [Paragraph(self.tr(
            "分配遵循 GB/T 24067-2024 / ISO 14067 的优先顺序：先避免分配（细分过程或系统扩展），"
            "再按物理关系，最后按经济价值等其他关系。",
            "Allocation follows the GB/T 24067-2024 / ISO 14067 hierarchy: avoid it first "
            "(subdivision or system expansion), then physical relationships, then economic "
            "value or other relationships."))]
        for statement in self.d.allocation:
            blocks.append(Paragraph(statement.text(lang)
                                    + (f" ({statement.standard})" if statement.standard else "")))
        if applied:
            header = (t("process", lang), self.tr("分配（系数）", "Allocation (factor)"))
            blocks.append(Table(header, tuple((k, self.allocation_text(str(v)))
                                              for k, v in applied.items())))
        else:
            blocks.append(Paragraph(self.tr("本研究中无需分配（无多产出过程）。",
                                            "No allocation was needed (no multi-output "
                                            "process).")))
        return self.section("allocation", self.answers("allocation"), blocks)

    def allocation_text(self, applied: str) -> str:
        """``"economic (0.99)"`` as the report's language says it."""
        method, _, factor = applied.partition(" ")
        return f"{pick(_ALLOCATION.get(method, (method, method)), self.lang)} {factor}".strip()

    def cut_off(self) -> Section:
        lang = self.lang
        blocks: list[Block] = []
        for statement in self.d.cut_off:
            text = statement.text(lang)
            if statement.placeholder:
                text = f"【{t('placeholder', lang)}】{text}"
            blocks.append(Paragraph(text + (f" ({statement.standard})" if statement.standard
                                            else "")))
        if not self.d.cut_off:
            blocks.append(Paragraph(self.tr("核算规则未设取舍准则：全部输入均已计入。",
                                            "The rule pack sets no cut-off: every input is "
                                            "included.")))
        excluded = self.result.get("cut_off") or []
        blocks.append(Paragraph(
            self.tr("被排除的流：", "Flows excluded: ")
            + (", ".join(map(str, excluded)) if excluded else t("none", lang))))
        return self.section("cut_off", self.answers("cut_off"), blocks)

    def ghg(self) -> Section:
        lang = self.lang
        gwp = str(self.result.get("gwp_set", ""))
        inventory = self.result.get("inventory_kg") or []
        rows = tuple((str(gas), pick(_ORIGIN.get(str(origin), (str(origin),) * 2), lang),
                      charts.format_number(float(amount))) for gas, origin, amount in inventory)
        by_gas = self.result.get("by_gas") or {}
        total = float(self.result["total"])
        blocks: list[Block] = [
            Paragraph(self.tr(
                f"考虑的温室气体为清单中的全部京都议定书类温室气体；特征化采用 IPCC {gwp} "
                "100 年全球增温潜势（GWP100）。",
                f"All Kyoto-type greenhouse gases in the inventory are considered, "
                f"characterised with the IPCC {gwp} 100-year global warming potentials "
                "(GWP100).")),
            Table((t("gas", lang), t("origin", lang), t("mass_kg", lang)), rows, numeric=(2,)),
            Table((t("gas", lang), self.unit, t("share", lang)),
                  tuple((g, quantity(float(v)), percent(float(v), total))
                        for g, v in by_gas.items()), numeric=(1, 2)),
        ]
        mismatches = self.d.outcome.get("gwp_mismatches") or []
        if mismatches:
            blocks.append(Notice(self.tr(
                f"以下因子仅给出 CO2e，且以其他 GWP 数据集计算：{', '.join(mismatches)}。",
                f"These factors give CO2e only, characterised with another GWP set: "
                f"{', '.join(mismatches)}."), "warning"))
        return self.section("ghg", self.answers("ghg"), blocks)

    def electricity(self) -> Section:
        lang = self.lang
        results = self.d.outcome["results"]
        methods = self.methods()
        headline_total = float(results[self.d.headline]["total"])
        rows = tuple((self.method_name(m), quantity(float(results[m]["total"])),
                      quantity(float(results[m]["total"]) - headline_total)) for m in methods)
        keys = sorted({k for m in methods for k in results[m]["by_process"]})
        differing = [k for k in keys
                     if len({float(results[m]["by_process"].get(k, 0.0)) for m in methods}) > 1]
        blocks: list[Block] = [
            Paragraph(self.tr(
                f"电力按两种方法并列计算：基于位置的方法使用电网平均排放因子，基于市场的方法"
                f"对有合同工具（如水电直购合同、绿证）支撑的电量使用供应方特定因子。"
                f"核算规则规定主报告值采用{self.method_name(self.d.headline)}。",
                f"Electricity is computed both ways: the location-based method uses the grid "
                f"average factor, the market-based method uses supplier-specific factors for "
                f"electricity backed by contractual instruments (e.g. hydropower contracts, "
                f"green certificates). The rule pack names the headline: "
                f"{self.method_name(self.d.headline)}.")),
            Table((t("method", lang), self.unit, t("difference", lang)), rows, numeric=(1, 2)),
        ]
        if differing:
            blocks.append(Table(
                (t("process", lang), *(self.method_name(m) for m in methods)),
                tuple((self.flag(k), *(quantity(float(results[m]["by_process"].get(k, 0.0)))
                                       for m in methods)) for k in differing),
                numeric=tuple(range(1, len(methods) + 1))))
        versions = {k: v for m in methods for k, v in results[m]["factor_versions"].items()
                    if k.startswith("electricity")}
        if versions:
            blocks.append(Table((t("code", lang), t("name", lang), t("version", lang)),
                                tuple((k, self.name(k), v) for k, v in sorted(versions.items()))))
        return self.section("electricity", self.answers("electricity"), blocks)

    def results(self) -> Section:
        lang, result = self.lang, self.result
        total = float(result["total"])
        stage_items = [(self.name(k), float(v)) for k, v in result["by_stage"].items()]
        process_items = [(self.flag(k), float(v)) for k, v in result["by_process"].items()]
        input_items = [(self.flag(k), float(v)) for k, v in result["by_input"].items()]
        blocks: list[Block] = [
            Paragraph(self.tr(f"产品碳足迹（主报告值）：{quantity(total)} {self.unit}。",
                              f"Carbon footprint (headline): {quantity(total)} {self.unit}.")),
            self.breakdown(t("stage", lang), stage_items, total),
            Chart(charts.share_bar(stage_items, title=self.tr("各阶段占比", "Shares by stage"),
                                   unit=self.unit, language=lang), self.tr("按阶段", "By stage")),
            self.breakdown(t("gas", lang), [(k, float(v)) for k, v in result["by_gas"].items()],
                           total),
            Chart(charts.donut(result["by_gas"], title=self.tr("各气体占比", "Shares by gas"),
                               unit=self.unit, language=lang), self.tr("按气体", "By gas")),
            self.breakdown(t("process", lang), process_items, total,
                           [k for k in result["by_process"] if k in self.placeholders]),
            Chart(charts.bar_chart(process_items, title=self.tr("各过程贡献", "By process"),
                                   unit=self.unit, language=lang),
                  self.tr("重要单元过程", "Significant unit processes")),
            self.breakdown(t("input", lang), input_items, total,
                           [k for k in result["by_input"] if k in self.placeholders]),
            Chart(charts.tree_diagram(result["tree"], title=self.tr("上游贡献树",
                                                                    "Upstream tree"),
                                      unit=self.unit, language=lang),
                  self.tr("上游贡献（三层）", "Upstream contributions (three levels)")),
        ]
        return self.section("results", self.answers("results"), blocks)

    def breakdown(self, label: str, items: list[tuple[str, float]], total: float,
                  flagged_keys: list[str] | None = None) -> Table:
        ordered = sorted(items, key=lambda p: -abs(p[1]))
        flagged_names = {self.flag(k) for k in flagged_keys or []}
        return Table((label, self.unit, t("share", self.lang)),
                     tuple((n, quantity(v), percent(v, total)) for n, v in ordered),
                     numeric=(1, 2),
                     flagged=tuple(i for i, (n, _) in enumerate(ordered) if n in flagged_names))

    def split(self) -> Section:
        lang = self.lang
        split = self.result["biogenic_split"]
        rows = tuple((pick(_ORIGIN[k], lang), quantity(float(split.get(k, 0.0))))
                     for k in ("fossil", "biogenic", "biogenic_uptake", "land_use_change",
                               "land_management"))
        pact = (
            (self.tr("含生物源（PACT pCfIncludingBiogenic）",
                     "Including biogenic (PACT pCfIncludingBiogenic)"),
             quantity(float(split["including_biogenic"]))),
            (self.tr("不含生物源 CO2（PACT pCfExcludingBiogenic）",
                     "Excluding biogenic CO2 (PACT pCfExcludingBiogenic)"),
             quantity(float(split["excluding_biogenic_co2"]))),
            (self.tr("不含生物源吸收（PACT v3 pcfExcludingBiogenicUptake）",
                     "Excluding biogenic uptake (PACT v3 pcfExcludingBiogenicUptake)"),
             quantity(float(split["excluding_biogenic_uptake"]))),
        )
        blocks: list[Block] = [
            Table((t("origin", lang), self.unit), rows, numeric=(1,)),
            Table((self.tr("口径", "Basis"), self.unit), pact, numeric=(1,)),
            Paragraph(self.tr(
                "直接土地利用变化（dLUC）单列；间接土地利用变化（iLUC）与土壤碳变化未计算。"
                "航空运输排放未单独分列，已计入所在阶段。",
                "Direct land-use change (dLUC) is reported separately; indirect land-use "
                "change (iLUC) and soil carbon change were not calculated. Aircraft emissions "
                "are not separated; they are included in their stage.")),
        ]
        return self.section("split", self.answers("split"), blocks)

    def uncertainty(self) -> Section:
        lang, samples = self.lang, self.d.monte_carlo_samples
        blocks: list[Block] = []
        if samples:
            summary = charts.summarise_samples(samples)
            blocks.append(Pairs((
                (self.tr("模拟次数", "Runs"), str(summary.count)),
                (self.tr("随机种子", "Seed"), str(self.d.monte_carlo_seed)
                 if self.d.monte_carlo_seed is not None else "–"),
                (self.tr("均值", "Mean"), f"{quantity(summary.mean)} {self.unit}"),
                (self.tr("95% 区间", "95% interval"),
                 f"{quantity(summary.p2_5)} – {quantity(summary.p97_5)} {self.unit}"),
            )))
            blocks.append(Chart(charts.histogram(samples, title=self.tr(
                "蒙特卡洛模拟结果分布", "Monte Carlo distribution of the total"), unit=self.unit,
                language=lang), self.tr("不确定性", "Uncertainty")))
        else:
            blocks.append(Paragraph(self.tr(
                "本结果未附蒙特卡洛不确定性分析；定性判断见数据质量评价。",
                "No Monte Carlo uncertainty analysis accompanies this result; see the "
                "data-quality assessment for a qualitative judgement.")))
        results = self.d.outcome["results"]
        if len(results) > 1:
            totals = [float(r["total"]) for r in results.values()]
            blocks.append(Paragraph(self.tr(
                f"敏感性：电力核算方法的选择使结果在 {quantity(min(totals))} 与 "
                f"{quantity(max(totals))} {self.unit} 之间变化。",
                f"Sensitivity: the choice of electricity method moves the result between "
                f"{quantity(min(totals))} and {quantity(max(totals))} {self.unit}.")))
        return self.section("uncertainty", self.answers("uncertainty"), blocks)

    def limitations(self) -> Section:
        d, lang = self.d, self.lang
        items: list[str] = []
        if d.illustrative:
            items.append(self.tr("本报告基于示意数据，仅用于演示，不代表任何真实产品。",
                                 "This report rests on illustrative data, for demonstration "
                                 "only; it describes no real product."))
        for code in sorted(self.placeholders):
            items.append(self.tr(f"【{t('placeholder_factor', 'zh')}】{self.name(code)}（{code}）"
                                 "尚无公开数值，按零计入，结果偏低。",
                                 f"[{t('placeholder_factor', 'en')}] {self.name(code)} ({code}) "
                                 "has no public figure yet and counts as zero: the result is "
                                 "understated."))
        if d.system_boundary == "cradle_to_gate":
            items.append(self.tr("本结果为从摇篮到大门的部分产品碳足迹，不能与从摇篮到坟墓的"
                                 "结果直接比较。",
                                 "This is a cradle-to-gate partial CFP; it cannot be compared "
                                 "directly with cradle-to-grave results."))
        grade = d.outcome.get("grade") or {}
        if grade.get("placeholder"):
            items.append(self.tr(f"分级：{grade.get('name_zh', '')}。",
                                 f"Grading: {grade.get('name_en', '')}."))
        for finding in d.outcome.get("findings") or []:
            items.append(self.tr(str(finding.get("message_zh", "")),
                                 str(finding.get("message_en", ""))))
        items += [s.text(lang) for s in d.limitations]
        choices = self.tr(
            f"价值选择：GWP 数据集 {self.result.get('gwp_set', '')}（IPCC 最新评估报告）；"
            f"电力主报告方法为{self.method_name(d.headline)}（由核算规则规定）；"
            "分配方法与取舍准则按核算规则（见上文）。",
            f"Value choices: GWP set {self.result.get('gwp_set', '')} (latest IPCC assessment "
            f"report); electricity headline {self.method_name(d.headline)} (set by the rule "
            "pack); allocation and cut-off as the rule pack sets them (above).")
        conclusion = self.tr(
            f"结论：在上述边界与数据下，{d.declared_unit}产品的碳足迹为 "
            f"{quantity(float(self.result['total']))} {self.unit}。",
            f"Conclusion: within this boundary and data, the footprint of {d.declared_unit} of "
            f"product is {quantity(float(self.result['total']))} {self.unit}.")
        blocks: list[Block] = [Paragraph(conclusion), Paragraph(choices)]
        blocks += [Paragraph(f"• {item}") for item in items if item]
        return self.section("limitations", self.answers("limitations"), blocks)

    def traceability(self) -> Section:
        d, lang = self.d, self.lang
        result = self.result
        rows = (
            (self.tr("结果编号", "Result number"), d.result_number),
            (self.tr("计算时间", "Computed at"), d.computed_at),
            (self.tr("引擎版本", "Engine version"), d.engine_version),
            (self.tr("输入 SHA-256", "Inputs SHA-256"), d.inputs_sha256),
            (t("rule_pack", lang), f"{d.rule_pack_id} {d.rule_pack_version}"),
            (self.tr("GWP 数据集", "GWP set"), str(result.get("gwp_set", ""))),
            (self.tr("求解器", "Solver"), str(result.get("solver", ""))),
            (self.tr("系统指纹", "System fingerprint"), str(result.get("system_fingerprint", ""))),
        )
        methods = self.methods()
        codes = sorted({k for m in methods for k in d.outcome["results"][m]["factor_versions"]})
        versions = tuple(
            (c, *(str(d.outcome["results"][m]["factor_versions"].get(c, "–")) for m in methods),
             t("yes", lang) if c in self.placeholders else t("no", lang)) for c in codes)
        header = (t("code", lang), *(self.method_name(m) for m in methods),
                  t("placeholder", lang))
        return self.section("traceability", (), [
            Pairs(rows),
            Table(header, versions,
                  flagged=tuple(i for i, c in enumerate(codes) if c in self.placeholders)),
        ])

    # Assembly.

    def answers(self, section_id: str) -> tuple[str, ...]:
        return tuple(item for item, target in REQUIREMENTS if target == section_id)

    def section(self, section_id: str, answers: tuple[str, ...],
                blocks: list[Block] | tuple[Block, ...]) -> Section:
        return Section(section_id, t(section_id, self.lang), answers, tuple(blocks))

    def document(self) -> Document:
        d, lang = self.d, self.lang
        banners: list[Notice] = []
        if d.illustrative:
            banners.append(Notice(self.tr(
                "【示意数据】本报告使用示意性活动数据，仅用于演示与测试，不得用于对外声明。",
                "[ILLUSTRATIVE DATA] This report uses illustrative activity data, for "
                "demonstration and testing only; it must not be used in any claim."),
                "illustrative"))
        if d.stale:
            banners.append(Notice(self.tr(
                "【结果已过时】本结果计算于研究数据变更之前，不再反映研究的现状。",
                "[OUT OF DATE] This result was computed before the study's data changed; it no "
                "longer shows the study as it stands."), "warning"))
        if d.proposed:
            banners.append(Notice(self.tr(
                "【因子更新后重算】本结果与已核查结果并列，是否替代由认证机构决定。",
                "[RECOMPUTED AFTER A FACTOR UPDATE] This result stands beside the verified one; "
                "the certification body decides whether it replaces it."), "warning"))
        banners += [b for b in self.placeholder_notices() if isinstance(b, Notice)]
        sections = (self.summary(), self.goal(), self.scope(), self.unit_section(),
                    self.boundary(), self.data(), self.data_quality(), self.allocation(),
                    self.cut_off(), self.ghg(), self.electricity(), self.results(),
                    self.split(), self.uncertainty(), self.limitations(),
                    self.traceability())
        footer = (f"{d.result_number} · {self.tr('输入', 'inputs')} SHA-256 "
                  f"{d.inputs_sha256[:16]}… · Yuntan {d.engine_version}")
        return Document(
            language=lang,
            title=t("title", lang),
            subtitle=d.text(d.study_name_zh, d.study_name_en, lang),
            banners=tuple(banners),
            sections=sections,
            footer=footer,
            watermark=f"{t('illustrative', 'zh')} {t('illustrative', 'en')}"
            if d.illustrative else "",
        )


def build_document(data: ReportData, language: Language = "zh") -> Document:
    """The report's content in ``language`` ("zh" or "en")."""
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
    return _Builder(data, language).document()


def section_ids() -> tuple[str, ...]:
    return ("summary", "goal", "scope", "unit", "boundary", "data", "data_quality",
            "allocation", "cut_off", "ghg", "electricity", "results", "split", "uncertainty",
            "limitations", "traceability")

