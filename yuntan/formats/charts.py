"""Charts of a footprint as standalone SVG strings (pure: no JavaScript, no external assets).

Every chart carries a ``<title>`` and ``<desc>`` (``role="img"``), prints its values and
unit as text, and escapes every label, so it can be inlined in an HTML page, saved as a
file or drawn into a PDF. Labels may be Chinese: the font-family list names common CJK
fonts first (the PDF report registers the shipped Noto Sans CJK SC under the first name).

- :func:`bar_chart`: horizontal bars of labelled values, negatives to the left of zero
  (biogenic uptake, substitution credits), the tail folded into "others";
- :func:`share_bar` and :func:`donut`: shares of the positive contributions;
- :func:`histogram`: Monte Carlo totals with the mean and the 2.5 / 97.5 percentiles;
- :func:`tree_diagram`: the upstream tree of ``result_as_dict(...)["tree"]``, depth-limited,
  as a Sankey-like partition (each node's height is its share of its parent).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

Language = Literal["zh", "en"]

FONT_FAMILY = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', "
               "'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Yuntan CJK', sans-serif")

POSITIVE = "#2a6f97"
NEGATIVE = "#6a994e"
OTHERS = "#9aa5b1"
TEXT = "#1f2933"
MUTED = "#52606d"
AXIS = "#7b8794"
PALETTE = ("#2a6f97", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b", "#9c6644", "#61a5c2",
           "#b56576", "#6d597a", "#a7c957", "#f4a261", "#577590")

_WORDS: dict[str, dict[Language, str]] = {
    "others": {"zh": "其他", "en": "others"},
    "unit": {"zh": "单位", "en": "unit"},
    "mean": {"zh": "均值", "en": "mean"},
    "p025": {"zh": "2.5% 分位", "en": "2.5th percentile"},
    "p975": {"zh": "97.5% 分位", "en": "97.5th percentile"},
    "runs": {"zh": "次模拟", "en": "runs"},
    "not_in_shares": {"zh": "未计入占比的负值（吸收或抵扣）",
                      "en": "negative values not in the shares (uptake or credits)"},
    "total": {"zh": "合计", "en": "total"},
    "empty": {"zh": "无数据", "en": "no data"},
    "count": {"zh": "频数", "en": "count"},
}

_FONT_ATTR = FONT_FAMILY.replace("'", "&apos;")

# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def word(key: str, language: Language) -> str:
    return _WORDS[key][language]


def xml_text(text: object) -> str:
    """``text`` escaped for XML element content and attribute values."""
    cleaned = _NOT_XML.sub("\ufffd", str(text))
    return (cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def format_number(value: float) -> str:
    """A value for a chart label: about four significant figures, thousands separated."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 1e9 or size < 1e-3:
        return f"{value:.3e}"
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def format_percent(share: float) -> str:
    return f"{100 * share:.1f}%"


def text_width(text: str, font_size: float) -> float:
    """Estimated width of ``text`` in px: wide (CJK) characters 1 em, others 0.58 em."""
    return sum(font_size if ord(c) >= 0x2E80 else 0.58 * font_size for c in text)


def _truncate(text: str, max_width: float, font_size: float) -> str:
    if text_width(text, font_size) <= max_width:
        return text
    while text and text_width(text + "…", font_size) > max_width:
        text = text[:-1]
    return text + "…"


def _n(value: float) -> str:
    """A coordinate for an attribute: finite, short."""
    if not math.isfinite(value):
        value = 0.0
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _chart_id(*parts: object) -> str:
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return "chart-" + digest[:10]


def _svg(chart_id: str, width: float, height: float, title: str, desc: str,
         body: Iterable[str], kind: str) -> str:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
            f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'font-family="{xml_text(FONT_FAMILY)}" font-size="12" fill="{TEXT}">')
    return "".join((
        head,
        f'<title id="{chart_id}-title">{xml_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{xml_text(desc)}</desc>',
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
        _text(8, 20, title, size=14, cls="chart-title"),
        *body,
        "</svg>",
    ))


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 12,
          fill: str = TEXT, cls: str = "") -> str:
    # Every text names the fonts itself: renderers differ in what they inherit.
    extra = f' class="{cls}"' if cls else ""
    extra += f' font-family="{_FONT_ATTR}"'
    if size != 12:
        extra += f' font-size="{_n(size)}"'
    if fill != TEXT:
        extra += f' fill="{fill}"'
    if anchor != "start":
        extra += f' text-anchor="{anchor}"'
    return f'<text x="{_n(x)}" y="{_n(y)}"{extra}>{xml_text(text)}</text>'


