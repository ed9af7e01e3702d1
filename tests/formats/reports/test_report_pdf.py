"""The PDF report: a valid document whose text (extracted with pypdf) carries the section
titles, the total, the declared unit and the flags, in both languages, set in the shipped
CJK font embedded as a subset."""

from __future__ import annotations

import functools
import io
import re

import pytest
from pypdf import PdfReader
from report_fixtures import (
    aluminium_outcome,
    coffee_outcome,
    monte_carlo_totals,
    report_for,
    with_placeholder,
    without_placeholders,
)

from yuntan.formats.reports import ReportData, quantity, render_pdf
from yuntan.formats.reports.content import build_document
from yuntan.formats.reports.data import Language
from yuntan.formats.reports.pdf import font_path


def squeeze(text: str) -> str:
    """Text without whitespace: extraction breaks lines inside table cells."""
    return re.sub(r"\s+", "", text)


@functools.cache
def aluminium(language: Language, illustrative: bool = True) -> bytes:
    data = report_for(aluminium_outcome(), illustrative=illustrative,
                      samples=monte_carlo_totals("electrolytic-aluminium"))
    return render_pdf(data, language)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return squeeze("".join(page.extract_text() for page in reader.pages))


def data() -> ReportData:
    return report_for(aluminium_outcome())


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pdf_is_valid_and_carries_titles_total_and_unit(language: Language) -> None:
    pdf = aluminium(language)
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)

    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(reader.pages) >= 4
    for section in build_document(data(), language).sections:
        assert squeeze(section.title) in text, section.title
    assert squeeze(quantity(data().result["total"])) in text
    assert squeeze(f"kg CO2e / {data().declared_unit}") in text
    assert data().inputs_sha256 in text


def test_the_chinese_report_has_chinese_titles() -> None:
    text = text_of(aluminium("zh"))
    for title in ("产品碳足迹报告", "系统边界", "数据质量评价", "分配程序", "取舍准则与排除项",
                  "电力处理", "化石、生物源与土地利用变化排放", "不确定性", "可追溯性"):
        assert title in text


@pytest.mark.parametrize(("language", "flag"), [("zh", "【占位因子】"),
                                                 ("en", "[PLACEHOLDER FACTOR]")])
def test_placeholder_flag_when_used(language: Language, flag: str) -> None:
    clean = render_pdf(report_for(without_placeholders("electrolytic-aluminium")), language)

    flagged = render_pdf(report_for(with_placeholder("electrolytic-aluminium",
                                                     "alumina-production-CN")), language)
    assert squeeze(flag) in text_of(flagged)
    assert squeeze(flag) not in text_of(clean)


@pytest.mark.parametrize(("language", "banner"), [("zh", "【示意数据】"),
                                                   ("en", "[ILLUSTRATIVE DATA]")])
def test_illustrative_banner_when_flagged(language: Language, banner: str) -> None:
    assert squeeze(banner) in text_of(aluminium(language))
    assert squeeze(banner) not in text_of(aluminium(language, illustrative=False))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_font_is_the_shipped_one_embedded_as_a_subset(language: Language) -> None:
    reader = PdfReader(io.BytesIO(aluminium(language)))
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for name, ref in resources.get("/Font", {}).items():
            fonts[name] = ref.get_object()
        for xobject in resources.get("/XObject", {}).values():  # charts drawn as forms
            for name, ref in xobject.get_object().get("/Resources", {}).get("/Font",
                                                                            {}).items():
                fonts[name] = ref.get_object()

    assert fonts
    for font in fonts.values():
        assert font["/Subtype"] == "/Type0"
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansCJKSC", font["/BaseFont"])
        (descendant,) = font["/DescendantFonts"]
        descriptor = descendant.get_object()["/FontDescriptor"].get_object()
        embedded = descriptor["/FontFile2"].get_object().get_data()
        assert 1_000 < len(embedded) < font_path().stat().st_size / 10  # a subset


def test_chart_labels_are_text_in_the_pdf() -> None:
    text = text_of(aluminium("zh"))
    assert "各阶段占比" in text and "上游贡献树" in text and "蒙特卡洛模拟结果分布" in text


def test_the_same_result_gives_the_same_file() -> None:
    data = report_for(coffee_outcome())
    assert render_pdf(data, "en") == render_pdf(data, "en")
