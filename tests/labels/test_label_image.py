"""The label image: SVG (escaped text, vector QR code) and PNG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from label_cases import URL, content
from PIL import Image

from yuntan.labels import generate_key
from yuntan.labels.image import WIDTH, label_lines, label_number, label_png, label_svg
from yuntan.labels.qr import dark_modules, qr_code

KEY = generate_key()
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_svg_is_well_formed_and_shows_what_a_label_must_show() -> None:
    label = content(KEY)
    svg = label_svg(label, URL)
    texts = "\n".join(_texts(svg))
    for shown in ("YT-2025-0001", "612.4 kg CO2e / 1 t", "2025-06-01 – 2027-06-01",
                  "示例认证机构", "待定（分级阈值尚未发布）", "分级阈值为占位值",
                  "示例数据，非正式证书", label.product_name_zh):
        assert shown in texts
    assert "<散装> & " not in svg and "&lt;散装&gt; &amp; " in svg
    assert "Noto Sans CJK SC" in svg


def test_a_real_grade_shows_no_placeholder_or_illustrative_note() -> None:
    label = content(KEY, grade_level="1", grade_name_zh="一级", grade_name_en="level 1",
                    grade_placeholder=False, illustrative=False)
    texts = "\n".join(line.text for line in label_lines(label))
    assert "一级" in texts and "占位" not in texts and "示例数据" not in texts


def test_the_svg_draws_every_dark_module_of_the_qr_code() -> None:
    svg = label_svg(content(KEY), URL)
    paths = [p.get("d", "") for p in ET.fromstring(svg).iter(f"{SVG}path")]
    assert len(paths) == 1
    assert paths[0].count("h1v1h-1z") == len(dark_modules(qr_code(URL)))


def test_the_png_is_an_image_of_the_label() -> None:
    image = Image.open(io.BytesIO(label_png(content(KEY), URL, scale=2)))
    assert image.format == "PNG" and image.width == 2 * WIDTH
    colours = image.convert("L").getcolors(256)
    assert colours is not None and len(colours) > 2  # text and QR drawn, not blank


@pytest.mark.parametrize("value,shown", [
    (612.4, "612.4"), (12345.6, "12,346"), (0.0123, "0.01230"), (1, "1.000"), (0, "0"),
    (-3.5, "-3.500"),
])
def test_label_numbers_keep_four_significant_figures(value: float, shown: str) -> None:
    assert label_number(value) == shown