@dataclass(frozen=True)
class Item:
    """One labelled value as a chart shows it (``others`` marks the folded tail)."""

    label: str
    value: float
    others: bool = False


def _pairs(values: Mapping[str, float] | Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    for label, value in pairs:
        if not math.isfinite(value):
            raise ValueError(f"value of {label!r} is not finite: {value!r}")
    return [(str(label), float(value)) for label, value in pairs]


def _safe_sum(values: Iterable[float]) -> float:
    """Sum without an overflow error: scaled by the largest magnitude first."""
    values = list(values)
    scale = max((abs(v) for v in values), default=0.0)
    if scale == 0:
        return 0.0
    return math.fsum(v / scale for v in values) * scale


def fold_items(values: Mapping[str, float] | Iterable[tuple[str, float]], max_items: int,
               language: Language = "zh") -> list[Item]:
    """The largest ``max_items - 1`` values by magnitude, sorted by value (largest first),
    and the rest summed into one "others" item; all of them if they fit."""
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    pairs = _pairs(values)
    by_size = sorted(pairs, key=lambda p: (-abs(p[1]), p[0]))
    if len(by_size) <= max_items:
        kept, tail = by_size, []
    else:
        kept, tail = by_size[:max_items - 1], by_size[max_items - 1:]
    items = [Item(label, value) for label, value in sorted(kept, key=lambda p: (-p[1], p[0]))]
    if tail:
        label = f"{word('others', language)} ({len(tail)})"
        items.append(Item(label, _safe_sum(v for _, v in tail), others=True))
    return items


def bar_chart(values: Mapping[str, float] | Iterable[tuple[str, float]], *, title: str,
              unit: str, max_bars: int = 12, language: Language = "zh", width: int = 640,
              chart_id: str | None = None) -> str:
    """Horizontal bars, one per item shown, with each value printed at its end.

    Bars start at zero: positive values extend to the right, negative ones (uptake,
    credits) to the left in another colour. Beyond ``max_bars`` items, the smallest by
    magnitude are summed into one "others" bar. Bar length is proportional to the value.
    """
    items = fold_items(values, max_bars, language)
    chart_id = chart_id or _chart_id("bar", title, unit, items)
    row_height, bar_height, top, font = 24.0, 16.0, 48.0, 12.0
    height = top + row_height * max(len(items), 1) + 16
    scale = max((abs(i.value) for i in items), default=0.0)
    norm = [i.value / scale if scale else 0.0 for i in items]
    low, high = min([0.0, *norm]), max([0.0, *norm])
    label_width = min(max((text_width(i.label, font) for i in items), default=0.0) + 8,
                      0.36 * width)
    value_width = max((text_width(format_number(i.value), font) for i in items), default=0) + 10
    left = 8 + label_width + (value_width if low < 0 else 0)
    right = width - 8 - (value_width if high > 0 else 0)
    span = high - low
    pixels_per_unit = (right - left) / span if span > 0 else 0.0
    zero = left - low * pixels_per_unit
    body = [_text(8, 36, f"{word('unit', language)}: {unit}", size=11, fill=MUTED,
                  cls="unit")]
    if not items:
        body.append(_text(8, top + 16, word("empty", language), fill=MUTED))
    for row, (item, value) in enumerate(zip(items, norm, strict=True)):
        y = top + row * row_height
        length = abs(value) * pixels_per_unit
        x = zero if value >= 0 else zero - length
        colour = OTHERS if item.others else (POSITIVE if value >= 0 else NEGATIVE)
        shown = format_number(item.value)
        tip = f"{item.label}: {shown} {unit}"
        value_x, anchor = (x + length + 4, "start") if value >= 0 else (x - 4, "end")
        body.append(
            f'<g class="row"><title>{xml_text(tip)}</title>'
            + _text(8, y + 12 + 4, _truncate(item.label, label_width - 8, font), cls="label")
            + f'<rect class="bar" x="{_n(x)}" y="{_n(y + 4)}" width="{_n(length)}" '
              f'height="{_n(bar_height)}" fill="{colour}" data-value="{item.value!r}"/>'
            + _text(value_x, y + 12 + 4, shown, anchor=anchor, cls="value")
            + "</g>")
    body.append(f'<line class="axis" x1="{_n(zero)}" y1="{_n(top)}" x2="{_n(zero)}" '
                f'y2="{_n(height - 12)}" stroke="{AXIS}" stroke-width="1"/>')
    desc = "; ".join(f"{i.label}: {format_number(i.value)} {unit}" for i in items)
    return _svg(chart_id, width, height, title, desc, body, "bar")


def _shares(values: Mapping[str, float] | Iterable[tuple[str, float]], max_items: int,
            language: Language) -> tuple[list[Item], list[float], list[tuple[str, float]]]:
    pairs = _pairs(values)
    positive = [(label, value) for label, value in pairs if value > 0]
    negative = [(label, value) for label, value in pairs if value < 0]
    items = fold_items(positive, max_items, language)
    total = _safe_sum(i.value for i in items)
    shares = [i.value / total if total > 0 else 0.0 for i in items]
    if total > 0 and not all(math.isfinite(s) for s in shares):  # total overflowed
        scale = max(i.value for i in items)
        scaled = math.fsum(i.value / scale for i in items)
        shares = [(i.value / scale) / scaled for i in items]
    return items, shares, negative


def _legend(items: Sequence[Item], shares: Sequence[float], colours: Sequence[str], x: float,
            y: float, unit: str, max_width: float) -> list[str]:
    out = []
    for row, (item, share, colour) in enumerate(zip(items, shares, colours, strict=True)):
        line_y = y + row * 20
        text = f"{item.label}  {format_number(item.value)} {unit}  {format_percent(share)}"
        out.append(
            f'<g class="legend-item"><rect x="{_n(x)}" y="{_n(line_y - 10)}" width="12" '
            f'height="12" fill="{colour}"/>'
            + _text(x + 18, line_y, _truncate(text, max_width - 18, 12)) + "</g>")
    return out


def _negatives_note(negative: Sequence[tuple[str, float]], x: float, y: float, unit: str,
                    language: Language, max_width: float) -> list[str]:
    if not negative:
        return []
    listed = ", ".join(f"{label} {format_number(value)}" for label, value in negative)
    text = f"{word('not_in_shares', language)}: {listed} {unit}"
    return [_text(x, y, _truncate(text, max_width, 11), size=11, fill=MUTED, cls="negatives")]


def _colours(items: Sequence[Item]) -> list[str]:
    return [OTHERS if item.others else PALETTE[i % len(PALETTE)] for i, item in enumerate(items)]


def share_bar(values: Mapping[str, float] | Iterable[tuple[str, float]], *, title: str,
              unit: str, max_segments: int = 8, language: Language = "zh", width: int = 640,
              chart_id: str | None = None) -> str:
    """One stacked bar of the positive values' shares, with a legend of values and
    percentages; negative values are listed under it, outside the shares."""
    items, shares, negative = _shares(values, max_segments, language)
    chart_id = chart_id or _chart_id("share", title, unit, items, negative)
    colours = _colours(items)
    left, right, bar_y = 8.0, width - 8.0, 48.0
    body = [_text(8, 36, f"{word('unit', language)}: {unit}", size=11, fill=MUTED, cls="unit")]
    x = left
    for item, share, colour in zip(items, shares, colours, strict=True):
        length = share * (right - left)
        tip = f"{item.label}: {format_number(item.value)} {unit} ({format_percent(share)})"
        body.append(f'<rect class="segment" x="{_n(x)}" y="{_n(bar_y)}" width="{_n(length)}" '
                    f'height="28" fill="{colour}" data-value="{item.value!r}">'
                    f'<title>{xml_text(tip)}</title></rect>')
        x += length
    if not items:
        body.append(_text(left, bar_y + 18, word("empty", language), fill=MUTED))
    legend_y = bar_y + 52
    body += _legend(items, shares, colours, left, legend_y, unit, right - left)
    note_y = legend_y + 20 * len(items) + 4
    body += _negatives_note(negative, left, note_y, unit, language, right - left)
    height = note_y + (16 if negative else 0)
    desc = "; ".join(f"{i.label}: {format_number(i.value)} {unit} ({format_percent(s)})"
                     for i, s in zip(items, shares, strict=True))
    return _svg(chart_id, width, height, title, desc, body, "share")


def _arc_point(cx: float, cy: float, r: float, angle: float) -> tuple[float, float]:
    return cx + r * math.sin(angle), cy - r * math.cos(angle)


def _ring_path(cx: float, cy: float, outer: float, inner: float, start: float,
               end: float) -> str:
    """A ring segment from ``start`` to ``end`` (radians clockwise from 12 o'clock)."""
    if end - start >= 2 * math.pi - 1e-9:  # a whole ring: two half circles each way
        return (f"M {_n(cx)} {_n(cy - outer)} A {_n(outer)} {_n(outer)} 0 1 1 {_n(cx)} "
                f"{_n(cy + outer)} A {_n(outer)} {_n(outer)} 0 1 1 {_n(cx)} {_n(cy - outer)} Z "
                f"M {_n(cx)} {_n(cy - inner)} A {_n(inner)} {_n(inner)} 0 1 0 {_n(cx)} "
                f"{_n(cy + inner)} A {_n(inner)} {_n(inner)} 0 1 0 {_n(cx)} {_n(cy - inner)} Z")
    large = 1 if end - start > math.pi else 0
    x0, y0 = _arc_point(cx, cy, outer, start)
    x1, y1 = _arc_point(cx, cy, outer, end)
    x2, y2 = _arc_point(cx, cy, inner, end)
    x3, y3 = _arc_point(cx, cy, inner, start)
    return (f"M {_n(x0)} {_n(y0)} A {_n(outer)} {_n(outer)} 0 {large} 1 {_n(x1)} {_n(y1)} "
            f"L {_n(x2)} {_n(y2)} A {_n(inner)} {_n(inner)} 0 {large} 0 {_n(x3)} {_n(y3)} Z")


def donut(values: Mapping[str, float] | Iterable[tuple[str, float]], *, title: str,
          unit: str, max_segments: int = 8, language: Language = "zh", width: int = 640,
          chart_id: str | None = None) -> str:
    """A donut of the positive values' shares with a legend; the positive total is printed
    in the hole; negative values are listed under it, outside the shares."""
    items, shares, negative = _shares(values, max_segments, language)
    chart_id = chart_id or _chart_id("donut", title, unit, items, negative)
    colours = _colours(items)
    outer, inner = 80.0, 48.0
    cx, cy = 8 + outer, 48 + outer
    body = [_text(8, 36, f"{word('unit', language)}: {unit}", size=11, fill=MUTED, cls="unit")]
    angle = 0.0
    for item, share, colour in zip(items, shares, colours, strict=True):
        end = angle + share * 2 * math.pi
        tip = f"{item.label}: {format_number(item.value)} {unit} ({format_percent(share)})"
        body.append(f'<path class="segment" d="{_ring_path(cx, cy, outer, inner, angle, end)}" '
                    f'fill="{colour}" fill-rule="evenodd" data-value="{item.value!r}">'
                    f'<title>{xml_text(tip)}</title></path>')
        angle = end
    if not items:
        body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(outer)}" fill="none" '
                    f'stroke="{OTHERS}" stroke-width="1"/>')
    total = _safe_sum(i.value for i in items)
    body.append(_text(cx, cy - 2, word("total", language), anchor="middle", size=11,
                      fill=MUTED))
    body.append(_text(cx, cy + 14, format_number(total), anchor="middle", cls="total",
                      size=13))
    legend_x = cx + outer + 24
    body += _legend(items, shares, colours, legend_x, 60, unit, width - legend_x - 8)
    note_y = max(cy + outer + 20, 60 + 20 * len(items))
    body += _negatives_note(negative, 8, note_y, unit, language, width - 16)
    height = note_y + (8 if not negative else 16)
    desc = "; ".join(f"{i.label}: {format_number(i.value)} {unit} ({format_percent(s)})"
                     for i, s in zip(items, shares, strict=True))
    return _svg(chart_id, width, height, title, desc, body, "donut")


