"""Reading the study's activity data the way the rule pack defines it."""

from __future__ import annotations

from yuntan.checks.errors import UnknownField
from yuntan.rules import ActivityData, FieldSpec, RulePack
from yuntan.units import convert


def field_spec(pack: RulePack, field_id: str) -> FieldSpec:
    """The field ``field_id`` of ``pack``, or :class:`UnknownField`."""
    for spec in pack.fields:
        if spec.id == field_id:
            return spec
    raise UnknownField(f"{field_id!r} is not a field of rule pack {pack.label}.")


def field_value(pack: RulePack, data: ActivityData, field_id: str) -> float | None:
    """The reported amount of ``field_id`` in the field's unit; its default when absent and
    the pack gives one; otherwise None."""
    spec = field_spec(pack, field_id)
    if field_id not in data:
        return spec.default
    amount, unit = data[field_id]
    return convert(amount, unit, spec.unit, where=f"rule pack {pack.label}, field {field_id!r}")
