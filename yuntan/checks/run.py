"""Every cross-check of one study in one call (:func:`run_all`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from yuntan.checks.balance import MassBalance, check_mass_balance
from yuntan.checks.carbon import check_carbon_balance
from yuntan.checks.data import field_value
from yuntan.checks.findings import CheckFinding, CheckSeverity, Period
from yuntan.checks.green import GreenEvidence, check_green_electricity, contract_fields
from yuntan.checks.intensity import check_intensity
from yuntan.checks.invoices import Bill, check_invoices
from yuntan.checks.meters import MeterReading, check_meter
from yuntan.checks.peers import (
    FOOTPRINT,
    Metric,
    check_peers,
    check_previous,
    field_intensity,
    footprint_metric,
)
from yuntan.electricity import Instrument
from yuntan.rules import ActivityData, RulePack


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class CheckInputs:
    """Everything the checks compare the activity data with; each part is optional.

    ``previous`` and ``peers`` are keyed by field id (the field's intensity per range basis
    of its process, see :func:`yuntan.checks.field_intensity`) or ``"footprint"`` (kg CO2e
    per declared unit, needs ``footprint_kg_co2e_per_declared_unit``).
    """

    period: Period | None = None
    variant: str | None = None
    meter_readings: Mapping[str, Sequence[MeterReading]] = field(default_factory=_empty)
    bills: Mapping[str, Sequence[Bill]] = field(default_factory=_empty)
    footprint_kg_co2e_per_declared_unit: float | None = None
    mass_balances: tuple[MassBalance, ...] | None = None
    declared_losses: Mapping[str, tuple[float, str]] = field(default_factory=_empty)
    reported_emissions: Mapping[str, tuple[float, str]] = field(default_factory=_empty)
    previous: Mapping[str, float] = field(default_factory=_empty)
    peers: Mapping[str, Sequence[float]] = field(default_factory=_empty)
    green_claims: tuple[Instrument, ...] = ()
    green_evidence: tuple[GreenEvidence, ...] = ()
    meter_tolerance: float = 0.05
    invoice_tolerance: float = 0.05
    carbon_tolerance: float = 0.05
    previous_threshold: float = 0.2


def _current(pack: RulePack, data: ActivityData, inputs: CheckInputs,
             metric_id: str) -> tuple[Metric, float] | None:
    if metric_id == FOOTPRINT:
        value = inputs.footprint_kg_co2e_per_declared_unit
        return None if value is None else (footprint_metric(pack), value)
    return field_intensity(pack, data, metric_id)


def _claims_contract_electricity(pack: RulePack, data: ActivityData) -> bool:
    """A contract- or certificate-backed electricity field holds a quantity: it is a claim
    that needs evidence even when none is given."""
    return any((field_value(pack, data, f) or 0.0) > 0 for f in contract_fields(pack))


def run_all(pack: RulePack, data: ActivityData,
            inputs: CheckInputs | None = None) -> tuple[CheckFinding, ...]:
    """Run every check that has what it needs; findings ordered high, medium, low.

    Meter and bill checks need ``inputs.period``. Green electricity is checked when claims
    or evidence are given, or when a contract-backed field holds a quantity. Raises
    :class:`yuntan.checks.UnknownField` for a field id the pack does not have.
    """
    given = inputs or CheckInputs()
    findings: list[CheckFinding] = []
    if given.period is not None:
        for field_id, readings in given.meter_readings.items():
            findings += check_meter(pack, data, field_id, readings, given.period,
                                    given.meter_tolerance)
        for field_id, bills in given.bills.items():
            findings += check_invoices(pack, data, field_id, bills, given.period,
                                       given.invoice_tolerance)
    findings += check_intensity(pack, data, given.variant,
                                given.footprint_kg_co2e_per_declared_unit)
    findings += check_mass_balance(pack, data, given.mass_balances, given.declared_losses)
    findings += check_carbon_balance(pack, data, given.reported_emissions,
                                     given.carbon_tolerance)
    for metric_id in sorted({*given.previous, *given.peers}):
        current = _current(pack, data, given, metric_id)
        if current is None:
            continue
        metric, value = current
        findings += check_previous(metric, value, given.previous.get(metric_id),
                                   given.previous_threshold)
        if metric_id in given.peers:
            findings += check_peers(metric, value, given.peers[metric_id])
    if given.green_claims or given.green_evidence or _claims_contract_electricity(pack, data):
        findings += check_green_electricity(pack, data, given.green_claims,
                                            given.green_evidence, given.period)
    order = {CheckSeverity.HIGH: 0, CheckSeverity.MEDIUM: 1, CheckSeverity.LOW: 2}
    return tuple(sorted(findings, key=lambda f: order[f.severity]))


def blocking(findings: Sequence[CheckFinding]) -> tuple[CheckFinding, ...]:
    """The findings a verifier must address before sign-off (every high one)."""
    return tuple(f for f in findings if f.severity is CheckSeverity.HIGH)
