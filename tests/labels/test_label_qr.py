"""The label's QR code: the verification URL at error correction level H."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import segno
from label_cases import URL
from PIL import Image

from yuntan.labels.qr import BORDER_MODULES, qr_code, qr_png, qr_svg


def test_the_qr_code_is_a_full_qr_code_at_level_h() -> None:
    qr = qr_code(URL)
    assert qr.error == "H" and not qr.is_micro
    assert qr.mode == "byte"


def test_the_qr_code_encodes_exactly_the_url() -> None:
    # No QR decoder is installed; segno building the same symbol from the URL (and not
    # from a longer or shorter one) is the check that the data is the URL, byte for byte.
    assert qr_code(URL).matrix == segno.make(URL, error="h", micro=False,
                                             boost_error=False).matrix
    assert qr_code(URL).matrix != qr_code(URL + "x").matrix


def test_the_png_modules_match_the_symbol() -> None:
    scale = 5
    qr = qr_code(URL)
    image = Image.open(io.BytesIO(qr_png(URL, scale=scale))).convert("L")
    size = len(qr.matrix) + 2 * BORDER_MODULES
    assert image.size == (size * scale, size * scale)
    read = tuple(
        tuple(image.getpixel(((x + BORDER_MODULES) * scale + scale // 2,
                              (y + BORDER_MODULES) * scale + scale // 2)) == 0
              for x in range(len(qr.matrix)))
        for y in range(len(qr.matrix)))
    assert read == tuple(tuple(bool(bit) for bit in row) for row in qr.matrix)


def test_the_svg_is_well_formed_and_titled_with_the_url() -> None:
    root = ET.fromstring(qr_svg(URL + "?a=1&b=<2>"))
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == URL + "?a=1&b=<2>"