@dataclass(frozen=True)
class SampleSummary:
    """Mean and 2.5 / 97.5 percentiles of Monte Carlo totals."""

    count: int
    mean: float
    p2_5: float
    p97_5: float


def summarise_samples(samples: ArrayLike) -> SampleSummary:
    """Mean and the 95 % interval of finite samples (computed scaled, so never overflowing)."""
    data = np.asarray(samples, dtype=float).ravel()
    if data.size == 0:
        raise ValueError("no samples")
    if not np.all(np.isfinite(data)):
        raise ValueError("samples must be finite")
    scale = float(np.max(np.abs(data))) or 1.0
    scaled = data / scale
    low, high = np.percentile(scaled, [2.5, 97.5])
    return SampleSummary(int(data.size), float(np.mean(scaled)) * scale, float(low) * scale,
                         float(high) * scale)


def histogram(samples: ArrayLike, *, title: str, unit: str, bins: int = 30,
              language: Language = "zh", width: int = 640,
              chart_id: str | None = None) -> str:
    """A histogram of Monte Carlo totals, one bar per bin, with the mean and the 2.5 and
    97.5 percentiles marked and printed."""
    data = np.asarray(samples, dtype=float).ravel()
    summary = summarise_samples(data)
    scale = float(np.max(np.abs(data))) or 1.0
    scaled = data / scale
    low, high = float(scaled.min()), float(scaled.max())
    if high - low <= 1e-12 * max(abs(low), abs(high), 1e-300):
        low, high = low - 0.5 * (abs(low) or 1.0), high + 0.5 * (abs(high) or 1.0)
    counts, edges = np.histogram(scaled, bins=bins, range=(low, high))
    chart_id = chart_id or _chart_id("hist", title, unit, summary, bins)
    left, right, top, bottom = 48.0, width - 16.0, 64.0, 220.0

    def x_of(scaled_value: float) -> float:
        return left + (scaled_value - low) / (high - low) * (right - left)

    peak = int(counts.max()) or 1
    body = [_text(8, 36, f"{word('unit', language)}: {unit}; n = {summary.count} "
                         f"{word('runs', language)}", size=11, fill=MUTED, cls="unit")]
    for count, start, end in zip(counts, edges[:-1], edges[1:], strict=True):
        h = (bottom - top) * int(count) / peak
        x0, x1 = x_of(float(start)), x_of(float(end))
        body.append(f'<rect class="bin" x="{_n(x0)}" y="{_n(bottom - h)}" '
                    f'width="{_n(max(x1 - x0 - 1, 0.5))}" height="{_n(h)}" fill="{POSITIVE}" '
                    f'fill-opacity="0.75" data-count="{int(count)}"/>')
    body.append(f'<line class="axis" x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" '
                f'y2="{_n(bottom)}" stroke="{AXIS}"/>')
    body.append(_text(left - 4, top + 4, str(peak), anchor="end", size=10, fill=MUTED))
    body.append(_text(left - 4, bottom, "0", anchor="end", size=10, fill=MUTED))
    body.append(_text(left, bottom + 14, format_number(low * scale), size=10, fill=MUTED))
    body.append(_text(right, bottom + 14, format_number(high * scale), anchor="end", size=10,
                      fill=MUTED))
    markers = (("p025", summary.p2_5, "#b56576", "4 3"), ("mean", summary.mean, TEXT, ""),
               ("p975", summary.p97_5, "#b56576", "4 3"))
    for row, (key, value, colour, dash) in enumerate(markers):
        x = x_of(value / scale)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<line class="marker marker-{key}" x1="{_n(x)}" y1="{_n(top - 8)}" '
                    f'x2="{_n(x)}" y2="{_n(bottom)}" stroke="{colour}" stroke-width="2"'
                    f'{dashed} data-value="{value!r}"/>')
        label = f"{word(key, language)} {format_number(value)}"
        legend_y = bottom + 34 + 16 * row
        body.append(f'<line x1="{_n(left)}" y1="{_n(legend_y - 4)}" x2="{_n(left + 18)}" '
                    f'y2="{_n(legend_y - 4)}" stroke="{colour}" stroke-width="2"{dashed}/>')
        body.append(_text(left + 24, legend_y, f"{label} {unit}", cls=f"label-{key}"))
    height = bottom + 34 + 16 * 3
    desc = (f"n = {summary.count}; {word('mean', language)} {format_number(summary.mean)}; "
            f"{word('p025', language)} {format_number(summary.p2_5)}; "
            f"{word('p975', language)} {format_number(summary.p97_5)} {unit}")
    return _svg(chart_id, width, height, title, desc, body, "histogram")


