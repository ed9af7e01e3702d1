"""The report as PDF (fpdf2): the same content as the HTML report, text set in the shipped
Noto Sans CJK SC (embedded as a subset of the glyphs used), charts drawn from their SVG.

No network and no system font: the font is ``yuntan/data/fonts`` (SIL OFL 1.1).
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from importlib import resources
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from yuntan.formats.reports.content import (
    Block,
    Chart,
    Document,
    Notice,
    Pairs,
    Paragraph,
    Section,
    Table,
    build_document,
)
from yuntan.formats.reports.data import Language, ReportData

FONT = "Noto Sans CJK SC"  # the first name of the charts' font-family list
FONT_FILE = "NotoSansCJKsc-Regular-subset.ttf"
INK = (31, 41, 51)
MUTED = (82, 96, 109)
ACCENT = (42, 111, 151)
LINE = (217, 226, 236)
HEAD_FILL = (240, 244, 248)
WARN_FILL, WARN_INK = (255, 244, 229), (156, 87, 0)
DEMO_FILL, DEMO_INK = (253, 236, 234), (166, 27, 27)
INFO_FILL = (238, 245, 250)
PLAIN = FontFace(emphasis="", fill_color=HEAD_FILL, color=INK)

_SVG_META = re.compile(r"<title\b[^>]*>.*?</title>|<desc\b[^>]*>.*?</desc>", re.S)
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def font_path() -> Path:
    return Path(str(resources.files("yuntan.data.fonts").joinpath(FONT_FILE)))


class _ReportPDF(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.add_font(FONT, fname=str(font_path()))
        self.set_font(FONT, size=10)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_text_color(*INK)
        self.set_draw_color(*LINE)
        self.wrap: WrapMode = WrapMode.CHAR if document.language == "zh" else WrapMode.WORD

    def header(self) -> None:
        if not self.document.watermark:
            return
        with self.local_context():  # drawn first on each page: under the content
            self.set_font(FONT, size=44)
            self.set_text_color(246, 214, 214)
            with self.rotation(30, x=self.w / 2, y=self.h / 2):
                width = self.get_string_width(self.document.watermark)
                self.text(self.w / 2 - width / 2, self.h / 2, self.document.watermark)

    def footer(self) -> None:
        with self.local_context():
            self.set_y(-12)
            self.set_font(FONT, size=7)
            self.set_text_color(*MUTED)
            self.cell(0, 5, f"{self.document.footer}    {self.page_no()}/{{nb}}", align="C")

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def paragraph(self, text: str, size: float = 10, colour: tuple[int, int, int] = INK,
                  fill: tuple[int, int, int] | None = None) -> None:
        with self.local_context():
            self.set_font(FONT, size=size)
            self.set_text_color(*colour)
            if fill is not None:
                self.set_fill_color(*fill)
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT",
                            fill=fill is not None, padding=2 if fill else 0, wrapmode=self.wrap)
        self.ln(1.5)

    def table_block(self, header: tuple[str, ...] | None, rows: tuple[tuple[str, ...], ...],
                    numeric: tuple[int, ...] = (), flagged: tuple[int, ...] = (),
                    widths: tuple[float, ...] | None = None) -> None:
        columns = len(header) if header else len(rows[0]) if rows else 0
        if columns == 0:
            return
        align = tuple("RIGHT" if i in numeric else "LEFT" for i in range(columns))
        with self.local_context():
            self.set_font(FONT, size=8.5)
            with self.table(col_widths=widths, text_align=align, line_height=4.4,
                            headings_style=PLAIN, first_row_as_headings=header is not None,
                            wrapmode=self.wrap, padding=(1, 1.5), v_align="TOP") as table:
                if header is not None:
                    table.row(header)
                for index, row in enumerate(rows):
                    style = FontFace(fill_color=WARN_FILL) if index in flagged else None
                    table.row(row, style=style)
        self.ln(2)

    def chart(self, block: Chart) -> None:
        svg = _SVG_META.sub("", block.svg)
        size = _SVG_SIZE.search(svg)
        ratio = float(size.group(2)) / float(size.group(1)) if size else 0.5
        width = min(self.content_width, 170.0)
        height = width * ratio
        if self.get_y() + height + 8 > self.page_break_trigger:
            self.add_page()
        self.image(io.BytesIO(svg.encode("utf-8")), x=self.l_margin, w=width)
        self.paragraph(block.caption, size=8, colour=MUTED)

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block.text)
        elif isinstance(block, Notice):
            fill, ink = {"warning": (WARN_FILL, WARN_INK), "illustrative": (DEMO_FILL, DEMO_INK)
                         }.get(block.kind, (INFO_FILL, INK))
            self.paragraph(block.text, colour=ink, fill=fill)
        elif isinstance(block, Pairs):
            self.table_block(None, block.rows, widths=(35, 65))
        elif isinstance(block, Table):
            self.table_block(block.header, block.rows, block.numeric, block.flagged)
        elif isinstance(block, Chart):
            self.chart(block)
        else:
            raise TypeError(f"unknown block {block!r}")

    def section(self, number: int, section: Section) -> None:
        if self.get_y() + 30 > self.page_break_trigger:
            self.add_page()
        self.ln(3)
        with self.local_context():
            self.set_font(FONT, size=13)
            self.set_text_color(*ACCENT)
            self.multi_cell(0, 7, f"{number}  {section.title}", new_x="LMARGIN", new_y="NEXT")
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        if section.answers:
            self.paragraph("GB/T 24067-2024 / ISO 14067: " + "; ".join(section.answers),
                           size=7.5, colour=MUTED)
        for block in section.blocks:
            self.block(block)


def _creation_date(computed_at: str) -> datetime | None:
    try:
        return datetime.fromisoformat(computed_at)
    except ValueError:
        return None


def render_document(document: Document, computed_at: str = "") -> bytes:
    pdf = _ReportPDF(document)
    pdf.set_title(f"{document.title} — {document.subtitle}")
    pdf.set_lang("zh-CN" if document.language == "zh" else "en")
    pdf.set_creator("Yuntan")
    created = _creation_date(computed_at)
    if created is not None:
        pdf.set_creation_date(created)  # the same result gives the same file
    pdf.add_page()
    pdf.paragraph(document.title, size=20, colour=ACCENT)
    pdf.paragraph(document.subtitle, size=12, colour=MUTED)
    for banner in document.banners:
        pdf.block(banner)
    for number, section in enumerate(document.sections, start=1):
        pdf.section(number, section)
    return bytes(pdf.output())


def render_pdf(data: ReportData, language: Language = "zh") -> bytes:
    """The footprint report as a PDF document in ``language``."""
    return render_document(build_document(data, language), data.computed_at)
