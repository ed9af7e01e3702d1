"""A clean aluminium study (illustrative numbers inside the pack's ranges) and its period."""

from __future__ import annotations

from datetime import datetime

from tests.rules.rules_fixtures import COMPLETE
from yuntan.checks import Period
from yuntan.rules import RulePack, get_pack

YEAR = Period(datetime(2025, 1, 1), datetime(2026, 1, 1))

ALUMINIUM: dict[str, tuple[float, str]] = dict(COMPLETE["electrolytic-aluminium"])


def aluminium() -> RulePack:
    return get_pack("electrolytic-aluminium")


def with_(**changes: tuple[float, str]) -> dict[str, tuple[float, str]]:
    """The clean aluminium data with ``changes``."""
    return {**ALUMINIUM, **changes}


def rules_of(findings: object) -> list[tuple[str, str]]:
    return [(f.rule, f.severity.value) for f in findings]  # type: ignore[attr-defined]
