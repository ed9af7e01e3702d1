"""Multi-source cross-validation (多源数据相互校验) of a study's activity data (pure core).

Each check compares the reported activity data with another source and returns
:class:`CheckFinding` values (data, never exceptions): online meter data, bills, the rule
pack's ranges and benchmark, mass and carbon balances, the previous study and the peers,
green electricity evidence. :func:`run_all` runs every check that has its inputs. The
platform stores the findings on the study; a verifier addresses every ``high`` one
(:func:`blocking`) before sign-off. See ``docs/checks.md``.
"""

from yuntan.checks.balance import MASS_BALANCES, MassBalance, check_mass_balance, mass_balance_of
from yuntan.checks.carbon import STOICHIOMETRIC_MINIMA, StoichiometricMinimum, check_carbon_balance
from yuntan.checks.errors import CheckInputError, InvalidMeterFile, InvalidPeriod, UnknownField
from yuntan.checks.findings import CheckFinding, CheckSeverity, Period
from yuntan.checks.green import GreenEvidence, check_green_electricity, electricity_fields
from yuntan.checks.intensity import check_intensity
from yuntan.checks.invoices import Bill, BillTotal, check_invoices, sum_bills
from yuntan.checks.meters import (
    MeterGap,
    MeterReading,
    MeterReset,
    MeterTotal,
    ReadingKind,
    aggregate_meters,
    check_meter,
    read_meter_csv,
)
from yuntan.checks.peers import (
    MIN_PEERS,
    Z_THRESHOLD,
    Metric,
    check_peers,
    check_previous,
    field_intensity,
    footprint_metric,
    modified_z,
)
from yuntan.checks.run import CheckInputs, blocking, run_all

__all__ = [
    "MASS_BALANCES",
    "MIN_PEERS",
    "STOICHIOMETRIC_MINIMA",
    "Z_THRESHOLD",
    "Bill",
    "BillTotal",
    "CheckFinding",
    "CheckInputError",
    "CheckInputs",
    "CheckSeverity",
    "GreenEvidence",
    "InvalidMeterFile",
    "InvalidPeriod",
    "MassBalance",
    "MeterGap",
    "MeterReading",
    "MeterReset",
    "MeterTotal",
    "Metric",
    "Period",
    "ReadingKind",
    "StoichiometricMinimum",
    "UnknownField",
    "aggregate_meters",
    "blocking",
    "check_carbon_balance",
    "check_green_electricity",
    "check_intensity",
    "check_invoices",
    "check_mass_balance",
    "check_meter",
    "check_peers",
    "check_previous",
    "electricity_fields",
    "field_intensity",
    "footprint_metric",
    "mass_balance_of",
    "modified_z",
    "read_meter_csv",
    "run_all",
    "sum_bills",
]
