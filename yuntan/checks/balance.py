"""Mass balance (物料平衡) of a pack process: mass in against mass out.

Only fields of mass dimension count, and only where a balance means something: a process
whose unreported flows (water evaporated in drying tea or coffee, reaction water and CO2 in
phosphoric acid) would make any total look wrong is not balanced. :data:`MASS_BALANCES`
says, per pack, which processes balance and with which fields; a caller can pass its own
:class:`MassBalance` (e.g. for a pack added later), or use :func:`mass_balance_of` to take
every mass field of a process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from yuntan.checks.data import field_spec, field_value
from yuntan.checks.errors import UnknownField
from yuntan.checks.findings import CheckFinding, CheckSeverity
from yuntan.rules import ActivityData, Dimension, FieldKind, RulePack
from yuntan.units import convert

CHECK = "mass-balance"


@dataclass(frozen=True)
class MassBalance:
    """Mass ``inputs`` of ``process`` against ``outputs`` (product, co-products, wastes)
    plus declared ``losses``, within ``tolerance`` (a fraction of the inputs)."""

    process: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    losses: tuple[str, ...] = ()
    tolerance: float = 0.05
    note_zh: str = ""
    note_en: str = ""


MASS_BALANCES: Mapping[str, tuple[MassBalance, ...]] = {
    "electrolytic-aluminium": (
        MassBalance(
            process="casting",
            inputs=("liquid_aluminium_cast",),
            outputs=("aluminium_ingot_output",),
            tolerance=0.05,
            note_zh="铸造：原铝液 → 铝锭（铝渣等损耗可另行申报）。",
            note_en="Casting: liquid aluminium → ingot (dross and other losses may be "
                    "declared separately).",
        ),
    ),
    # Not balanced: electrolysis (oxygen leaves as CO2, computed by formula, not a field),
    # tea and coffee (drying water is not reported), ammonium phosphate (reaction water,
    # CO2 and phosphogypsum moisture), cut roses (counted in stems).
}


def mass_balance_of(pack: RulePack, process: str, tolerance: float = 0.05) -> MassBalance:
    """Every mass field of ``process``: non-waste inputs in; outputs, co-products, wastes
    and emissions out. Only sensible when the process has no unreported mass flows."""
    fields = [f for f in pack.fields if f.process == process and f.dimension is Dimension.MASS]
    if not any(f.kind is FieldKind.OUTPUT for f in fields):
        raise UnknownField(f"process {process!r} of rule pack {pack.label} has no mass output "
                           f"field; a mass balance needs one.")
    inputs = tuple(f.id for f in fields if f.kind is FieldKind.INPUT and not f.waste)
    outputs = tuple(f.id for f in fields if f.kind in (
        FieldKind.OUTPUT, FieldKind.CO_PRODUCT, FieldKind.EMISSION) or f.waste)
    return MassBalance(process, inputs, outputs, tolerance=tolerance)


def _total_kg(pack: RulePack, data: ActivityData, ids: Iterable[str],
              used: list[str]) -> float:
    total = 0.0
    for field_id in ids:
        spec = field_spec(pack, field_id)
        if spec.dimension is not Dimension.MASS:
            raise UnknownField(f"field {field_id!r} of rule pack {pack.label} is not a mass "
                               f"({spec.dimension.value}); a mass balance counts masses only.")
        value = field_value(pack, data, field_id)
        if value is not None:
            total += convert(value, spec.unit, "kg")
            used.append(field_id)
    return total


def check_mass_balance(pack: RulePack, data: ActivityData,
                       balances: Iterable[MassBalance] | None = None,
                       declared_losses: Mapping[str, tuple[float, str]] | None = None,
                       ) -> list[CheckFinding]:
    """Check each balance (default: :data:`MASS_BALANCES` of the pack).

    ``declared_losses`` maps a process id to a loss the enterprise declares outside the
    pack's fields (e.g. dross), as ``(amount, unit)``. Severity: more mass out than in beyond
    the tolerance is high (mass from nowhere); unexplained loss beyond the tolerance medium,
    beyond three times it high.
    """
    chosen = MASS_BALANCES.get(pack.id, ()) if balances is None else tuple(balances)
    extra = declared_losses or {}
    findings: list[CheckFinding] = []
    for balance in chosen:
        used_in: list[str] = []
        used_out: list[str] = []
        mass_in = _total_kg(pack, data, balance.inputs, used_in)
        mass_out = _total_kg(pack, data, (*balance.outputs, *balance.losses), used_out)
        if balance.process in extra:
            amount, unit = extra[balance.process]
            mass_out += convert(amount, unit, "kg", where=f"declared loss of {balance.process}")
        process = pack.process(balance.process)
        if not used_in or not used_out:
            findings.append(CheckFinding(
                CHECK, "mass-balance-skipped", CheckSeverity.LOW,
                f"过程「{process.name_zh}」的物料平衡未核对：投入或产出未填报。",
                f"Mass balance of {process.name_en} not checked: inputs or outputs not "
                f"reported.", (*balance.inputs, *balance.outputs)))
            continue
        imbalance = (mass_in - mass_out) / mass_in
        if abs(imbalance) <= balance.tolerance:
            continue
        if imbalance < 0 or imbalance > 3 * balance.tolerance:
            severity = CheckSeverity.HIGH
        else:
            severity = CheckSeverity.MEDIUM
        side_zh = "产出多于投入" if imbalance < 0 else "有未说明的损耗"
        side_en = "more mass out than in" if imbalance < 0 else "an unexplained loss"
        findings.append(CheckFinding(
            CHECK, "mass-imbalance", severity,
            f"过程「{process.name_zh}」物料不平衡（{side_zh}）：投入 {mass_in:.6g} kg"
            f"（{'、'.join(used_in)}），产出及损耗 {mass_out:.6g} kg（{'、'.join(used_out)}），"
            f"差 {imbalance:+.1%}（容差 {balance.tolerance:.0%}）。{balance.note_zh}",
            f"Mass balance of {process.name_en} fails ({side_en}): in {mass_in:.6g} kg "
            f"({', '.join(used_in)}), out and losses {mass_out:.6g} kg "
            f"({', '.join(used_out)}), imbalance {imbalance:+.1%} (tolerance "
            f"{balance.tolerance:.0%}). {balance.note_en}".rstrip(),
            (*used_in, *used_out),
            {"mass_in_kg": mass_in, "mass_out_kg": mass_out, "imbalance": imbalance,
             "tolerance": balance.tolerance}))
    return findings
