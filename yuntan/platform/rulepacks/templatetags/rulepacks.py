"""Template filters for pack texts, which carry a Chinese and an English version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from yuntan.formats.collection import (
    BOUNDARY_LABELS,
    DIMENSION_LABELS,
    EVIDENCE_LABELS,
    KIND_LABELS,
    REQUIREMENT_LABELS,
    Requirement,
)
from yuntan.platform.rulepacks.forms import chinese
from yuntan.rules import Dimension, Evidence, FieldKind, SystemBoundary

register = template.Library()

_LABELS: Mapping[str, tuple[type, Mapping[Any, tuple[str, str]]]] = {
    "boundary": (SystemBoundary, BOUNDARY_LABELS),
    "dimension": (Dimension, DIMENSION_LABELS),
    "evidence": (Evidence, EVIDENCE_LABELS),
    "kind": (FieldKind, KIND_LABELS),
    "requirement": (Requirement, REQUIREMENT_LABELS),
}


@register.filter
def pick(obj: Any, name: str) -> str:
    """``{{ stage|pick:"name" }}``: ``name_zh`` in Chinese, else ``name_en`` (or the other
    one when the wanted one is empty)."""
    first, second = ("zh", "en") if chinese() else ("en", "zh")
    return str(getattr(obj, f"{name}_{first}", "") or getattr(obj, f"{name}_{second}", ""))


@register.filter
def label(value: Any, kind: str) -> str:
    """``{{ spec.kind|label:"kind" }}``: the schema value's name in the current language."""
    enum, labels = _LABELS[kind]
    zh, en = labels[enum(value)]
    return zh if chinese() else en


# Schema values named only on pages: translated with gettext (this app's locale files).
_TERMS: Mapping[str, Mapping[str, Any]] = {
    "allocation": {"mass": _("mass"), "energy": _("energy content"), "economic": _("economic"),
                   "explicit": _("explicit factors"),
                   "substitution": _("system expansion (substitution)")},
    "basis": {"mass": _("mass"), "energy": _("energy"), "emission": _("emissions")},
    "scope": {"per_flow": _("each excluded flow"), "cumulative": _("all excluded flows together")},
    "electricity": {"location_based": _("location-based"), "market_based": _("market-based"),
                    "mee_calibre": _("MEE calibre (CO2-only grid factor)")},
    "role": {"general": _("general"), "sector": _("sector"), "method": _("method")},
    "origin": {"fossil": _("fossil"), "biogenic": _("biogenic"),
               "land_use_change": _("land-use change"),
               "biogenic_removal": _("biogenic removal")},
}


@register.filter
def term(value: Any, kind: str) -> str:
    """``{{ rule.method|term:"allocation" }}``: a schema value in the current language."""
    key = str(getattr(value, "value", value))
    return str(_TERMS[kind].get(key, key))
