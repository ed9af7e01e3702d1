"""The label's QR code (segno): it opens the public verification page."""

from __future__ import annotations

import io

import segno

# Level H restores up to ~30 % of damaged modules: labels are printed small on packaging,
# get scratched and wet, and may carry a logo over the centre.
ERROR_LEVEL = "h"
BORDER_MODULES = 4  # the quiet zone ISO/IEC 18004 asks for


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR; error correction level H)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code as a standalone SVG string."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=scale, border=BORDER_MODULES, xmldecl=False,
                      title=url, encoding="utf-8")
    return out.getvalue().decode("utf-8")


def qr_png(url: str, scale: int = 8) -> bytes:
    """The QR code as PNG bytes (black on white)."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=BORDER_MODULES)
    return out.getvalue()


def dark_modules(qr: segno.QRCode) -> list[tuple[int, int]]:
    """``(column, row)`` of every dark module, without the quiet zone."""
    return [(x, y) for y, row in enumerate(qr.matrix) for x, bit in enumerate(row) if bit]
