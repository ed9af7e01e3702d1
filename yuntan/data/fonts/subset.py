"""Regenerate the shipped report font from Noto Sans CJK (SIL OFL 1.1); see docs/reports.md.

    python -m yuntan.data.fonts.subset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian package ``fonts-noto-cjk``.) Takes the Simplified Chinese face of the collection,
keeps Latin, punctuation, symbols and all CJK Unified Ideographs U+4E00-U+9FFF (the
characters of GBK), and converts the CFF outlines to TrueType ones: PDF readers and text
extractors handle a TrueType CID font with Identity-H everywhere, while fpdf2 writes CFF
CID fonts with a custom encoding that pdfminer cannot read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

FACE = 2  # index of "Noto Sans CJK SC" in NotoSansCJK-Regular.ttc
TARGET = Path(__file__).with_name("NotoSansCJKsc-Regular-subset.ttf")
UNICODES = ("U+0020-007E,U+00A0-017F,U+0391-03C9,U+2000-206F,U+2070-209F,U+20AC,"
            "U+2100-22FF,U+2460-24FF,U+2500-26FF,U+3000-303F,U+3200-33FF,U+4E00-9FFF,"
            "U+FE30-FE4F,U+FF00-FFEF")
MAX_ERROR = 1.0  # font units (of 1000 per em) allowed when cubic curves become quadratic


def cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by TrueType ones (the fontTools otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    maxp.compile(font)
    font["post"].formatType = 3.0  # no glyph names: 20,000 CID names add nothing
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: str, target: Path = TARGET) -> None:
    options = subset.Options()
    font = TTFont(source, fontNumber=FACE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    cff_to_truetype(font)
    font.save(target)
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else TARGET)
