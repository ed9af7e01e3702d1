"""Template filters of the factor pages."""

from __future__ import annotations

from django import template

from yuntan.platform.factors.forms import ORIGIN_LABELS, gas_label

register = template.Library()


@register.filter(name="gas_label")
def gas_label_filter(gas: str) -> str:
    """``CH4 — 甲烷`` in Chinese, ``CH4 — Methane`` in English."""
    return gas_label(gas)


@register.filter
def origin_label(origin: str) -> str:
    """The translated name of an origin (fossil, biogenic, ...), else the stored text."""
    return next((str(label) for o, label in ORIGIN_LABELS.items() if o.value == origin), origin)
