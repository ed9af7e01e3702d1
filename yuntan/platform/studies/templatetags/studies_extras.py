"""Template filters of the study pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def share_percent(value: float, total: float) -> str:
    """|value| as a percentage of |total|, one decimal (0 when the total is 0)."""
    if not total:
        return "0"
    return f"{min(100.0, abs(value) / abs(total) * 100):.1f}"


@register.filter
def share_of_one(value: float) -> str:
    return f"{value * 100:.1f}"


@register.filter
def method_label(method: str) -> str:
    return {"location_based": _("location-based"),
            "market_based": _("market-based"),
            "mee_calibre": _("MEE calibre (CO2-only grid factor)")}.get(method, method)


@register.filter
def get_item(mapping: dict[str, float], key: str) -> float | None:
    return mapping.get(key)
