"""The report as one self-contained HTML document: inline CSS, charts inline as SVG, no
script and no external asset (it prints, saves and opens offline)."""

from __future__ import annotations

from html import escape

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

CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --accent: #2a6f97;
        --warn-bg: #fff4e5; --warn: #9c5700; --demo-bg: #fdecea; --demo: #a61b1b; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
       font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
                    "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; position: relative; }
header h1 { margin: 0; font-size: 1.8rem; color: var(--accent); }
header p { margin: .25rem 0 0; color: var(--muted); }
h2 { margin: 2.2rem 0 .6rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line);
     font-size: 1.25rem; }
h2 .number { color: var(--accent); margin-right: .4rem; }
.answers { margin: -.3rem 0 .8rem; font-size: .8rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f0f4f8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.pairs th { width: 32%; }
tr.flagged td { background: var(--warn-bg); }
.notice { border-left: 4px solid var(--accent); background: #eef5fa; padding: .6rem .9rem;
          margin: .8rem 0; }
.notice.warning { border-color: var(--warn); background: var(--warn-bg); color: var(--warn); }
.notice.illustrative { border-color: var(--demo); background: var(--demo-bg);
                       color: var(--demo); font-weight: bold; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: var(--muted); }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center;
             font-size: 5rem; font-weight: bold; color: rgba(166, 27, 27, .09);
             transform: rotate(-24deg); pointer-events: none; z-index: 10; }
footer { margin-top: 3rem; font-size: .8rem; color: var(--muted);
         border-top: 1px solid var(--line); padding-top: .6rem; word-break: break-all; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
               figure, table { break-inside: avoid; } }
"""


def _flag_marks(text: str) -> str:
    """Escape ``text`` and show the placeholder marks 【…】 / [PLACEHOLDER …] as badges."""
    out = escape(text)
    for mark in ("【占位因子】", "【占位】"):
        out = out.replace(mark, f'<strong class="placeholder">{mark}</strong>')
    return out


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_flag_marks(block.text)}</p>"
    if isinstance(block, Notice):
        return f'<div class="notice {block.kind}" role="note">{_flag_marks(block.text)}</div>'
    if isinstance(block, Pairs):
        rows = "".join(f"<tr><th scope=\"row\">{escape(k)}</th><td>{_flag_marks(v)}</td></tr>"
                       for k, v in block.rows)
        return f'<table class="pairs"><tbody>{rows}</tbody></table>'
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
        body = []
        for index, row in enumerate(block.rows):
            cells = "".join(
                f'<td class="num">{escape(c)}</td>' if i in block.numeric
                else f"<td>{_flag_marks(c)}</td>" for i, c in enumerate(row))
            flagged = ' class="flagged"' if index in block.flagged else ""
            body.append(f"<tr{flagged}>{cells}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    if isinstance(block, Chart):
        return f"<figure>{block.svg}<figcaption>{escape(block.caption)}</figcaption></figure>"
    raise TypeError(f"unknown block {block!r}")


def _section(number: int, section: Section) -> str:
    answers = ""
    if section.answers:
        listed = escape("; ".join(section.answers))
        answers = f'<p class="answers">GB/T 24067-2024 / ISO 14067: {listed}</p>'
    blocks = "".join(_block(b) for b in section.blocks)
    return (f'<section id="{section.id}" aria-labelledby="{section.id}-title">'
            f'<h2 id="{section.id}-title"><span class="number">{number}</span>'
            f"{escape(section.title)}</h2>{answers}{blocks}</section>")


def render_document(document: Document) -> str:
    lang = "zh-Hans" if document.language == "zh" else "en"
    watermark = (f'<div class="watermark" aria-hidden="true">{escape(document.watermark)}</div>'
                 if document.watermark else "")
    banners = "".join(_block(b) for b in document.banners)
    sections = "".join(_section(i, s) for i, s in enumerate(document.sections, start=1))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)} — {escape(document.subtitle)}</title>"
        f"<style>{CSS}</style></head><body>{watermark}<main>"
        f"<header><h1>{escape(document.title)}</h1><p>{escape(document.subtitle)}</p></header>"
        f"{banners}{sections}<footer>{escape(document.footer)}</footer></main></body></html>\n"
    )


def render_html(data: ReportData, language: Language = "zh") -> str:
    """The footprint report as a self-contained HTML document in ``language``."""
    return render_document(build_document(data, language))