@dataclass(frozen=True)
class PlacedNode:
    """A node of the upstream tree where the diagram draws it."""

    label: str
    score: float
    depth: int
    y: float
    height: float
    parent: int | None  # index of the parent among the placed nodes
    others: bool = False


def _node_label(node: Mapping[str, Any]) -> str:
    return str(node.get("name") or node.get("activity") or "?")


def place_tree(tree: Mapping[str, Any], *, max_depth: int = 3, max_children: int = 6,
               height: float = 320.0, language: Language = "zh") -> list[PlacedNode]:
    """Lay out the tree: the root spans ``height``; each node's children share its span in
    proportion to |score| (direct emissions and the cut-off remainder take the rest).
    Children beyond ``max_children`` fold into one "others" node; nothing deeper than
    ``max_depth`` is placed."""
    if max_depth < 0 or max_children < 1:
        raise ValueError("max_depth must be >= 0 and max_children >= 1")
    placed: list[PlacedNode] = []

    def visit(node: Mapping[str, Any], depth: int, y: float, span: float,
              parent: int | None) -> None:
        index = len(placed)
        placed.append(PlacedNode(_node_label(node), float(node["score"]), depth, y, span, parent))
        children = list(node.get("children") or [])
        if depth >= max_depth or not children:
            return
        ordered = sorted(children, key=lambda c: -abs(float(c["score"])))
        shown: list[Mapping[str, Any]] = ordered
        tail: list[Mapping[str, Any]] = []
        if len(ordered) > max_children:
            shown, tail = ordered[:max_children - 1], ordered[max_children - 1:]
        direct = abs(float(node.get("direct", 0.0))) + abs(float(node.get("below_cutoff", 0.0)))
        scale = max([direct, *(abs(float(c["score"])) for c in children)])
        if scale == 0:
            return
        weights = [abs(float(c["score"])) / scale for c in shown]
        tail_weight = math.fsum(abs(float(c["score"])) / scale for c in tail)
        whole = math.fsum([direct / scale, *weights, tail_weight])
        cursor = y
        for child, weight in zip(shown, weights, strict=True):
            child_span = span * weight / whole
            visit(child, depth + 1, cursor, child_span, index)
            cursor += child_span
        if tail:
            tail_score = _safe_sum(float(c["score"]) for c in tail)
            placed.append(PlacedNode(f"{word('others', language)} ({len(tail)})", tail_score,
                                     depth + 1, cursor, span * tail_weight / whole, index,
                                     others=True))

    visit(tree, 0, 0.0, height, None)
    return placed


