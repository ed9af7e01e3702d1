"""The label image for packaging: SVG (text, vector QR code) and PNG (Pillow + segno).

Both show the certificate number, product, footprint per declared unit, grade (and when the
grading thresholds are placeholders, say so), validity, issuer and the QR code of the
verification page. The SVG escapes every text and names CJK fonts first, as the charts do;
the PNG draws its text with the shipped Noto Sans CJK SC subset (all of GBK).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from yuntan.formats.charts import FONT_FAMILY, xml_text
from yuntan.labels.content import LabelContent
from yuntan.labels.qr import BORDER_MODULES, dark_modules, qr_code, qr_png

FONT_FILE = "NotoSansCJKsc-Regular-subset.ttf"
INK = "#1f2933"
MUTED = "#52606d"
WARN = "#9c5700"
ACCENT = "#2a6f97"

WIDTH = 700
MARGIN = 20
QR_SIZE = 200  # px of the QR code with its quiet zone
LINE_HEIGHT = 1.45


@dataclass(frozen=True)
class Line:
    text: str
    size: int  # px
    color: str = INK
    bold: bool = False


def label_number(value: float) -> str:
    """At least four significant figures and every integer digit: 612.4, 12,346, 0.01230."""
    if value == 0:
        return "0"
    decimals = max(0, 3 - math.floor(math.log10(abs(value))))
    return f"{value:,.{decimals}f}"


ERROR = "#b3261e"
# What a label that is no longer valid says first, in place of nothing.
STATUS_LINES = {
    "suspended": "已暂停 SUSPENDED — 此标识暂停使用 / this label is suspended",
    "revoked": "已撤销 REVOKED — 此标识无效 / this label is not valid",
    "expired": "已过期 EXPIRED — 此标识已超过有效期 / this label has expired",
    "disputed": "记录与账本不符 — 请勿采信 / its record disagrees with the ledger: do not rely",
}


def label_lines(content: LabelContent, status: str = "issued") -> list[Line]:
    """The label's text, top to bottom, Chinese first then English; a label that is no
    longer valid (``status``) says so first."""
    c = content
    footprint = (f"{label_number(c.footprint)} {c.footprint_unit} / "
                 f"{c.declared_unit_amount:g} {c.declared_unit}")
    lines = [Line(STATUS_LINES.get(status, STATUS_LINES["revoked"]), 16, ERROR, bold=True)
             ] if status != "issued" else []
    lines += [
        Line("产品碳足迹标识 Product Carbon Footprint Label", 18, ACCENT, bold=True),
        Line(f"证书编号 Certificate No.: {c.certificate_number}", 13),
        Line(f"产品 Product: {c.product_name_zh}", 13),
        Line(c.product_name_en, 12, MUTED),
        Line(f"碳足迹 Footprint: {footprint}", 15, bold=True),
        Line(f"{c.system_boundary_zh} / {c.system_boundary_en} · {c.standard} · {c.gwp_set}",
             11, MUTED),
        Line(f"等级 Grade: {c.grade_name_zh}", 13),
        Line(c.grade_name_en, 11, MUTED),
    ]
    if c.grade_placeholder:
        lines.append(Line("分级阈值为占位值，等级未评定 / grading thresholds are placeholders: "
                          "not graded", 11, WARN))
    if c.illustrative:
        lines.append(Line("示例数据，非正式证书 / illustrative data: not a real certificate",
                          11, WARN))
    lines += [
        Line(f"有效期 Valid: {c.valid_from.isoformat()} – {c.valid_to.isoformat()}", 13),
        Line(f"签发 Issued by: {c.issuing_body_zh}", 12),
        Line(c.issuing_body_en, 11, MUTED),
    ]
    return lines


def _height(lines: list[Line]) -> int:
    text = sum(line.size * LINE_HEIGHT for line in lines)
    return int(max(text, QR_SIZE + 16) + 2 * MARGIN)


def label_svg(content: LabelContent, verification_url: str, status: str = "issued") -> str:
    """The label as a standalone SVG string (every text escaped)."""
    lines = label_lines(content, status)
    height = _height(lines)
    qr = qr_code(verification_url)
    modules = qr.symbol_size(scale=1, border=BORDER_MODULES)[0]
    scale = QR_SIZE / modules
    qr_x, qr_y = WIDTH - MARGIN - QR_SIZE, MARGIN
    path = "".join(f"M{x + BORDER_MODULES},{y + BORDER_MODULES}h1v1h-1z"
                   for x, y in dark_modules(qr))
    font = xml_text(FONT_FAMILY)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{font}">',
        f"<title>{xml_text(content.certificate_number)}</title>",
        f"<desc>{xml_text(' | '.join(line.text for line in lines))}</desc>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff" stroke="{ACCENT}" '
        'stroke-width="2"/>',
    ]
    y = float(MARGIN)
    for line in lines:
        y += line.size * LINE_HEIGHT
        weight = ' font-weight="bold"' if line.bold else ""
        parts.append(f'<text x="{MARGIN}" y="{y - line.size * 0.35:.1f}" '
                     f'font-size="{line.size}" fill="{line.color}"{weight}>'
                     f"{xml_text(line.text)}</text>")
    parts += [
        f'<g transform="translate({qr_x},{qr_y}) scale({scale:.4f})">'
        f'<rect width="{modules}" height="{modules}" fill="#ffffff"/>'
        f'<path d="{path}" fill="#000000" shape-rendering="crispEdges"/></g>',
        f'<text x="{qr_x + QR_SIZE / 2}" y="{qr_y + QR_SIZE + 14}" font-size="11" '
        f'fill="{MUTED}" text-anchor="middle">扫码验证 Scan to verify</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def font_path() -> Path:
    return Path(str(resources.files("yuntan.data.fonts").joinpath(FONT_FILE)))


def label_png(content: LabelContent, verification_url: str, scale: int = 2,
              status: str = "issued") -> bytes:
    """The label as PNG bytes: text drawn with Pillow (the shipped CJK font), the QR code
    rendered by segno; ``scale`` 2 gives 1280 px wide, enough for print at ~10 cm."""
    from PIL import Image, ImageDraw, ImageFont

    lines = label_lines(content, status)
    height = _height(lines)
    image = Image.new("RGB", (WIDTH * scale, height * scale), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH * scale - 1, height * scale - 1), outline=ACCENT,
                   width=2 * scale)
    fonts: dict[int, ImageFont.FreeTypeFont] = {}
    y = float(MARGIN)
    for line in lines:
        font = fonts.setdefault(line.size, ImageFont.truetype(str(font_path()),
                                                              line.size * scale))
        y += line.size * LINE_HEIGHT
        draw.text((MARGIN * scale, (y - line.size * 0.35) * scale), line.text, font=font,
                  fill=line.color, anchor="ls",
                  stroke_width=1 if line.bold else 0, stroke_fill=line.color)
    modules = int(qr_code(verification_url).symbol_size(scale=1, border=BORDER_MODULES)[0])
    module_px = max(1, (QR_SIZE * scale) // modules)
    qr = Image.open(io.BytesIO(qr_png(verification_url, scale=module_px))).convert("RGB")
    qr_x = (WIDTH - MARGIN) * scale - qr.width
    image.paste(qr, (qr_x, MARGIN * scale))
    small = fonts.setdefault(11, ImageFont.truetype(str(font_path()), 11 * scale))
    draw.text((qr_x + qr.width // 2, MARGIN * scale + qr.height + 14 * scale),
              "扫码验证 Scan to verify", font=small, fill=MUTED, anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
