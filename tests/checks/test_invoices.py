"""Bills and invoices against the reported amount, pro rata over the period."""

from __future__ import annotations

from datetime import datetime

import pytest
from checks_fixtures import ALUMINIUM, YEAR, aluminium, rules_of

from yuntan.checks import Bill, Period, check_invoices, sum_bills


def month(year: int, number: int) -> Period:
    end = datetime(year + 1, 1, 1) if number == 12 else datetime(year, number + 1, 1)
    return Period(datetime(year, number, 1), end)


def gas_bills(monthly_nm3: float) -> list[Bill]:
    return [Bill(month(2025, m), monthly_nm3, "Nm3", "云南燃气", f"FP-{m:02d}")
            for m in range(1, 13)]


def test_it_sums_bills_inside_the_period() -> None:
    total = sum_bills(gas_bills(1000), YEAR, "Nm3")
    assert total.total == pytest.approx(12000) and total.bills_used == 12
    assert total.prorated == ()


def test_it_counts_a_straddling_bill_pro_rata() -> None:
    straddling = Bill(Period(datetime(2024, 12, 1), datetime(2025, 2, 1)), 620, "Nm3",
                      number="FP-X")
    total = sum_bills([straddling], YEAR, "Nm3")
    assert total.total == pytest.approx(620 * 31 / 62)
    assert total.prorated == ("FP-X",)


def test_it_converts_bill_units() -> None:
    bills = [Bill(YEAR, 1.35, "万千瓦时")]
    assert sum_bills(bills, YEAR, "kWh").total == pytest.approx(13500)


def test_matching_bills_raise_nothing() -> None:
    found = check_invoices(aluminium(), ALUMINIUM, "casting_natural_gas", gas_bills(1690),
                           YEAR)
    assert found == []


@pytest.mark.parametrize("monthly,severity", [(1550, "medium"), (1000, "high")])
def test_it_flags_a_report_off_the_bills(monthly: float, severity: str) -> None:
    found = check_invoices(aluminium(), ALUMINIUM, "casting_natural_gas", gas_bills(monthly),
                           YEAR)
    assert rules_of(found) == [("invoice-deviation", severity)]
    assert found[0].numbers["billed"] == pytest.approx(12 * monthly)


def test_it_notes_straddling_bills_and_missing_bills() -> None:
    bills = [Bill(Period(datetime(2024, 7, 1), datetime(2025, 7, 1)), 40000, "Nm3", "S", "1")]
    found = check_invoices(aluminium(), ALUMINIUM, "casting_natural_gas", bills, YEAR)
    assert ("invoice-prorated", "low") in rules_of(found)
    nothing = check_invoices(aluminium(), ALUMINIUM, "casting_natural_gas",
                             [Bill(month(2023, 1), 5, "Nm3")], YEAR)
    assert rules_of(nothing) == [("invoice-no-data", "medium")]