def tree_diagram(tree: Mapping[str, Any], *, title: str, unit: str, max_depth: int = 3,
                 max_children: int = 6, language: Language = "zh", width: int = 760,
                 chart_id: str | None = None) -> str:
    """The upstream tree (``result_as_dict(...)["tree"]``) as a Sankey-like diagram: one
    column per level, one node per placed activity with its name, score and share of the
    total, and bands from each node to its parent."""
    plot_height = 320.0
    nodes = place_tree(tree, max_depth=max_depth, max_children=max_children,
                       height=plot_height, language=language)
    chart_id = chart_id or _chart_id("tree", title, unit, nodes)
    top, left, node_width = 48.0, 8.0, 12.0
    levels = max(n.depth for n in nodes) + 1
    column = (width - 16) / levels
    root_score = nodes[0].score
    body = [_text(8, 36, f"{word('unit', language)}: {unit}", size=11, fill=MUTED, cls="unit")]
    links: list[str] = []  # drawn first, under the nodes and their labels
    for index, node in enumerate(nodes):
        x = left + node.depth * column
        y = top + node.y
        colour = OTHERS if node.others else (POSITIVE if node.score >= 0 else NEGATIVE)
        if node.parent is not None:  # a band from the parent's edge over the child's span
            px = left + nodes[node.parent].depth * column + node_width
            links.append(f'<rect class="link" x="{_n(px)}" y="{_n(y)}" width="{_n(x - px)}" '
                        f'height="{_n(max(node.height, 0.5))}" fill="{colour}" '
                        f'fill-opacity="0.2"/>')
        share = node.score / root_score if root_score else 0.0
        shown = f"{format_number(node.score)} ({format_percent(share)})"
        tip = f"{node.label}: {format_number(node.score)} {unit} ({format_percent(share)})"
        body.append(f'<g class="node"><title>{xml_text(tip)}</title>'
                    f'<rect class="node-bar" x="{_n(x)}" y="{_n(y)}" width="{_n(node_width)}" '
                    f'height="{_n(max(node.height, 0.5))}" fill="{colour}" '
                    f'data-value="{node.score!r}" data-depth="{node.depth}"/>')
        if node.height >= 11 or index == 0:
            label_width = column - node_width - 8
            centre = y + node.height / 2
            body.append(_text(x + node_width + 4, centre - 1,
                              _truncate(node.label, label_width, 11), size=11, cls="label"))
            body.append(_text(x + node_width + 4, centre + 11, _truncate(shown, label_width, 10),
                              size=10, fill=MUTED, cls="value"))
        body.append("</g>")
    desc = "; ".join(f"{'  ' * n.depth}{n.label}: {format_number(n.score)} {unit}"
                     for n in nodes)
    return _svg(chart_id, width, top + plot_height + 16, title, desc, [*links, *body], "tree")
