"""Complete aluminium activity data for one year: the rule pack tests' data (illustrative,
inside the pack's plausible ranges), with alumina in t rather than 吨 (the platform tests
read the unit back)."""

from __future__ import annotations

from tests.rules.rules_fixtures import COMPLETE

ALUMINIUM: dict[str, tuple[float, str]] = {**COMPLETE["electrolytic-aluminium"],
                                           "alumina": (1920, "t")}
