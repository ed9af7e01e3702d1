"""Location-based and market-based electricity accounting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yuntan.electricity import Instrument, InstrumentKind, account_electricity
from yuntan.errors import YuntanLcaError

YUNNAN_2022 = 0.1073  # MEE 2022 provincial average, kg CO2/kWh
EXCL_MARKET_2022 = 0.5856  # MEE 2022 national average excluding market-traded non-fossil


def test_without_instruments_both_methods_use_the_grid() -> None:
    account = account_electricity(10_000, YUNNAN_2022)

    assert account.location_based_kg == pytest.approx(1073.0)
    assert account.market_based_kg == pytest.approx(1073.0)
    assert account.residual_is_grid_average and account.residual_kwh == 10_000


def test_green_certificates_cover_part_and_the_rest_takes_the_residual_factor() -> None:
    certificates = Instrument(InstrumentKind.GREEN_CERTIFICATE, 6_000, evidence="GEC-2024-001…")

    account = account_electricity(10_000, YUNNAN_2022, (certificates,), EXCL_MARKET_2022)

    # location: 10 000 × 0.1073; market: 6 000 × 0 + 4 000 × 0.5856
    assert account.location_based_kg == pytest.approx(1073.0)
    assert account.market_based_kg == pytest.approx(2342.4)
    assert (account.covered_kwh, account.residual_kwh) == (6_000, 4_000)
    assert not account.residual_is_grid_average


def test_onsite_renewables_count_in_both_methods_and_are_not_grid_electricity() -> None:
    solar = Instrument(InstrumentKind.ONSITE_RENEWABLE, 2_000)
    trade = Instrument(InstrumentKind.GREEN_POWER_TRADE, 3_000, evidence="昆明电力交易中心 合同 7")

    account = account_electricity(10_000, YUNNAN_2022, (solar, trade), EXCL_MARKET_2022)

    assert account.grid_kwh == 8_000
    assert account.location_based_kg == pytest.approx(8_000 * YUNNAN_2022)
    assert account.market_based_kg == pytest.approx(5_000 * EXCL_MARKET_2022)


def test_claims_beyond_the_consumption_are_not_counted_and_are_reported() -> None:
    certificates = Instrument(InstrumentKind.GREEN_CERTIFICATE, 15_000, evidence="GEC batch 9")

    account = account_electricity(10_000, YUNNAN_2022, (certificates,), EXCL_MARKET_2022)

    assert account.market_based_kg == 0.0
    assert account.over_claimed_kwh == 5_000


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Instrument(InstrumentKind.GREEN_CERTIFICATE, 100), "name the evidence"),
        (lambda: Instrument(InstrumentKind.GREEN_POWER_TRADE, -1, evidence="x"), "negative"),
        (lambda: account_electricity(100, YUNNAN_2022,
                                     (Instrument(InstrumentKind.ONSITE_RENEWABLE, 200),)),
         "exceeds the electricity consumed"),
        (lambda: account_electricity(float("nan"), YUNNAN_2022), "not a finite number"),
    ],
)
def test_it_refuses_impossible_claims(make: object, message: str) -> None:
    with pytest.raises(YuntanLcaError, match=message):
        make()  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(
    consumed=st.floats(0, 1e7),
    certified=st.floats(0, 2e7),
    factor=st.floats(0, 2),
    residual=st.floats(0, 2),
)
def test_market_based_lies_between_the_instrument_and_residual_extremes(
    consumed: float, certified: float, factor: float, residual: float
) -> None:
    claim = Instrument(InstrumentKind.GREEN_CERTIFICATE, certified, evidence="e")

    account = account_electricity(consumed, factor, (claim,), residual)

    assert 0 <= account.market_based_kg <= consumed * residual * (1 + 1e-12) + 1e-9
    assert account.covered_kwh + account.residual_kwh == pytest.approx(consumed)
    assert account.location_based_kg == pytest.approx(consumed * factor)
