"""The HTML report: every content item of a CFP study report, in Chinese and English,
self-contained, with placeholders and illustrative data flagged where they apply."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import (
    aluminium_outcome,
    coffee_outcome,
    monte_carlo_totals,
    report_for,
    with_placeholder,
    without_placeholders,
)

from yuntan.formats.reports import REQUIREMENTS, quantity, render_html, report_data
from yuntan.formats.reports.content import build_document, section_ids

STANDARDS_NOTES = Path(__file__).resolve().parents[4] / "shared" / "specs" / \
    "reporting-standards.md"


class Sections(HTMLParser):
    """Text of each <section id=...> of a page, and every src/href/script seen."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.current: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self.current = values.get("id")
            self.text[self.current or ""] = ""
        if tag in ("script", "link", "img", "iframe", "object"):
            self.external.append(tag)
        self.external += [f"{k}={v}" for k, v in attrs if k in ("src", "href")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.text[self.current] += data


def parsed(page: str) -> Sections:
    parser = Sections()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_required_content_item_has_its_section_with_content(language: str) -> None:
    data = report_for(aluminium_outcome(), samples=monte_carlo_totals("electrolytic-aluminium"))
    page = parsed(render_html(data, language))  # type: ignore[arg-type]

    assert list(page.text) == list(section_ids())
    for item, section in REQUIREMENTS:
        assert len(page.text[section].strip()) > 40, (item, section)


def test_the_requirements_are_those_of_the_reporting_standards_notes() -> None:
    if not STANDARDS_NOTES.exists():
        pytest.skip(f"{STANDARDS_NOTES} is not beside the checkout")
    notes = STANDARDS_NOTES.read_text(encoding="utf-8")
    for item, _ in REQUIREMENTS:
        assert item in notes, item


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_page_is_self_contained(language: str) -> None:
    page = render_html(report_for(aluminium_outcome()), language)  # type: ignore[arg-type]

    assert parsed(page).external == []
    assert "url(" not in page and "@import" not in page
    assert re.findall(r"https?://[^\s\"'<]+", page) == ["http://www.w3.org/2000/svg"] * \
        page.count('xmlns="http://www.w3.org/2000/svg"')


def test_charts_are_inline_svg_one_per_breakdown_and_the_histogram_when_given() -> None:
    study = aluminium_outcome()
    without = render_html(report_for(study))
    with_mc = render_html(report_for(study, samples=monte_carlo_totals(study.pack.id)))

    assert without.count("<svg") == 4  # stages, gases, processes, upstream tree
    assert with_mc.count("<svg") == 5
    assert 'class="chart chart-histogram"' in with_mc


@pytest.mark.parametrize(("language", "headline", "other"), [
    ("zh", "基于位置（电网平均） — 主报告值", "基于市场（合同电力）"),
    ("en", "location-based (grid average) — headline", "market-based (contractual)"),
])
def test_both_electricity_methods_side_by_side_with_the_headline_named(
        language: str, headline: str, other: str) -> None:
    data = report_for(aluminium_outcome())
    text = parsed(render_html(data, language)).text["electricity"]  # type: ignore[arg-type]

    assert headline in text and other in text
    for result in data.outcome["results"].values():
        assert quantity(result["total"]) in text


@pytest.mark.parametrize(("language", "flag"), [("zh", "【占位因子】"),
                                                 ("en", "[PLACEHOLDER FACTOR]")])
def test_placeholders_are_flagged_only_when_used(language: str, flag: str) -> None:
    flagged = render_html(report_for(with_placeholder("electrolytic-aluminium",
                                                      "alumina-production-CN")),
                          language)  # type: ignore[arg-type]
    clean = render_html(report_for(without_placeholders("electrolytic-aluminium")),
                        language)  # type: ignore[arg-type]

    assert flag in flagged and "alumina-production-CN" in flagged
    assert 'class="flagged"' in flagged
    assert flag not in clean and 'class="flagged"' not in clean


@pytest.mark.parametrize(("language", "banner"), [("zh", "【示意数据】"),
                                                   ("en", "[ILLUSTRATIVE DATA]")])
def test_illustrative_data_gets_a_banner_and_a_watermark(language: str, banner: str) -> None:
    study = coffee_outcome()
    marked = render_html(report_for(study, illustrative=True), language)  # type: ignore[arg-type]
    real = render_html(report_for(study, illustrative=False), language)  # type: ignore[arg-type]

    assert banner in marked and 'class="watermark"' in marked
    assert banner not in real and 'class="watermark"' not in real


def test_results_split_and_traceability_carry_the_computed_numbers() -> None:
    study = coffee_outcome()
    data = report_for(study)
    page = parsed(render_html(data, "en"))
    result = data.result

    assert quantity(result["total"]) in page.text["summary"]
    assert data.declared_unit in page.text["unit"]
    for value in result["by_stage"].values():
        assert quantity(value) in page.text["results"]
    split = result["biogenic_split"]
    for key in ("fossil", "biogenic", "including_biogenic", "excluding_biogenic_co2"):
        assert quantity(split[key]) in page.text["split"]
    assert "pCfExcludingBiogenic" in page.text["split"]
    assert study.inputs.sha256 in page.text["traceability"]
    for code, version in result["factor_versions"].items():
        assert code in page.text["traceability"] and version in page.text["traceability"]
    assert "economic value" in page.text["allocation"]


def test_monte_carlo_summary_is_printed() -> None:
    samples = monte_carlo_totals("electrolytic-aluminium")
    data = report_for(aluminium_outcome(), samples=samples)
    text = parsed(render_html(data, "en")).text["uncertainty"]

    assert f"Runs{len(samples)}" in text.replace(" ", "")
    assert "95% interval" in text


def test_text_from_the_caller_is_escaped() -> None:
    data = report_for(coffee_outcome(), organisation_name_zh="<script>alert('x')</script>公司")
    page = render_html(data)

    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_the_same_sections_in_both_languages() -> None:
    data = report_for(aluminium_outcome())
    zh, en = build_document(data, "zh"), build_document(data, "en")

    assert [s.id for s in zh.sections] == [s.id for s in en.sections]
    assert [len(s.blocks) for s in zh.sections] == [len(s.blocks) for s in en.sections]
    assert zh.sections[0].title == "结果摘要" and en.sections[0].title == "Summary"
    with pytest.raises(ValueError):
        build_document(data, "fr")  # type: ignore[arg-type]


def test_report_data_refuses_inputs_of_another_pack() -> None:
    study, other = aluminium_outcome(), coffee_outcome()
    with pytest.raises(ValueError, match="rule pack"):
        report_data(other.pack, outcome=study.outcome, inputs=study.inputs.as_dict(),
                    factors=[])


def test_report_data_refuses_non_finite_samples() -> None:
    with pytest.raises(ValueError, match="finite"):
        report_for(coffee_outcome(), samples=(1.0, float("nan")))
